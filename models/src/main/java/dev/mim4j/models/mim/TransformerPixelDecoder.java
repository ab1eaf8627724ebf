package dev.mim4j.models.mim;

import static org.bytedeco.pytorch.global.torch.zeros;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.TransformerDecoder;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.backbone.SinCos2d;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.parts.LayerNormModule;
import dev.mim4j.models.parts.Linear;
import dev.mim4j.models.vit.Block;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * MAE's decoder: embeds the encoder's tokens to its own width, puts a learned {@code mask_token}
 * back in every masked position (unshuffling), adds fixed 2-D sin-cos positions, runs its blocks and
 * norm, and predicts each patch's {@code p * p * C} pixels ({@code embed}, {@code mask_token},
 * {@code pos_embed}, {@code blocks.N}, {@code norm}, {@code pred}).
 */
public final class TransformerPixelDecoder extends DecoderModule {

    private final int prefix;
    private final Linear embed;
    private final Tensor maskToken;
    private final Tensor posEmbed;
    // Held so that the Java peer of the container outlives every native call into it (train, to, ...):
    // libtorch calls its virtual methods back through this object.
    private final Module blocksContainer;
    private final List<Block> blocks;
    private final LayerNormModule norm;
    private final Linear pred;

    /**
     * The compiler of {@link TransformerDecoder}: it needs a mask token of its own when the encoder
     * drops masked tokens, to put them back. It works on the encoder's output grid, which must be the
     * patch grid (one token per predicted patch).
     */
    public static TransformerPixelDecoder compile(TransformerDecoder spec, Backbone backbone, MaskedTokens handling,
            int predicted) {
        return new TransformerPixelDecoder(backbone, spec, handling == MaskedTokens.DROP, predicted);
    }

    private TransformerPixelDecoder(Backbone backbone, TransformerDecoder spec, boolean needsMaskToken, int predicted) {
        prefix = backbone.prefixTokens();
        int width = spec.width();
        TokenGrid grid = backbone.grid();
        embed = child("embed", Linears.of(backbone.width(), width, true));
        maskToken = needsMaskToken ? parameter("mask_token", zeros(1, 1, width)) : null;
        posEmbed = parameter("pos_embed", Tensors.floats(
                SinCos2d.table(grid.rows(), grid.columns(), width, prefix),
                1, prefix + grid.tokens(), width), false);
        blocksContainer = child("blocks", new Module());
        List<Block> built = new ArrayList<>();
        for (int i = 0; i < spec.depth(); i++) {
            built.add(blocksContainer.register_module(Integer.toString(i), new Block(spec.block())));
        }
        blocks = List.copyOf(built);
        norm = child("norm", new LayerNormModule(width, spec.normEps()));
        pred = child("pred", Linears.of(width, predicted, true));
        initialize();
    }

    /** MAE's: xavier-uniform Linears with zero bias, the mask token N(0, 0.02). */
    private void initialize() {
        Initializers.xavierLinear(embed.weight(), embed.bias());
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).initialize(Initialization.XAVIER_UNIFORM, i + 1);
        }
        Initializers.xavierLinear(pred.weight(), pred.bias());
        if (maskToken != null) {
            Initializers.normal(maskToken, 0.0, Initializers.TOKEN_STD);
        }
    }

    /**
     * @param encoded the encoder's output {@code [batch, prefix + n, width]}: all tokens, or the
     *                visible ones in shuffle order when the encoder dropped the masked ones
     * @return predicted pixels per patch {@code [batch, tokens, p * p * C]}
     */
    @Override
    public Tensor forward(Tensor encoded, MaskSample sample) {
        Tensor x = embed.forward(encoded);
        long tokens = sample.tokens();
        if (maskToken != null) {
            x = FullGrid.restore(x, sample, maskToken, prefix);
        }
        x = x.add(posEmbed);
        for (Block block : blocks) {
            x = block.forward(x, null);
        }
        x = pred.forward(norm.forward(x));
        return x.narrow(1, prefix, tokens);
    }

    /** MAE's layout: the encoder at the top level, the decoder's names with {@code decoder_}. */
    @Override
    public OfficialNames layout() {
        return OfficialNames.MAE;
    }

    @Override
    public Set<String> tokenParameters() {
        return maskToken == null ? Set.of("pos_embed") : Set.of("mask_token", "pos_embed");
    }
}
