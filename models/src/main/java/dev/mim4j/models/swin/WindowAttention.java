package dev.mim4j.models.swin;

import static org.bytedeco.pytorch.global.torch.linear;
import static org.bytedeco.pytorch.global.torch.zeros;

import dev.mim4j.models.Tensors;
import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.parts.DotProductAttention;
import dev.mim4j.models.parts.Linear;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

/**
 * Multi-head self-attention inside windows with Swin's relative position bias: a learned table of
 * one bias per head for each offset within a window ({@code relative_position_bias_table},
 * trunc-normal 0.02 as Swin draws it) looked up through a fixed index ({@code relative_position_index});
 * {@code qkv} and {@code proj} as in ViT.
 */
final class WindowAttention extends PartModule {

    private final int heads;
    private final int places;
    private final Linear qkv;
    private final Linear proj;
    private final Tensor qkvBias;
    private final Tensor table;
    private final Tensor index;

    WindowAttention(int width, int heads, int window, boolean qkvBias) {
        this.heads = heads;
        this.places = window * window;
        table = parameter("relative_position_bias_table",
                zeros((2L * window - 1) * (2L * window - 1), heads));
        index = buffer("relative_position_index",
                Tensors.longs(ShiftedWindows.relativeIndex(window), places, places));
        qkv = child("qkv", Linears.of(width, 3L * width, qkvBias));
        proj = child("proj", Linears.of(width, width, true));
        this.qkvBias = qkvBias ? qkv.bias() : new Tensor();
        Initializers.truncatedNormal(table, Initializers.TOKEN_STD);
    }

    Linear qkv() {
        return qkv;
    }

    Linear proj() {
        return proj;
    }

    /**
     * @param windows {@code [batch x windows, places, width]}
     * @param mask {@code [windows, places, places]} of 0 and -100 for shifted windows, or null
     */
    Tensor forward(Tensor windows, Tensor mask) {
        long count = windows.size(0);
        long width = windows.size(2);
        Tensor split = linear(windows, qkv.weight(), new TensorOptional(qkvBias))
                .reshape(count, places, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
        Tensor bias = table.index_select(0, index.view(-1)).view(places, places, heads).permute(2, 0, 1);
        Tensor logits = bias.unsqueeze(0);
        if (mask != null) {
            long perImage = mask.size(0);
            logits = logits.add(mask.unsqueeze(1)).unsqueeze(0)
                    .expand(count / perImage, perImage, heads, places, places).reshape(count, heads, places, places);
        }
        Tensor out = DotProductAttention.attend(split.select(0, 0), split.select(0, 1), split.select(0, 2), logits);
        return proj.forward(out.transpose(1, 2).reshape(count, places, width));
    }
}
