package dev.mim4j.dsl;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.fraction;
import static dev.mim4j.dsl.SpecChecks.given;
import static dev.mim4j.dsl.SpecChecks.multipleOf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.google.common.collect.ImmutableList;
import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.stage.AddPositions;
import dev.mim4j.dsl.stage.DropMaskedTokens;
import dev.mim4j.dsl.stage.Grid;
import dev.mim4j.dsl.stage.Images;
import dev.mim4j.dsl.stage.Norm;
import dev.mim4j.dsl.stage.Patchify;
import dev.mim4j.dsl.stage.Pipeline;
import dev.mim4j.dsl.stage.PrependClassToken;
import dev.mim4j.dsl.stage.ReplaceMaskedTokens;
import dev.mim4j.dsl.stage.SharedRelativeBias;
import dev.mim4j.dsl.stage.Tokens;
import dev.mim4j.dsl.stage.TransformerBlock;

/**
 * A vision transformer backbone, the part that MAE, SimMIM and any other recipe share: images
 * are cut into patches, embedded, given positions and run through {@code depth} blocks.
 *
 * <p>Build one from a named variant, {@code ViT.variant("B/16").image(224, 224, 3).build()}, or
 * from {@link #builder()}; every size is checked when it is built.
 *
 * @param image size of the input images
 * @param patchSize side of the square patches; must divide the image height and width
 * @param width token width
 * @param depth number of transformer blocks
 * @param heads attention heads per block
 * @param attention the token-mixing part of every block
 * @param mlp the feed-forward part of every block
 * @param norm the normalisation inside every block and after the last
 * @param layerScaleInit initial layer scale of every block, or 0 for no layer scale
 * @param dropPathRate drop path of the last block; earlier blocks grow linearly to it from 0
 * @param classToken whether a learned class token is prepended to the patch tokens
 * @param absolutePosition how absolute positions are added to the patch tokens
 * @param relativePosition whether attention adds a relative position bias
 * @param initialization how the weights of a new backbone are drawn
 */
