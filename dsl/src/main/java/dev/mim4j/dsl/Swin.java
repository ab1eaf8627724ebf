package dev.mim4j.dsl;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.fraction;
import static dev.mim4j.dsl.SpecChecks.given;
import static dev.mim4j.dsl.SpecChecks.multipleOf;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import com.google.common.collect.ImmutableList;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.stage.AddPositions;
import dev.mim4j.dsl.stage.Grid;
import dev.mim4j.dsl.stage.Images;
import dev.mim4j.dsl.stage.Norm;
import dev.mim4j.dsl.stage.PatchMerging;
import dev.mim4j.dsl.stage.Patchify;
import dev.mim4j.dsl.stage.Pipeline;
import dev.mim4j.dsl.stage.ReplaceMaskedTokens;
import dev.mim4j.dsl.stage.SwinBlock;
import dev.mim4j.dsl.stage.Tokens;

/**
 * The Swin Transformer backbone (Liu et al. 2021), as SimMIM pre-trains it: patches embedded and
 * normalised, then stages of Swin blocks (windows, every second block shifted by half a window),
 * each stage but the last ending in patch merging, then a final norm. Where a stage's grid is no
 * larger than the window, its window shrinks to the grid and nothing shifts. The width doubles and
 * the grid halves at each merge, so the output grid is coarser than the patch grid by
 * {@code 2^(stages-1)}. Its stages need the whole grid: a recipe can replace masked tokens, not drop them.
 *
 * <p>Build one from a named variant, {@code Swin.variant("B").image(192, 192, 3).window(6).build()},
 * or from {@link #builder()}.
 *
 * @param image size of the input images
 * @param patchSize side of the patches
 * @param embedWidth token width of the first stage
 * @param depths blocks per stage
 * @param heads attention heads per stage
 * @param window side of the attention windows
 * @param mlp the feed-forward part of every block
 * @param norm every normalisation (blocks, patch embedding, merging, final)
 * @param qkvBias whether the qkv projections have a bias
 * @param absolutePosition whether a learned position table is added to the patch tokens (Swin's ape)
 * @param patchNorm whether the embedded patches are normalised
 * @param dropPathRate drop path of the last block; earlier ones grow linearly to it from 0
 */
