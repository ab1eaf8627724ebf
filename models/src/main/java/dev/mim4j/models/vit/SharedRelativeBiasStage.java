package dev.mim4j.models.vit;

import static org.bytedeco.pytorch.global.torch.arange;
import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.gather;

import java.util.Set;

import dev.mim4j.dsl.stage.SharedRelativeBias;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The compiled {@link SharedRelativeBias}: a {@link RelativePositionBias} under the stage's name
 * ({@code rel_pos_bias}); it computes the bias once per pass for all the blocks that follow, cut to
 * the kept tokens' positions when masked tokens were dropped. In layer-wise decay it counts with
 * the layers after the blocks, as in BEiT.
 */
final class SharedRelativeBiasStage implements CompiledStage {

    private final RelativePositionBias bias;
    private final int prefix;
    private final String tableName;

    private SharedRelativeBiasStage(RelativePositionBias bias, int prefix, String tableName) {
        this.bias = bias;
        this.prefix = prefix;
        this.tableName = tableName;
    }

    static CompiledStage compile(SharedRelativeBias stage, StageContext context) {
        RelativePositionBias bias = context.module(new RelativePositionBias(stage.rows(), stage.columns(),
                stage.heads(), stage.prefixTokens() == 1));
        return new SharedRelativeBiasStage(bias, stage.prefixTokens(),
                context.nameOf("relative_position_bias_table"));
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        Tensor full = bias.forward();
        Tensor kept = flow.keptPositions();
        if (kept == null) {
            return flow.withLogitBias(full);
        }
        long batch = kept.size(0);
        Tensor index = kept.add(new Scalar(prefix));
        if (prefix > 0) {
            Tensor head = arange(new Scalar(prefix),
                    new TensorOptions(ScalarType.Long).device(new DeviceOptional(kept.device())))
                    .unsqueeze(0).expand(batch, -1);
            index = cat(new TensorVector(head, index), 1);
        }
        long heads = full.size(0);
        long all = full.size(1);
        long n = index.size(1);
        Tensor rows = gather(full.unsqueeze(0).expand(batch, heads, all, all), 2,
                index.view(batch, 1, n, 1).expand(batch, heads, n, all));
        return flow.withLogitBias(gather(rows, 3, index.view(batch, 1, 1, n).expand(batch, heads, n, n)));
    }

    @Override
    public LayerRole role() {
        return LayerRole.TOP;
    }

    @Override
    public Set<String> tokenParameters() {
        return Set.of(tableName);
    }
}
