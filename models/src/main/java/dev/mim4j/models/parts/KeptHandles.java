package dev.mim4j.models.parts;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The native handles a module keeps for itself (its registered tensors, its children's Java peers), each
 * with a reference of its own, so that neither a {@link org.bytedeco.javacpp.PointerScope} that was open when
 * it was made nor the garbage collector frees it while the module lives; {@link #close()} gives them back.
 */
public final class KeptHandles {

    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Module> modules = new ArrayList<>();

    /** Keeps {@code tensor} and returns it. */
    public Tensor tensor(Tensor tensor) {
        tensor.retainReference();
        tensors.add(tensor);
        return tensor;
    }

    /** Keeps {@code module} (a {@link PartModule} keeps itself already) and returns it. */
    public <M extends Module> M module(M module) {
        if (!(module instanceof PartModule)) {
            module.retainReference();
        }
        modules.add(module);
        return module;
    }

    /** Closes the modules kept (which frees theirs in turn) and gives back the tensors' references. */
    public void close() {
        for (int i = modules.size() - 1; i >= 0; i--) {
            modules.get(i).close();
        }
        tensors.forEach(Tensor::releaseReference);
        modules.clear();
        tensors.clear();
    }
}
