package dev.mim4j.models.transfer;

import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.upsample_bicubic2d;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.mim4j.models.Encoder;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.weights.IncompatibleWeightsException;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * Moves a pre-trained encoder's weights into an encoder of the same backbone at another image size
 * or window: relative position bias tables are resized to the new window as SimMIM's
 * {@code load_pretrained} does ({@link RelativeBiasResampling}, extra rows for a class token kept);
 * learned position tables (ViT's {@code pos_embed}, Swin's {@code absolute_pos_embed}) are resampled
 * bicubically over the new grid as MAE's {@code interpolate_pos_embed} and timm do (prefix rows kept;
 * SimMIM itself has no rule for them); the fixed tables and buffers that the target computes for
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
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> entry : to.entrySet()) {
                String name = entry.getKey();
                Tensor into = entry.getValue();
                if (computedByTarget(name, into)) {
                    continue;
                }
                Tensor value = from.get(name);
                if (value == null) {
                    missing.add(name);
                    continue;
                }
                Tensor fitted = fit(name, value, into, target.spec().grid().rows(), target.spec().grid().columns(),
                        source.spec().grid().rows(), source.spec().grid().columns());
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

    /** Buffers and frozen tables that every encoder computes for its own sizes. */
    private static boolean computedByTarget(String name, Tensor tensor) {
        return name.endsWith("relative_position_index") || name.endsWith("attn_mask")
                || (name.endsWith("pos_embed") && !tensor.requires_grad());
    }

    /** {@code value} in {@code into}'s shape, or null when no rule makes it fit. */
    private static Tensor fit(String name, Tensor value, Tensor into, int rows, int columns, int sourceRows,
            int sourceColumns) {
        if (Arrays.equals(Tensors.shape(value), Tensors.shape(into))) {
            return value;
        }
        if (name.endsWith("relative_position_bias_table") && value.dim() == 2 && value.size(1) == into.size(1)) {
            return biasTable(value, into);
        }
        if (name.endsWith("pos_embed") && value.dim() == 3 && value.size(2) == into.size(2)) {
            return positions(value, into, rows, columns, sourceRows, sourceColumns);
        }
        return null;
    }

    /** The square part resized to the target's window; rows beyond it (a class token's) kept. */
    private static Tensor biasTable(Tensor value, Tensor into) {
        int heads = (int) value.size(1);
        int source = (int) Math.sqrt(value.size(0));
        int target = (int) Math.sqrt(into.size(0));
        long extra = value.size(0) - (long) source * source;
        if (extra != into.size(0) - (long) target * target) {
            return null;
        }
        float[] resized = RelativeBiasResampling.resize(
                Tensors.toFloats(value.narrow(0, 0, (long) source * source)), source, target, heads);
        Tensor square = Tensors.floats(resized, (long) target * target, heads);
        return extra == 0 ? square
                : cat(new TensorVector(square, value.narrow(0, (long) source * source, extra).cpu()), 0);
    }

    /** The grid rows resampled bicubically (align_corners false, as timm and MAE do); prefix rows kept. */
    private static Tensor positions(Tensor value, Tensor into, int rows, int columns, int sourceRows,
            int sourceColumns) {
        long prefix = value.size(1) - (long) sourceRows * sourceColumns;
        if (prefix < 0 || prefix != into.size(1) - (long) rows * columns) {
            return null;
        }
        long width = value.size(2);
        Tensor grid = value.narrow(1, prefix, (long) sourceRows * sourceColumns)
                .reshape(1, sourceRows, sourceColumns, width).permute(0, 3, 1, 2);
        Tensor resampled = upsample_bicubic2d(grid, new long[] {rows, columns}, false, new DoubleOptional(),
                new DoubleOptional()).permute(0, 2, 3, 1).reshape(1, (long) rows * columns, width);
        return prefix == 0 ? resampled : cat(new TensorVector(value.narrow(1, 0, prefix), resampled), 1);
    }
}
