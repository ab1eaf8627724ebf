package dev.mim4j.models.backbone;

import java.util.Set;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.stage.AddPositions;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import org.bytedeco.pytorch.Tensor;

/**
 * The compiled {@link AddPositions}: a position table ({@code pos_embed},
 * {@code [1, prefix + rows x columns, width]}), MAE's fixed 2-D sin-cos one (frozen, zero rows for
 * the prefix) or a learned one; it adds the grid rows to the patch tokens and hands the prefix rows
 * on to the stage that adds the prefix tokens.
 */
final class AddPositionsStage implements CompiledStage {

    private final Tensor table;
    private final int prefix;
    private final int tokens;
    private final String name;

    private AddPositionsStage(Tensor table, int prefix, int tokens, String name) {
        this.table = table;
        this.prefix = prefix;
        this.tokens = tokens;
        this.name = name;
    }

    static CompiledStage compile(AddPositions stage, StageContext context) {
        Shape grid = context.input();
        int rows = grid.size(Shape.ROWS);
        int columns = grid.size(Shape.COLUMNS);
        int width = grid.size(Shape.WIDTH);
        int prefix = stage.prefixTokens();
        long positions = prefix + (long) rows * columns;
        Tensor table = switch (stage.scheme()) {
            case LEARNED -> LearnedTokens.learned(context, 1, positions, width);
            case SIN_COS_2D -> context.parameter(
                    Tensors.floats(SinCos2d.table(rows, columns, width, prefix), 1, positions, width), false);
            case NONE -> throw new Mim4jException("position scheme", "position scheme NONE has no table");
        };
        return new AddPositionsStage(table, prefix, rows * columns, context.name());
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        TokenFlow added = flow.withData(flow.data().add(table.narrow(1, prefix, tokens)));
        return prefix == 0 ? added : added.withPrefixPositions(table.narrow(1, 0, prefix));
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
