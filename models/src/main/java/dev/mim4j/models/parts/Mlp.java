package dev.mim4j.models.parts;

import static org.bytedeco.pytorch.global.torch.gelu;

import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.init.Initializers;
import org.bytedeco.pytorch.Tensor;

/** The transformer's feed-forward part: {@code fc1}, exact (erf) GELU, {@code fc2}; the compiled {@link GeluMlp}. */
public final class Mlp extends MlpModule {

    private final Linear fc1;
    private final Linear fc2;

    /** The compiler of {@link GeluMlp}. */
    public static Mlp compile(GeluMlp part, int width) {
        return new Mlp(width, part.hidden(width));
    }

    Mlp(int width, int hidden) {
        fc1 = child("fc1", Linears.of(width, hidden, true));
        fc2 = child("fc2", Linears.of(hidden, width, true));
    }

    /** The first linear layer, to the hidden width. */
    public Linear fc1() {
        return fc1;
    }

    /** The second linear layer, back to the block's width. */
    public Linear fc2() {
        return fc2;
    }

    @Override
    public Tensor forward(Tensor x) {
        return fc2.forward(gelu(fc1.forward(x)));
    }

    /**
     * MAE's: both Linears xavier-uniform, zero bias. BEiT's: both trunc-normal 0.02, zero bias, then
     * {@code fc2} divided by {@code sqrt(2 * layer)}.
     */
    @Override
    public void initialize(Initialization scheme, int layer) {
        Initializers.linear(fc1.weight(), fc1.bias(), scheme);
        Initializers.linear(fc2.weight(), fc2.bias(), scheme);
        if (scheme == Initialization.TRUNC_NORMAL) {
            Initializers.scale(fc2.weight(), 1.0 / Math.sqrt(2.0 * layer));
        }
    }
}
