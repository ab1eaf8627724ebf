package dev.mim4j.models.swin;

import static org.bytedeco.pytorch.global.torch.roll;

import java.util.Set;

import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.dsl.stage.SwinBlock;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.backbone.DropPaths;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.parts.MlpModule;
import dev.mim4j.models.parts.NormModule;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.Tensor;

/**
 * The compiled {@link SwinBlock}, under the stage's name (Swin's {@code layers.i.blocks.j}):
 * {@code norm1}, {@code attn} (a {@link WindowAttention}), {@code norm2}, {@code mlp}, and for a
 * shifted block the fixed {@code attn_mask} buffer. Linears are trunc-normal 0.02 with zero bias, as
 * Swin draws them.
 */
public final class SwinBlockStage extends PartModule implements CompiledStage {

    private final SwinBlock spec;
    private final int rows;
    private final int columns;
    private final NormModule norm1;
    private final WindowAttention attn;
    private final NormModule norm2;
    private final MlpModule mlp;
    private final Tensor mask;
    private final String tableName;

    private SwinBlockStage(SwinBlock spec, int rows, int columns, String name) {
        this.spec = spec;
        this.rows = rows;
        this.columns = columns;
        int width = spec.width();
        norm1 = child("norm1", Compilers.norm(spec.norm(), width));
        attn = child("attn", new WindowAttention(width, spec.heads(), spec.window(), spec.qkvBias()));
        norm2 = child("norm2", Compilers.norm(spec.norm(), width));
        mlp = child("mlp", Compilers.mlp(spec.mlp(), width));
        mask = spec.shift() == 0 ? null : buffer("attn_mask", Tensors.floats(
                ShiftedWindows.mask(rows, columns, spec.window(), spec.shift()),
                (long) (rows / spec.window()) * (columns / spec.window()), (long) spec.window() * spec.window(),
                (long) spec.window() * spec.window()));
        tableName = name + ".attn.relative_position_bias_table";
    }

    /** The compiler of {@link SwinBlock}. */
    public static CompiledStage compile(SwinBlock stage, StageContext context) {
        Shape grid = context.input();
        SwinBlockStage block = context.module(
                new SwinBlockStage(stage, grid.size(Shape.ROWS), grid.size(Shape.COLUMNS), context.name()));
        Initializers.linear(block.attn.qkv().weight(), block.attn.qkv().bias(), context.initialization());
        Initializers.linear(block.attn.proj().weight(), block.attn.proj().bias(), context.initialization());
        block.mlp.initialize(context.initialization(), context.blockIndex() + 1);
        return block;
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        Tensor x = flow.data();
        long batch = x.size(0);
        long width = x.size(2);
        int window = spec.window();
        int shift = spec.shift();
        Tensor grid = norm1.forward(x).view(batch, rows, columns, width);
        if (shift > 0) {
            grid = roll(grid, new long[] {-shift, -shift}, new long[] {1, 2});
        }
        Tensor windows = grid.view(batch, rows / window, window, columns / window, window, width)
                .permute(0, 1, 3, 2, 4, 5).reshape(-1, (long) window * window, width);
        Tensor mixed = attn.forward(windows, mask)
                .view(batch, rows / window, columns / window, window, window, width)
                .permute(0, 1, 3, 2, 4, 5).reshape(batch, rows, columns, width);
        if (shift > 0) {
            mixed = roll(mixed, new long[] {shift, shift}, new long[] {1, 2});
        }
        boolean training = is_training();
        x = x.add(DropPaths.apply(mixed.reshape(batch, (long) rows * columns, width), spec.dropPath(), training));
        x = x.add(DropPaths.apply(mlp.forward(norm2.forward(x)), spec.dropPath(), training));
        return flow.withData(x);
    }

    @Override
    public LayerRole role() {
        return LayerRole.BLOCK;
    }

    @Override
    public Set<String> tokenParameters() {
        return Set.of(tableName);
    }
}
