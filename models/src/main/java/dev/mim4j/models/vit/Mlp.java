package dev.mim4j.models.vit;

import static org.bytedeco.pytorch.global.torch.gelu;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/** The transformer's feed-forward part: {@code fc1}, exact (erf) GELU, {@code fc2}. */
public final class Mlp extends Module {

    private final LinearImpl fc1;
    private final LinearImpl fc2;

    Mlp(int width, int hidden) {
        fc1 = register_module("fc1", Linears.of(width, hidden, true));
        fc2 = register_module("fc2", Linears.of(hidden, width, true));
    }

    public LinearImpl fc1() {
        return fc1;
    }

    public LinearImpl fc2() {
        return fc2;
    }

    public Tensor forward(Tensor x) {
        return fc2.forward(gelu(fc1.forward(x)));
    }
}
