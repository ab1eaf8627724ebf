package dev.mim4j.models.vit;

import static org.bytedeco.pytorch.global.torch.zeros;

import dev.mim4j.models.Tensors;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.Tensor;

/**
 * BEiT's relative position bias: a learned table of one bias per head for every relative offset
 * between two grid positions, plus three entries for cls-to-token, token-to-cls and cls-to-cls
 * ({@code relative_position_bias_table}), looked up through a fixed index
 * ({@code relative_position_index}) into a {@code [heads, tokens, tokens]} bias on the attention logits.
 */
public final class RelativePositionBias extends PartModule {

    private final int tokens;
    private final int heads;
    private final Tensor table;
    private final Tensor index;

    RelativePositionBias(int gridHeight, int gridWidth, int heads, boolean classToken) {
        this.heads = heads;
        int distances = (2 * gridHeight - 1) * (2 * gridWidth - 1) + 3;
        table = parameter("relative_position_bias_table", zeros(distances, heads));
        long[] fullIndex = offsetIndex(gridHeight, gridWidth, distances);
        int withCls = gridHeight * gridWidth + 1;
        if (classToken) {
            tokens = withCls;
            index = buffer("relative_position_index", Tensors.longs(fullIndex, withCls, withCls));
        } else {
            tokens = withCls - 1;
            index = buffer("relative_position_index",
                    Tensors.longs(fullIndex, withCls, withCls).narrow(0, 1, tokens).narrow(1, 1, tokens).contiguous());
        }
    }

    /** The learned table, for initialisation. */
    Tensor table() {
        return table;
    }

    /** The bias over attention logits, {@code [heads, tokens, tokens]}. */
    public Tensor forward() {
        return table.index_select(0, index.view(-1)).view(tokens, tokens, heads).permute(2, 0, 1).contiguous();
    }

    /**
     * Row-major {@code [1 + h*w, 1 + h*w]} index into the table: patch pairs by their offset
     * {@code (dy + h - 1) * (2w - 1) + (dx + w - 1)}; then the three cls entries at the end.
     */
    static long[] offsetIndex(int h, int w, int distances) {
        int n = h * w + 1;
        long[] index = new long[n * n];
        for (int i = 0; i < h * w; i++) {
            for (int j = 0; j < h * w; j++) {
                int dy = i / w - j / w + h - 1;
                int dx = i % w - j % w + w - 1;
                index[(i + 1) * n + (j + 1)] = (long) dy * (2 * w - 1) + dx;
            }
        }
        for (int j = 0; j < n; j++) {
            index[j] = distances - 3;
        }
        for (int i = 0; i < n; i++) {
            index[i * n] = distances - 2;
        }
        index[0] = distances - 1;
        return index;
    }
}
