package dev.mim4j.models.mim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.parts.ConstructionDevice;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What would break first on CUDA, checked on a CPU build: a tensor made on the CPU during a training step. On a
 * device that is not the CPU ({@link LazyDevice}) an operation that meets a CPU tensor fails as it would on a GPU,
 * so the forward and backward passes of each built-in recipe, built there, must run through and leave the loss
 * and every gradient there.
 */
class NonCpuDeviceTest {

    static Stream<Arguments> recipes() {
        return Stream.of(Arguments.of("MAE", OfficialParityTest.MAE), Arguments.of("SimMIM on ViT",
                OfficialParityTest.SIMMIM), Arguments.of("SimMIM on Swin", OfficialParityTest.SIMMIM_SWIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void aStepOfTheRecipeMakesNoTensorOnTheCpu(String name, MimRecipe recipe) {
        Device lazy = LazyDevice.get();
        String where = torch.zeros(1).to(lazy, ScalarType.Float).device().str().getString(); // "lazy:0"
        try (PointerScope scope = new PointerScope()) {
            MimModel model;
            try (ConstructionDevice on = ConstructionDevice.of(lazy)) {
                model = MimModel.compile(recipe);
            }
            assertThat(model.parameters().get()).isNotEmpty().allMatch(p -> p.device().str().getString().equals(where));
            assertThat(model.buffers().get()).allMatch(b -> b.device().str().getString().equals(where));

            ImageSpec image = recipe.backbone().image();
            Tensor images = torch.randn(2, image.channels(), image.height(), image.width()).to(lazy, ScalarType.Float);
            Tensor loss = model.forward(images, new SplittableRandom(1)).loss();
            loss.backward();

            assertThat(loss.device().str().getString()).isEqualTo(where);
            assertThat(loss.cpu().item_float()).isFinite();
            int gradients = 0;
            for (Tensor parameter : model.parameters().get()) {
                if (parameter.grad().defined()) {
                    assertThat(parameter.grad().device().str().getString()).isEqualTo(where);
                    gradients++;
                }
            }
            assertThat(gradients).isGreaterThan(10);
        }
    }
}
