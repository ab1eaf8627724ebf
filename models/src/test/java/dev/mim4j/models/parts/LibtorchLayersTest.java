package dev.mim4j.models.parts;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * mim4j's Linear and patch convolution are libtorch's Linear and Conv2d: the same seed draws the same parameters
 * and the same input gives the same output (the convolution to rounding, as a matrix product); and they are built
 * on a {@link ConstructionDevice}, which libtorch's cannot be.
 */
class LibtorchLayersTest {

    @Test
    void aLinearDrawsAndComputesAsLibtorchsLinear() {
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(7);
            LinearImpl theirs = new LinearImpl(new LinearOptions(5, 3));
            torch.manual_seed(7);
            Linear ours = new Linear(5, 3, true);
            assertThat(ours.weight().equal(theirs.weight())).isTrue();
            assertThat(ours.bias().equal(theirs.bias())).isTrue();
            Tensor x = torch.randn(2, 5);
            assertThat(ours.forward(x).equal(theirs.forward(x))).isTrue();
        }
    }

    @Test
    void aPatchConvolutionDrawsAndComputesAsLibtorchsConv2d() {
        try (PointerScope scope = new PointerScope()) {
            Conv2dOptions options = new Conv2dOptions(3, 4, new LongPointer(2L, 2L));
            options.stride().put(0, 2).put(1, 2);
            torch.manual_seed(11);
            Conv2dImpl theirs = new Conv2dImpl(options);
            torch.manual_seed(11);
            PatchConvolution ours = new PatchConvolution(3, 4, 2);
            assertThat(ours.weight().equal(theirs.weight())).isTrue();
            assertThat(ours.bias().equal(theirs.bias())).isTrue();
            Tensor x = torch.randn(1, 3, 6, 6);
            assertThat(ours.forward(x).sub(theirs.forward(x)).abs().max().item_double()).isLessThan(1e-6);
        }
    }

    @Test
    void onAConstructionDeviceEveryParameterIsMadeThere() {
        Device meta = new Device("meta");
        try (PointerScope scope = new PointerScope(); ConstructionDevice on = ConstructionDevice.of(meta)) {
            Linear linear = new Linear(4, 2, false);
            PatchConvolution conv = new PatchConvolution(1, 2, 2);
            LayerNormModule norm = new LayerNormModule(4, 1e-6);
            for (Tensor t : new Tensor[] {linear.weight(), conv.weight(), conv.bias()}) {
                assertThat(t.is_meta()).isTrue();
            }
            assertThat(norm.parameters().get()).allMatch(Tensor::is_meta);
            assertThat(linear.bias()).isNull();
        }
        try (PointerScope scope = new PointerScope()) {
            assertThat(new Linear(4, 2, true).weight().is_cpu()).as("the device ends with its scope").isTrue();
        }
    }
}
