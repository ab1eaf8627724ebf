package dev.mim4j.models.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mim4j.models.Encoder;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.weights.IncompatibleWeightsException;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Moves a pre-trained encoder's weights into an encoder of the same backbone at another image size
 * or window, through {@link ShapeAdaptation} (bias tables resized, learned position tables resampled;
 * SimMIM itself has no rule for the latter); the fixed tables and buffers that the target computes for
 * itself (sin-cos positions, relative position indices, shifted-window masks) are left as the target
 * has them; everything else is copied as it is.
 */
public final class EncoderTransfer {

    private EncoderTransfer() {
    }

    /**
     * Copies {@code source}'s weights into {@code target}.
     *
     * @throws IncompatibleWeightsException listing what the target needs and the source lacks, or what
     *     differs in shape in a way no rule above covers
     */
    public static LoadReport copy(Encoder source, Encoder target) {
        Map<String, Tensor> from = StateDict.of(source.module());
        Map<String, Tensor> to = StateDict.of(target.module());
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<LoadReport.ShapeMismatch> mismatched = new ArrayList<>();
        ShapeAdaptation adaptation = ShapeAdaptation.from(source.spec().grid());
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> entry : to.entrySet()) {
                String name = entry.getKey();
                Tensor into = entry.getValue();
                if (ShapeAdaptation.computedByEncoder(name, into)) {
                    continue;
                }
                Tensor value = from.get(name);
                if (value == null) {
                    missing.add(name);
                    continue;
                }
                Tensor fitted = adaptation.fit(name, value, into, target.spec());
                if (fitted == null) {
                    mismatched.add(new LoadReport.ShapeMismatch(name, Tensors.shape(into), Tensors.shape(value)));
                    continue;
                }
                into.copy_(fitted);
                loaded.add(name);
            }
        }
        List<String> unexpected = from.keySet().stream().filter(name -> !to.containsKey(name)).toList();
        LoadReport report = new LoadReport(source.spec().describe(), loaded, missing, unexpected, mismatched);
        if (!missing.isEmpty() || !mismatched.isEmpty()) {
            throw new IncompatibleWeightsException(report);
        }
        return report;
    }


}
