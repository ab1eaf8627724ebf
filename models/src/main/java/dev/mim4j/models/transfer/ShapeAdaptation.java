package dev.mim4j.models.transfer;

import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.upsample_bicubic2d;

import java.util.Arrays;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * The filter that moves an encoder's weights to another image size or window: relative position bias
 * tables are resized to the new window as SimMIM's {@code load_pretrained} does
 * ({@link RelativeBiasResampling}, extra rows for a class token kept); learned position tables (ViT's
 * {@code pos_embed}, Swin's {@code absolute_pos_embed}) are resampled bicubically over the new grid as MAE's
 * {@code interpolate_pos_embed} and timm's {@code resample_abs_pos_embed} do (prefix rows kept). The source
 * grid is the one given, or, for a file that does not say, the square its position table holds.
 */
public final class ShapeAdaptation implements TensorFilter {

    /** From a checkpoint whose position tables hold square grids, as timm assumes of a file. */
    public static final ShapeAdaptation FROM_SQUARE_GRIDS = new ShapeAdaptation(null);

    private final TokenGrid source;

    private ShapeAdaptation(TokenGrid source) {
        this.source = source;
    }

    /** From an encoder of grid {@code source}. */
    public static ShapeAdaptation from(TokenGrid source) {
        return new ShapeAdaptation(source);
    }

    /**
     * True for the buffers and frozen tables that every encoder computes for its own sizes (relative position
     * indices, shifted-window masks, a fixed sin-cos position table): never taken from a checkpoint whose
     * sizes differ.
     */
    public static boolean computedByEncoder(String name, Tensor tensor) {
        return name.endsWith("relative_position_index") || name.endsWith("attn_mask")
                || (name.endsWith("pos_embed") && !tensor.requires_grad());
    }

    @Override
    public Tensor fit(String name, Tensor value, Tensor into, Backbone target) {
        if (Arrays.equals(Tensors.shape(value), Tensors.shape(into))) {
            return value;
        }
        if (name.endsWith("relative_position_bias_table") && value.dim() == 2 && value.size(1) == into.size(1)) {
            return biasTable(value, into);
        }
        if (name.endsWith("pos_embed") && value.dim() == 3 && value.size(2) == into.size(2)) {
            return positions(value, into, target.grid());
        }
        return null;
    }

    /** The square part resized to the target's window; rows beyond it (a class token's) kept. */
    private static Tensor biasTable(Tensor value, Tensor into) {
        int heads = (int) value.size(1);
        int from = (int) Math.sqrt(value.size(0));
        int to = (int) Math.sqrt(into.size(0));
        long extra = value.size(0) - (long) from * from;
        if (extra != into.size(0) - (long) to * to) {
            return null;
        }
        float[] resized = RelativeBiasResampling.resize(
                Tensors.toFloats(value.narrow(0, 0, (long) from * from)), from, to, heads);
        Tensor square = Tensors.floats(resized, (long) to * to, heads);
        return extra == 0 ? square
                : cat(new TensorVector(square, value.narrow(0, (long) from * from, extra).cpu()), 0);
    }

    /** The grid rows resampled bicubically (align_corners false, as timm and MAE do); prefix rows kept. */
    private Tensor positions(Tensor value, Tensor into, TokenGrid target) {
        int rows = target.rows();
        int columns = target.columns();
        long prefix = into.size(1) - (long) rows * columns;
        long sourceTokens = value.size(1) - prefix;
        int sourceRows;
        int sourceColumns;
        if (source != null) {
            sourceRows = source.rows();
            sourceColumns = source.columns();
        } else {
            sourceRows = (int) Math.round(Math.sqrt(Math.max(sourceTokens, 0)));
            sourceColumns = sourceRows;
        }
        if (prefix < 0 || sourceTokens != (long) sourceRows * sourceColumns || sourceTokens < 1) {
            return null;
        }
        long width = value.size(2);
        Tensor grid = value.narrow(1, prefix, sourceTokens).reshape(1, sourceRows, sourceColumns, width)
                .permute(0, 3, 1, 2);
        Tensor resampled = upsample_bicubic2d(grid, new long[] {rows, columns}, false, new DoubleOptional(),
                new DoubleOptional()).permute(0, 2, 3, 1).reshape(1, (long) rows * columns, width);
        return prefix == 0 ? resampled : cat(new TensorVector(value.narrow(1, 0, prefix), resampled), 1);
    }
}
