package dev.mim4j.models;

import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.dsl.part.LayerNormPart;
import dev.mim4j.dsl.part.MultiHeadAttention;
import dev.mim4j.dsl.recipe.LinearPixelDecoder;
import dev.mim4j.dsl.recipe.PixelLoss;
import dev.mim4j.dsl.recipe.PixelTarget;
import dev.mim4j.dsl.recipe.TransformerDecoder;
import dev.mim4j.models.backbone.BuiltInStages;
import dev.mim4j.models.compile.PartProvider;
import dev.mim4j.models.compile.PartRegistry;
import dev.mim4j.models.mim.LinearPixelDecoderModule;
import dev.mim4j.models.mim.PixelLossFunction;
import dev.mim4j.models.mim.PixelTargetFunction;
import dev.mim4j.models.mim.TransformerPixelDecoder;
import dev.mim4j.models.parts.LayerNormModule;
import dev.mim4j.models.parts.Mlp;
import dev.mim4j.models.swin.SwinStages;
import dev.mim4j.models.vit.Attention;
import dev.mim4j.models.vit.VitStages;

/**
 * The compilers of the built-in parts and stages, registered through the same {@link PartProvider} route as a
 * user's (the DSL knows their JSON names already).
 */
public final class BuiltInParts implements PartProvider {

    @Override
    public void register(PartRegistry parts) {
        BuiltInStages.register(parts);
        VitStages.register(parts);
        SwinStages.register(parts);
        parts.attention(MultiHeadAttention.class, Attention::compile)
                .mlp(GeluMlp.class, Mlp::compile)
                .norm(LayerNormPart.class, LayerNormModule::compile)
                .decoder(TransformerDecoder.class, TransformerPixelDecoder::compile)
                .decoder(LinearPixelDecoder.class, LinearPixelDecoderModule::compile)
                .target(PixelTarget.class, PixelTargetFunction::compile)
                .loss(PixelLoss.class, PixelLossFunction::compile);
    }
}
