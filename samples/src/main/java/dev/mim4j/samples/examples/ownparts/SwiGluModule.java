package dev.mim4j.samples.examples.ownparts;

import static org.bytedeco.pytorch.global.torch.silu;

import dev.mim4j.dsl.Initialization;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.parts.MlpModule;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * The compiled {@link SwiGluMlp}: {@code fc1} projects to the gate and the value at once
 * ({@code 2 x hidden}), {@code fc2} projects back. It is a {@link MlpModule}, so a block holds it
 * as {@code mlp} like the built-in MLP, and the library's compiler finds it through the compiler
 * registered for {@link SwiGluMlp}.
 */
public final class SwiGluModule extends MlpModule {

    private final LinearImpl fc1;
    private final LinearImpl fc2;

    public SwiGluModule(SwiGluMlp part, int width) {
        int hidden = part.hidden(width);
        fc1 = child("fc1", new LinearImpl(new LinearOptions(width, 2L * hidden)));
        fc2 = child("fc2", new LinearImpl(new LinearOptions(hidden, width)));
    }

    @Override
    public Tensor forward(Tensor x) {
        TensorVector gateAndValue = fc1.forward(x).chunk(2, -1);
        return fc2.forward(silu(gateAndValue.get(0)).mul(gateAndValue.get(1)));
    }

    /** Both Linears as the backbone's scheme draws its own: xavier-uniform for MAE, trunc-normal for BEiT. */
    @Override
    public void initialize(Initialization scheme, int layer) {
        Initializers.linear(fc1, scheme);
        Initializers.linear(fc2, scheme);
    }
}
