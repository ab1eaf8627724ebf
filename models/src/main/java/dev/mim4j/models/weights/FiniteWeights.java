package dev.mim4j.models.weights;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Refuses weights that hold NaN or infinite values, as a checkpoint saved after training diverged
 * does: features, probes and fine-tuning from such weights would be silently meaningless.
 */
public final class FiniteWeights {

    private FiniteWeights() {
    }

    /**
     * Checks every parameter and floating-point buffer of {@code module}.
     *
     * @param source where the weights came from, for the message (a checkpoint's path)
     * @throws IOException naming {@code source}, how many tensors hold non-finite values and the first few
     */
    public static void require(Module module, String source) throws IOException {
        List<String> bad = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            for (Map.Entry<String, Tensor> entry : StateDict.of(module).entrySet()) {
                Tensor tensor = entry.getValue();
                if (tensor.is_floating_point() && !tensor.isfinite().all().item_bool()) {
                    bad.add(entry.getKey());
                }
            }
        }
        if (!bad.isEmpty()) {
            throw new IOException(source + ": " + bad.size() + (bad.size() == 1 ? " tensor holds" : " tensors hold")
                    + " NaN or infinite values (" + String.join(", ", bad.subList(0, Math.min(3, bad.size())))
                    + (bad.size() > 3 ? ", ..." : "") + "): the weights were saved after training diverged; use an"
                    + " earlier checkpoint");
        }
    }
}