public record Swin(ImageSpec image, int patchSize, int embedWidth, List<Integer> depths, List<Integer> heads,
        int window, MlpPart mlp, NormPart norm, boolean qkvBias, boolean absolutePosition, boolean patchNorm,
        double dropPathRate) implements Backbone {

    public Swin {
        given("image", image);
        atLeastOne("patch size", patchSize);
        multipleOf("image height", image.height(), "patch size", patchSize);
        multipleOf("image width", image.width(), "patch size", patchSize);
        atLeastOne("embedding width", embedWidth);
        depths = ImmutableList.copyOf(given("depths", depths));
        heads = ImmutableList.copyOf(given("heads", heads));
        check(!depths.isEmpty(), "a swin needs at least one stage");
        check(depths.size() == heads.size(), "%d stages of depths %s but %d of heads %s", depths.size(), depths,
                heads.size(), heads);
        atLeastOne("window", window);
        given("mlp", mlp);
        given("norm", norm);
        fraction("drop path rate", dropPathRate);
        int rows = image.height() / patchSize;
        int columns = image.width() / patchSize;
        for (int stage = 0; stage < depths.size(); stage++) {
            atLeastOne("depth of stage " + stage, depths.get(stage));
            int width = embedWidth << stage;
            check(width % heads.get(stage) == 0, "stage %d width %d is not divisible by %d heads", stage, width,
                    heads.get(stage));
            mlp.validate(width);
            int effective = Math.min(window, Math.min(rows, columns));
            check(rows % effective == 0 && columns % effective == 0,
                    "stage %d's %dx%d grid is not a whole number of %dx%d windows", stage, rows, columns, effective,
                    effective);
            if (stage + 1 < depths.size()) {
                check(rows % 2 == 0 && columns % 2 == 0,
                        "stage %d's %dx%d grid cannot be merged into the next stage's: it is not even", stage, rows,
                        columns);
                rows /= 2;
                columns /= 2;
            }
        }
    }

    /** Swin-T on 224x224 RGB images with window 7, as in the paper. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder for a named size, "T", "S", "B" or "L" (also "Swin-B", "swin-b"), with the defaults of
     * {@link #builder()} otherwise.
     */
    public static Builder variant(String name) {
        String label = String.valueOf(name).toUpperCase(Locale.ROOT).replaceFirst("^SWIN-", "");
        return switch (label) {
            case "T" -> builder().embedWidth(96).depths(2, 2, 6, 2).heads(3, 6, 12, 24);
            case "S" -> builder().embedWidth(96).depths(2, 2, 18, 2).heads(3, 6, 12, 24);
            case "B" -> builder().embedWidth(128).depths(2, 2, 18, 2).heads(4, 8, 16, 32);
            case "L" -> builder().embedWidth(192).depths(2, 2, 18, 2).heads(6, 12, 24, 48);
            default -> throw new SpecException("unknown Swin variant '" + name + "': expected one of T, S, B, L"
                    + " (or Swin-T, Swin-S, Swin-B, Swin-L)");
        };
    }

    /** A builder holding this spec's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder().image(image).patchSize(patchSize).embedWidth(embedWidth).depths(depths).heads(heads)
                .window(window).mlp(mlp).norm(norm).qkvBias(qkvBias).absolutePosition(absolutePosition)
                .patchNorm(patchNorm).dropPathRate(dropPathRate);
    }

    @Override
    public TokenGrid grid() {
        return new TokenGrid(image.height() / patchSize, image.width() / patchSize, patchSize);
    }

    /** The last stage's grid: {@code 2^(stages-1)} times coarser than the patch grid. */
    @Override
    public TokenGrid outputGrid() {
        int factor = 1 << (depths.size() - 1);
        TokenGrid grid = grid();
        return new TokenGrid(grid.rows() / factor, grid.columns() / factor, patchSize * factor);
    }

    /** The last stage's width: {@code embedWidth x 2^(stages-1)}. */
    @Override
    public int width() {
        return embedWidth << (depths.size() - 1);
    }

    @Override
    public int prefixTokens() {
        return 0;
    }

    @Override
    public Initialization initialization() {
        return Initialization.TRUNC_NORMAL_UNSCALED;
    }

    @Override
    public Swin withDropPathRate(double rate) {
        return toBuilder().dropPathRate(rate).build();
    }

    /** Blocks in all stages. */
    public int blocks() {
        return depths.stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * {@code patch_embed}, {@code mask_token} (where masked tokens are replaced), {@code absolute_pos_embed}
     * if any, then per stage {@code layers.i.blocks.j} and, but for the last, {@code layers.i.downsample};
     * {@code norm}.
     */
    @Override
    public Pipeline<Images, ? extends Tokens> pipeline() {
        Pipeline<Images, Grid> grid = Pipeline.from(image)
                .then("patch_embed", new Patchify(patchSize, embedWidth, patchNorm ? norm : null))
                .then("mask_token", new ReplaceMaskedTokens());
        if (absolutePosition) {
            grid = grid.then("absolute_pos_embed", new AddPositions(AbsolutePosition.LEARNED));
        }
        int rows = grid().rows();
        int columns = grid().columns();
        int blocksBefore = 0;
        for (int stage = 0; stage < depths.size(); stage++) {
            int width = embedWidth << stage;
            int effective = Math.min(window, Math.min(rows, columns));
            boolean shifts = Math.min(rows, columns) > window;
            int layer = stage;
            int first = blocksBefore;
            grid = grid.thenRepeated(depths.get(stage), j -> "layers." + layer + ".blocks." + j,
                    j -> new SwinBlock(width, heads.get(layer), effective, shifts && j % 2 == 1 ? window / 2 : 0, mlp,
                            norm, qkvBias, dropPath(first + j)));
            blocksBefore += depths.get(stage);
            if (stage + 1 < depths.size()) {
                grid = grid.then("layers." + stage + ".downsample", new PatchMerging(norm));
                rows /= 2;
                columns /= 2;
            }
        }
        return grid.then("norm", new Norm(norm));
    }

    /** Block {@code index}'s drop path, as {@code torch.linspace(0, rate, blocks)}. */
    private double dropPath(int index) {
        return blocks() == 1 ? 0 : dropPathRate * index / (blocks() - 1);
    }

    /**
     * "Swin 192x192x3, patch 4, width 128 (depths 2-2-18-2, heads 4-8-16-32), window 6, output 6x6x1024".
     */
    @Override
    public String describe() {
        TokenGrid output = outputGrid();
        return String.format(Locale.ROOT, "Swin %dx%dx%d, patch %d, width %d (depths %s, heads %s), window %d, %s,"
                        + " output %dx%dx%d%s%s", image.height(), image.width(), image.channels(), patchSize, embedWidth,
                dashed(depths), dashed(heads), window, mlp.describe(embedWidth), output.rows(), output.columns(),
                width(), absolutePosition ? ", absolute positions" : "",
                dropPathRate > 0 ? ", drop path " + dropPathRate : "");
    }

    private static String dashed(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }

    /** Collects the fields of a {@link Swin}; nothing is checked until {@link #build()}. */
    public static final class Builder {
        private ImageSpec image = ImageSpec.square(224, 3);
        private int patchSize = 4;
        private int embedWidth = 96;
        private List<Integer> depths = List.of(2, 2, 6, 2);
        private List<Integer> heads = List.of(3, 6, 12, 24);
        private int window = 7;
        private MlpPart mlp = MlpPart.gelu(4.0);
        private NormPart norm = NormPart.layerNorm(1e-5);
        private boolean qkvBias = true;
        private boolean absolutePosition;
        private boolean patchNorm = true;
        private double dropPathRate;

        private Builder() {}

        public Builder image(ImageSpec image) {
            this.image = image;
            return this;
        }

        public Builder image(int height, int width, int channels) {
            return image(ImageSpec.of(height, width, channels));
        }

        public Builder patchSize(int patchSize) {
            this.patchSize = patchSize;
            return this;
        }

        public Builder embedWidth(int embedWidth) {
            this.embedWidth = embedWidth;
            return this;
        }

        public Builder depths(List<Integer> depths) {
            this.depths = depths;
            return this;
        }

        public Builder depths(Integer... depths) {
            return depths(List.of(depths));
        }

        public Builder heads(List<Integer> heads) {
            this.heads = heads;
            return this;
        }

        public Builder heads(Integer... heads) {
            return heads(List.of(heads));
        }

        public Builder window(int window) {
            this.window = window;
            return this;
        }

        public Builder mlp(MlpPart mlp) {
            this.mlp = mlp;
            return this;
        }

        public Builder norm(NormPart norm) {
            this.norm = norm;
            return this;
        }

        public Builder qkvBias(boolean qkvBias) {
            this.qkvBias = qkvBias;
            return this;
        }

        public Builder absolutePosition(boolean absolutePosition) {
            this.absolutePosition = absolutePosition;
            return this;
        }

        public Builder patchNorm(boolean patchNorm) {
            this.patchNorm = patchNorm;
            return this;
        }

        public Builder dropPathRate(double dropPathRate) {
            this.dropPathRate = dropPathRate;
            return this;
        }

        /** The spec, or a {@link SpecException} naming the first field that does not fit. */
        public Swin build() {
            return new Swin(image, patchSize, embedWidth, depths, heads, window, mlp, norm, qkvBias, absolutePosition,
                    patchNorm, dropPathRate);
        }
    }
}
