package dev.mim4j.models.vit;

import static dev.mim4j.models.init.Initializers.normal;
import static dev.mim4j.models.init.Initializers.scale;
import static dev.mim4j.models.init.Initializers.truncatedNormal;
import static dev.mim4j.models.init.Initializers.xavierUniformAsMatrix;

import dev.mim4j.models.init.Initializers;

import java.util.List;

import dev.mim4j.dsl.AbsolutePosition;
import org.bytedeco.pytorch.LinearImpl;

/**
 * The official initialisations of the backbone, chosen by the spec's {@code Initialization}.
 *
 * <p>MAE's ({@code XAVIER_UNIFORM}): every Linear xavier-uniform (the fused qkv as one matrix) with zero
 * bias, the patch convolution like a Linear, tokens N(0, 0.02), LayerNorm 1 and 0.
 * BEiT/SimMIM's ({@code TRUNC_NORMAL}): Linears truncated-normal with std 0.02 and zero bias, then
 * {@code attn.proj} and {@code mlp.fc2} of block {@code i} divided by {@code sqrt(2 (i + 1))};
 * tokens truncated-normal 0.02; the patch convolution keeps libtorch's default.
 * The relative position table, q/v biases and layer scales keep their construction values
 * (zeros, zeros, the layer-scale init), as in both official code bases.
 */
final class ViTInitialization {

    private static final double TOKEN_STD = Initializers.TOKEN_STD;

    private ViTInitialization() {
    }

    static void apply(VisionTransformer vit) {
        boolean mae = switch (vit.spec().initialization()) {
            case XAVIER_UNIFORM -> true;
            case TRUNC_NORMAL -> false;
        };
        if (mae) {
            xavierUniformAsMatrix(vit.patchEmbed().proj().weight());
        }
        if (vit.clsToken() != null) {
            token(vit.clsToken(), mae);
        }
        if (vit.maskToken() != null) {
            token(vit.maskToken(), mae);
        }
        if (vit.spec().absolutePosition() == AbsolutePosition.LEARNED) {
            token(vit.posEmbed(), mae);
        }
        List<Block> blocks = vit.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            for (LinearImpl linear : List.of(block.attn().qkv(), block.attn().proj(), block.mlp().fc1(),
                    block.mlp().fc2())) {
                linear(linear, mae);
            }
            if (!mae) {
                double rescale = 1.0 / Math.sqrt(2.0 * (i + 1));
                scale(block.attn().proj().weight(), rescale);
                scale(block.mlp().fc2().weight(), rescale);
            }
        }
    }

    private static void linear(LinearImpl linear, boolean mae) {
        if (mae) {
            Initializers.xavierLinear(linear);
        } else {
            Initializers.truncatedNormalLinear(linear, TOKEN_STD);
        }
    }

    private static void token(org.bytedeco.pytorch.Tensor token, boolean mae) {
        if (mae) {
            normal(token, 0.0, TOKEN_STD);
        } else {
            truncatedNormal(token, TOKEN_STD);
        }
    }
}
