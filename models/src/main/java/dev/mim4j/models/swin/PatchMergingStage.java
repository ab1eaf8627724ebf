package dev.mim4j.models.swin;

import static org.bytedeco.pytorch.global.torch.cat;

import dev.mim4j.dsl.stage.PatchMerging;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.parts.Linear;
import dev.mim4j.models.parts.NormModule;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * The compiled {@link PatchMerging}, under the stage's name (Swin's {@code layers.i.downsample}):
 * {@code norm} over 4C and {@code reduction}, a Linear from 4C to 2C without bias (trunc-normal 0.02,
 * as Swin initialises Linears). For layer-wise decay it belongs with the block before it, as in
 * SimMIM's {@code get_swin_layer}.
 */
final class PatchMergingStage extends PartModule implements CompiledStage {

    private final int rows;
    private final int columns;
    private final NormModule norm;
    private final Linear reduction;

    private PatchMergingStage(PatchMerging stage, int rows, int columns, int width) {
        this.rows = rows;
        this.columns = columns;
        norm = child("norm", Compilers.norm(stage.norm(), 4 * width));
        reduction = child("reduction", Linears.of(4L * width, 2L * width, false));
        Initializers.truncatedNormal(reduction.weight(), Initializers.TOKEN_STD);
    }

    static CompiledStage compile(PatchMerging stage, StageContext context) {
        Shape grid = context.input();
        return context.module(new PatchMergingStage(stage, grid.size(Shape.ROWS), grid.size(Shape.COLUMNS),
                grid.size(Shape.WIDTH)));
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        Tensor x = flow.data();
        long batch = x.size(0);
        long width = x.size(2);
        // [batch, row, row parity, column, column parity, width]
        Tensor grid = x.reshape(batch, rows / 2, 2, columns / 2, 2, width);
        Tensor merged = cat(new TensorVector(corner(grid, 0, 0), corner(grid, 1, 0), corner(grid, 0, 1),
                corner(grid, 1, 1)), -1);
        return flow.withData(reduction.forward(norm.forward(merged.reshape(batch, -1, 4 * width))));
    }

    private static Tensor corner(Tensor grid, int rowParity, int columnParity) {
        return grid.select(2, rowParity).select(3, columnParity);
    }

    @Override
    public LayerRole role() {
        return LayerRole.WITH_PREVIOUS_BLOCK;
    }
}
