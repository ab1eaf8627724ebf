package dev.mim4j.models.vit;

import static org.bytedeco.pytorch.global.torch.arange;
import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.gather;
import static org.bytedeco.pytorch.global.torch.zeros;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Collections;
import java.util.List;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.models.ImageInputs;
import dev.mim4j.models.ModelSummary;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The ViT backbone compiled from a {@link ViT} spec, with the parameter names of the official
 * checkpoints ({@code patch_embed.proj}, {@code cls_token}, {@code pos_embed},
 * {@code rel_pos_bias.*}, {@code blocks.N.*}, {@code norm}).
 *
 * <p>Its contract, used by every recipe and by downstream code, is split in steps so that a recipe
 * can act between them without reaching into fields: {@link #patchTokens} (images to patch tokens),
 * {@link #replaceMasked} (SimMIM's mask tokens), {@link #withPositions} (adds the absolute
 * positions of the patch tokens), {@link #encodeTokens} or {@link #encodeVisible} (prepends the cls
 * token, runs the blocks and the final norm over all tokens or a subset), and {@link #encode}, the
 * plain path for features, which never masks.
 */
public final class VisionTransformer extends Module {

    private final ViT spec;
    private final PatchEmbed patchEmbed;
    private final Tensor clsToken;
    private final Tensor maskToken;
    private final Tensor posEmbed;
    private final RelativePositionBias relPosBias;
    // Held so that the Java peer of the container outlives every native call into it (train, to, ...):
    // libtorch calls its virtual methods back through this object.
    private final Module blocksContainer;
    private final List<Block> blocks;
    private final LayerNormImpl norm;

    /**
     * Compiles the spec into a new module initialised as the spec's {@code Initialization} says,
     * drawing from libtorch's default generator. The spec is not changed.
     */
    public static VisionTransformer compile(ViT spec) {
        return compile(spec, false);
    }

    /**
     * Compiles the spec, with a learned {@code mask_token} when {@code maskToken} is set: the token
     * that {@link #replaceMasked} puts in place of masked patches (SimMIM's encoder has one).
     */
    public static VisionTransformer compile(ViT spec, boolean maskToken) {
        Natives.load();
        VisionTransformer vit = new VisionTransformer(spec, maskToken);
        ViTInitialization.apply(vit);
        return vit;
    }

    private VisionTransformer(ViT spec, boolean withMaskToken) {
        this.spec = spec;
        int width = spec.width();
        patchEmbed = register_module("patch_embed",
                new PatchEmbed(spec.image().channels(), width, spec.patchSize()));
        clsToken = spec.classToken() ? Registration.parameter(this, "cls_token", zeros(1, 1, width)) : null;
        maskToken = withMaskToken ? Registration.parameter(this, "mask_token", zeros(1, 1, width)) : null;
        long positions = spec.prefixTokens() + spec.tokens();
        posEmbed = switch (spec.absolutePosition()) {
            case NONE -> null;
            case LEARNED -> Registration.parameter(this, "pos_embed", zeros(1, positions, width));
            case SIN_COS_2D -> Registration.parameter(this, "pos_embed",
                    Tensors.floats(SinCos2d.table(spec.gridHeight(), spec.gridWidth(), width, spec.prefixTokens()),
                            1, positions, width),
                    false);
        };
        relPosBias = spec.relativePosition() == RelativePosition.SHARED_BIAS
                ? register_module("rel_pos_bias",
                        new RelativePositionBias(spec.gridHeight(), spec.gridWidth(), spec.heads(), spec.classToken()))
                : null;
        blocksContainer = register_module("blocks", new Module());
        List<Block> built = new ArrayList<>();
        for (int i = 0; i < spec.depth(); i++) {
            built.add(blocksContainer.register_module(Integer.toString(i), new Block(spec.block(i))));
        }
        blocks = Collections.unmodifiableList(built);
        norm = register_module("norm", LayerNorms.over(width, spec.normEps()));
    }

    /** The spec this module was compiled from. */
    public ViT spec() {
        return spec;
    }

    PatchEmbed patchEmbed() {
        return patchEmbed;
    }

    Tensor clsToken() {
        return clsToken;
    }

    Tensor maskToken() {
        return maskToken;
    }

    Tensor posEmbed() {
        return posEmbed;
    }

    RelativePositionBias relPosBias() {
        return relPosBias;
    }

    List<Block> blocks() {
        return blocks;
    }

    LayerNormImpl norm() {
        return norm;
    }

    /** {@code [batch, channels, height, width]} to patch tokens {@code [batch, tokens, width]}, no positions. */
    public Tensor patchTokens(Tensor images) {
        ImageInputs.check(spec.image(), images);
        Device device = patchEmbed.proj().weight().device();
        if (!images.device().str().getString().equals(device.str().getString())) {
            throw new IllegalArgumentException("images are on " + images.device().str().getString()
                    + " but the model is on " + device.str().getString() + ": move one of them with .to(device)");
        }
        return patchEmbed.forward(images);
    }

    /** Adds the absolute position of each patch token (none, learned or sin-cos, by the spec). */
    public Tensor withPositions(Tensor patchTokens) {
        if (posEmbed == null) {
            return patchTokens;
        }
        return patchTokens.add(posEmbed.narrow(1, spec.prefixTokens(), spec.tokens()));
    }

    /**
     * Replaces the masked patch tokens by the learned mask token (SimMIM); call it before
     * {@link #withPositions}, so that a masked token still carries its position.
     *
     * @param patchTokens {@code [batch, tokens, width]}
     * @param mask {@code [batch, tokens]}, 1 where masked
     * @throws IllegalStateException if the module was compiled without a mask token
     */
    public Tensor replaceMasked(Tensor patchTokens, Tensor mask) {
        if (maskToken == null) {
            throw new IllegalStateException("this backbone was compiled without a mask token;"
                    + " compile it with VisionTransformer.compile(spec, true)");
        }
        Tensor w = mask.unsqueeze(-1).to(Tensors.scalarType(patchTokens));
        Tensor keep = w.neg().add(new Scalar(1.0));
        return patchTokens.mul(keep).add(maskToken.mul(w));
    }

    /**
     * Prepends the cls token (with its position), runs the blocks and the final norm.
     *
     * @param tokens {@code [batch, tokens, width]}: every patch token, with positions
     * @return {@code [batch, prefix + tokens, width]}
     */
    public Tensor encodeTokens(Tensor tokens) {
        return encodeTokens(tokens, blocks.size());
    }

    /** {@link #encodeTokens(Tensor)} through the first {@code count} blocks only. */
    private Tensor encodeTokens(Tensor tokens, int count) {
        return prefixAndBlocks(tokens, relPosBias == null ? null : relPosBias.forward(), count);
    }

    /**
     * Like {@link #encodeTokens}, for a subset of the patch tokens (MAE's visible tokens): the
     * relative position bias, if the spec has one, is cut to the given positions.
     *
     * @param tokens {@code [batch, n, width]} the kept patch tokens, with positions
     * @param positions {@code [batch, n]} int64: each kept token's index in the patch grid
     * @return {@code [batch, prefix + n, width]}
     */
    public Tensor encodeVisible(Tensor tokens, Tensor positions) {
        if (relPosBias == null) {
            return prefixAndBlocks(tokens, null, blocks.size());
        }
        long batch = tokens.size(0);
        Tensor index = positions.add(new Scalar(spec.prefixTokens()));
        if (spec.prefixTokens() > 0) {
            Tensor prefix = arange(new Scalar(spec.prefixTokens()),
                    new TensorOptions(ScalarType.Long).device(new DeviceOptional(positions.device())))
                    .unsqueeze(0).expand(batch, -1);
            index = cat(new TensorVector(prefix, index), 1);
        }
        Tensor full = relPosBias.forward();
        long heads = full.size(0);
        long all = full.size(1);
        long n = index.size(1);
        Tensor rows = gather(full.unsqueeze(0).expand(batch, heads, all, all), 2,
                index.view(batch, 1, n, 1).expand(batch, heads, n, all));
        Tensor bias = gather(rows, 3, index.view(batch, 1, 1, n).expand(batch, heads, n, n));
        return prefixAndBlocks(tokens, bias, blocks.size());
    }

    /** Prepends the cls token, runs the first {@code count} blocks, then the final norm. */
    private Tensor prefixAndBlocks(Tensor tokens, Tensor logitBias, int count) {
        Tensor x = tokens;
        if (clsToken != null) {
            Tensor cls = posEmbed == null ? clsToken : clsToken.add(posEmbed.narrow(1, 0, 1));
            x = cat(new TensorVector(cls.expand(tokens.size(0), -1, -1), tokens), 1);
        }
        for (Block block : blocks.subList(0, count)) {
            x = block.forward(x, logitBias);
        }
        return norm.forward(x);
    }

    /** Features of whole images, {@code [batch, prefix + tokens, width]}; never masks. */
    public Tensor encode(Tensor images) {
        return encodeTokens(withPositions(patchTokens(images)));
    }

    /**
     * Features of whole images after the first {@code blocks} blocks, then the final norm (timm's
     * {@code forward_intermediates} with {@code norm=True}): the intermediate layers that probes of
     * masked-image models often find better than the last one. {@code encode(images, depth)} is
     * {@link #encode(Tensor)}.
     *
     * @param blocks 1 to the spec's depth
     * @return {@code [batch, prefix + tokens, width]}
     * @throws IllegalArgumentException if {@code blocks} is out of range
     */
    public Tensor encode(Tensor images, int blocks) {
        checkBlocks(spec, blocks);
        return encodeTokens(withPositions(patchTokens(images)), blocks);
    }

    /**
     * Checks that features can be taken after {@code blocks} blocks of an encoder of {@code spec}.
     *
     * @throws IllegalArgumentException naming the value and the range, if they cannot
     */
    public static void checkBlocks(ViT spec, int blocks) {
        if (blocks < 1 || blocks > spec.depth()) {
            throw new IllegalArgumentException("features after block " + blocks + ": the encoder (" + spec.describe()
                    + ") has blocks 1 to " + spec.depth());
        }
    }

    /** Parameters per part, with the output shapes that the spec infers. */
    public ModelSummary summary() {
        Map<String, String> shapes = new LinkedHashMap<>();
        String patches = Shape.tokens(spec.tokens(), spec.width()).toString();
        String all = Shape.tokens(spec.prefixTokens() + spec.tokens(), spec.width()).toString();
        shapes.put("patch_embed", patches);
        shapes.put("cls_token", Shape.tokens(1, spec.width()).toString());
        shapes.put("pos_embed", all);
        int n = spec.prefixTokens() + spec.tokens();
        shapes.put("rel_pos_bias", "[heads=" + spec.heads() + ", tokens=" + n + ", tokens=" + n + "]");
        for (int i = 0; i < spec.depth(); i++) {
            shapes.put("blocks." + i, all);
        }
        shapes.put("norm", all);
        return ModelSummary.of(spec.describe(), this, shapes);
    }

    /** True when the position embedding is the fixed sin-cos table (frozen, not trained). */
    public boolean hasFixedPositions() {
        return spec.absolutePosition() == AbsolutePosition.SIN_COS_2D;
    }
}
