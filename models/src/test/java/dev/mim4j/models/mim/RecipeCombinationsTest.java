package dev.mim4j.models.mim;

import static dev.mim4j.models.TensorAssert.assertShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.PixelLoss;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.LinearPixelDecoder;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.models.Natives;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every combination of the recipe's parts that the spec accepts compiles, runs a step and trains every
 * trainable parameter.
 */
class RecipeCombinationsTest {

    /** Non-square, grayscale, with MAE's backbone flavour. */
    static final ViT ABSOLUTE = ViT.builder().image(16, 24, 1).patchSize(4).width(32).depth(2).heads(2).build();
    /** SimMIM's backbone flavour: q/v bias, layer scale, shared relative position bias, no absolute positions. */
    static final ViT RELATIVE = ABSOLUTE.toBuilder().image(16, 24, 3).qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1)
            .absolutePosition(AbsolutePosition.NONE).relativePosition(RelativePosition.SHARED_BIAS).build();

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    static Stream<Arguments> recipes() {
        List<Arguments> all = new ArrayList<>();
        for (ViT backbone : List.of(ABSOLUTE, RELATIVE)) {
            for (Masking masking : List.of(Masking.randomPatches(0.75), Masking.blocks(8, 0.5))) {
                for (MaskedTokens tokens : MaskedTokens.values()) {
                    for (Decoder decoder : List.of(Decoder.transformer(16, 1, 2), Decoder.linearPixels())) {
                        if (tokens == MaskedTokens.DROP && decoder instanceof LinearPixelDecoder) {
                            continue; // rejected by the spec: the encoder would get no gradient
                        }
                        for (PixelLoss loss : List.of(Loss.mse(), Loss.l1().everywhere())) {
                            Target target = loss.kind() == PixelLoss.Kind.MSE ? Target.pixels().normalizedPerPatch()
                                    : Target.pixels();
                            MimRecipe recipe = MimRecipe.on(backbone).masking(masking).maskedTokens(tokens)
                                    .decoder(decoder).target(target).loss(loss).build();
                            all.add(Arguments.of(recipe.describe() + (backbone == RELATIVE ? ", relative bias" : ""),
                                    recipe));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void compilesAndTrainsEveryParameter(String name, MimRecipe recipe) {
        MimModel model = MimModel.compile(recipe);
        Backbone backbone = recipe.backbone();
        try (PointerScope scope = new PointerScope()) {
            Tensor images = randn(2, backbone.image().channels(), backbone.image().height(), backbone.image().width());
            MimOutput out = model.forward(images, new SplittableRandom(5));
            float loss = out.loss().item_float();
            assertThat(loss).isFinite().isPositive();
            assertShape(out.prediction(), 2, backbone.tokens(), backbone.patchDim());
            assertShape(out.reconstruction(), 2, backbone.image().channels(), backbone.image().height(),
                    backbone.image().width());
            out.loss().backward();
            for (Map.Entry<String, Tensor> p : StateDict.parameters(model).entrySet()) {
                if (p.getValue().requires_grad()) {
                    assertThat(p.getValue().grad().defined()).as("gradient of " + p.getKey()).isTrue();
                    assertThat(p.getValue().grad().abs().sum().item_float()).as("gradient of " + p.getKey())
                            .isFinite().isPositive();
                }
            }
        }
    }
}