public record ViT(
        ImageSpec image,
        int patchSize,
        int width,
        int depth,
        int heads,
        AttentionPart attention,
        MlpPart mlp,
        NormPart norm,
        double layerScaleInit,
        double dropPathRate,
        boolean classToken,
        AbsolutePosition absolutePosition,
        RelativePosition relativePosition,
        Initialization initialization) implements Backbone {

    private static final Pattern VARIANT = Pattern.compile("([A-Za-z]+)/(\\d{1,4})");

    public ViT {
        given("image", image);
        atLeastOne("patch size", patchSize);
        multipleOf("image height", image.height(), "patch size", patchSize);
        multipleOf("image width", image.width(), "patch size", patchSize);
        BlockSpec.checkBlockOptions(width, heads, attention, mlp, norm, layerScaleInit);
        atLeastOne("depth", depth);
        fraction("drop path rate", dropPathRate);
        given("absolute position", absolutePosition);
        given("relative position", relativePosition);
        given("initialization", initialization);
        // The 2-D table gives half the width to each axis and splits each half into sin and cos.
        check(absolutePosition != AbsolutePosition.SIN_COS_2D || width % 4 == 0,
                "width %d is not a multiple of 4, which 2-D sin-cos positions need", width);
    }

    /** A builder with the defaults of MAE's ViT-B/16 on 224x224 RGB images. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder for a big_vision-style variant string, a size label and a patch size such as
     * "Ti/16", "S/16", "B/16", "L/16", "H/14" or "B/8"; other fields keep the {@link #builder()}
     * defaults.
     */
    public static Builder variant(String name) {
        Matcher matcher = VARIANT.matcher(String.valueOf(name));
        ViTVariant variant =
                matcher.matches() ? ViTVariant.byLabel(matcher.group(1)).orElse(null) : null;
        if (variant == null) {
            String labels = Arrays.stream(ViTVariant.values())
                    .map(ViTVariant::label)
                    .collect(Collectors.joining(", "));
            throw new SpecException(String.format(Locale.ROOT,
                    "unknown ViT variant '%s': expected one of %s followed by /patch, e.g. B/16",
                    name, labels));
        }
        return variant(variant, Integer.parseInt(matcher.group(2)));
    }

    /** A builder for {@code variant} with square patches of side {@code patchSize}. */
    public static Builder variant(ViTVariant variant, int patchSize) {
        given("variant", variant);
        return builder()
                .patchSize(patchSize)
                .width(variant.width())
                .depth(variant.depth())
                .heads(variant.heads())
                .mlp(MlpPart.gelu(variant.mlpRatio()));
    }

    /** A builder holding this spec's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder()
                .image(image)
                .patchSize(patchSize)
                .width(width)
                .depth(depth)
                .heads(heads)
                .attention(attention)
                .mlp(mlp)
                .norm(norm)
                .layerScaleInit(layerScaleInit)
                .dropPathRate(dropPathRate)
                .classToken(classToken)
                .absolutePosition(absolutePosition)
                .relativePosition(relativePosition)
                .initialization(initialization);
    }

    @Override
    public ViT withDropPathRate(double rate) {
        return toBuilder().dropPathRate(rate).build();
    }

    /** Rows of the patch grid. */
    public int gridHeight() {
        return image.height() / patchSize;
    }

    /** Columns of the patch grid. */
    public int gridWidth() {
        return image.width() / patchSize;
    }

    /** The patch grid, which is also the grid of the output tokens. */
    @Override
    public TokenGrid grid() {
        return new TokenGrid(gridHeight(), gridWidth(), patchSize);
    }

    /** Number of tokens before the patch tokens: 1 with a class token, else 0. */
    @Override
    public int prefixTokens() {
        return classToken ? 1 : 0;
    }

    /**
     * Block {@code index} (from 0), whose drop path grows linearly from 0 in the first block to
     * {@code dropPathRate} in the last, as {@code torch.linspace(0, rate, depth)} in timm and MAE.
     */
    public BlockSpec block(int index) {
        check(index >= 0 && index < depth, "block index %d must be in [0, %d)", index, depth);
        double dropPath = depth == 1 ? 0 : dropPathRate * ((double) index / (depth - 1));
        return new BlockSpec(width, heads, attention, mlp, norm, layerScaleInit, dropPath);
    }

    /** All {@code depth} blocks in order. */
    public List<BlockSpec> blocks() {
        return IntStream.range(0, depth)
                .mapToObj(this::block)
                .collect(ImmutableList.toImmutableList());
    }

    /**
     * The backbone as named, typed stages: {@code patch_embed}; the point where masked tokens are
     * replaced ({@code mask_token}); {@code pos_embed} if any; the point where masked tokens are
     * dropped; {@code cls_token} if any; {@code rel_pos_bias} if any; {@code blocks.N}; {@code norm}.
     */
    @Override
    public Pipeline<Images, Tokens> pipeline() {
        Pipeline<Images, Grid> grid = Pipeline.from(image)
                .then("patch_embed", new Patchify(patchSize, width))
                .then("mask_token", new ReplaceMaskedTokens());
        if (absolutePosition != AbsolutePosition.NONE) {
            grid = grid.then("pos_embed", new AddPositions(absolutePosition, prefixTokens()));
        }
        Pipeline<Images, Tokens> tokens = grid.then(new DropMaskedTokens());
        if (classToken) {
            tokens = tokens.then("cls_token", new PrependClassToken());
        }
        if (relativePosition == RelativePosition.SHARED_BIAS) {
            tokens = tokens.then("rel_pos_bias",
                    new SharedRelativeBias(gridHeight(), gridWidth(), heads, prefixTokens()));
        }
        return tokens.thenRepeated(depth, i -> "blocks." + i, i -> new TransformerBlock(block(i)))
                .then("norm", new Norm(norm));
    }

    /**
     * One line for logs and run summaries, e.g. "ViT 224x224x3, patch 16 (14x14=196 tokens),
     * width 768, depth 12, heads 12, mlp 3072, qkv FUSED, positions SIN_COS_2D, cls token";
     * options that are off by default appear only when on.
     */
    public String describe() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "ViT %dx%dx%d, patch %d (%dx%d=%d tokens), width %d, depth %d, heads %d, %s,"
                        + " %s, positions %s",
                image.height(), image.width(), image.channels(), patchSize,
                gridHeight(), gridWidth(), tokens(), width, depth, heads,
                mlp.describe(width), attention.describe(), absolutePosition));
        if (!norm.equals(NormPart.layerNorm(1e-6))) {
            line.append(", ").append(norm.describe());
        }
        if (relativePosition != RelativePosition.NONE) {
            line.append(", relative ").append(relativePosition);
        }
        line.append(classToken ? ", cls token" : ", no cls token");
        if (layerScaleInit > 0) {
            line.append(", layer scale ").append(layerScaleInit);
        }
        if (dropPathRate > 0) {
            line.append(", drop path ").append(dropPathRate);
        }
        return line.toString();
    }

    /**
     * Collects the fields of a {@link ViT}, of which most have a sensible default; nothing is
     * checked until {@link #build()}.
     */
    public static final class Builder {
        private ImageSpec image = ImageSpec.square(224, 3);
        private int patchSize = 16;
        private int width = 768;
        private int depth = 12;
        private int heads = 12;
        // Parts are made in build(), so that a shortcut such as mlpRatio(-1) fails there, like any field.
        private Supplier<AttentionPart> attention = () -> AttentionPart.multiHead(QkvBias.FUSED);
        private Supplier<MlpPart> mlp = () -> MlpPart.gelu(4.0);
        private Supplier<NormPart> norm = () -> NormPart.layerNorm(1e-6);
        private double layerScaleInit = 0;
        private double dropPathRate = 0;
        private boolean classToken = true;
        private AbsolutePosition absolutePosition = AbsolutePosition.SIN_COS_2D;
        private RelativePosition relativePosition = RelativePosition.NONE;
        private Initialization initialization = Initialization.XAVIER_UNIFORM;

        private Builder() {}

        public Builder image(ImageSpec image) {
            this.image = image;
            return this;
        }

        /** Images of {@code height} x {@code width} pixels with {@code channels} channels. */
        public Builder image(int height, int width, int channels) {
            return image(ImageSpec.of(height, width, channels));
        }

        public Builder patchSize(int patchSize) {
            this.patchSize = patchSize;
            return this;
        }

        public Builder width(int width) {
            this.width = width;
            return this;
        }

        public Builder depth(int depth) {
            this.depth = depth;
            return this;
        }

        public Builder heads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Blocks with timm's GELU MLP of {@code mlpRatio} times the width. */
        public Builder mlpRatio(double mlpRatio) {
            this.mlp = () -> MlpPart.gelu(mlpRatio);
            return this;
        }

        /** Blocks with multi-head attention whose q, k and v projections learn {@code qkvBias}. */
        public Builder qkvBias(QkvBias qkvBias) {
            this.attention = () -> AttentionPart.multiHead(qkvBias);
            return this;
        }

        public Builder attention(AttentionPart attention) {
            this.attention = () -> attention;
            return this;
        }

        public Builder mlp(MlpPart mlp) {
            this.mlp = () -> mlp;
            return this;
        }

        public Builder norm(NormPart norm) {
            this.norm = () -> norm;
            return this;
        }

        public Builder layerScaleInit(double layerScaleInit) {
            this.layerScaleInit = layerScaleInit;
            return this;
        }

        public Builder dropPathRate(double dropPathRate) {
            this.dropPathRate = dropPathRate;
            return this;
        }

        /** Layer norms with epsilon {@code normEps}. */
        public Builder normEps(double normEps) {
            this.norm = () -> NormPart.layerNorm(normEps);
            return this;
        }

        public Builder classToken(boolean classToken) {
            this.classToken = classToken;
            return this;
        }

        public Builder absolutePosition(AbsolutePosition absolutePosition) {
            this.absolutePosition = absolutePosition;
            return this;
        }

        public Builder relativePosition(RelativePosition relativePosition) {
            this.relativePosition = relativePosition;
            return this;
        }

        public Builder initialization(Initialization initialization) {
            this.initialization = initialization;
            return this;
        }

        /** The spec, or a {@link SpecException} naming the first field that does not fit. */
        public ViT build() {
            return new ViT(image, patchSize, width, depth, heads, attention.get(), mlp.get(), norm.get(), layerScaleInit,
                    dropPathRate, classToken, absolutePosition, relativePosition, initialization);
        }
    }
}
