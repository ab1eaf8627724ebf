package dev.mim4j.models.backbone;

import static org.bytedeco.pytorch.global.torch.cat;

import java.util.Set;

import dev.mim4j.dsl.stage.PrependClassToken;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * The compiled {@link PrependClassToken}: a learned {@code cls_token}, plus its row of the position
 * table when there is one, in front of the tokens.
 */
final class PrependClassTokenStage implements CompiledStage {

    private final Tensor token;
    private final String name;

    private PrependClassTokenStage(Tensor token, String name) {
        this.token = token;
        this.name = name;
    }

    static CompiledStage compile(PrependClassToken stage, StageContext context) {
        return new PrependClassTokenStage(LearnedTokens.learned(context, 1, 1, context.input().size(Shape.WIDTH)),
                context.name());
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        Tensor cls = token;
        if (flow.prefixPositions() != null) {
            cls = cls.add(flow.prefixPositions().narrow(1, flow.prefixTokens(), 1));
        }
        Tensor tokens = flow.data();
        return flow.withPrefix(cat(new TensorVector(cls.expand(tokens.size(0), -1, -1), tokens), 1),
                flow.prefixTokens() + 1);
    }

    @Override
    public LayerRole role() {
        return LayerRole.EMBEDDING;
    }

    @Override
    public Set<String> tokenParameters() {
        return Set.of(name);
    }
}
