package dev.mim4j.models.compile;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.stage.Shape;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * What a stage compiler knows of where its stage sits: its name in the pipeline, the shapes around
 * it, the backbone, the masked-token handling the encoder is compiled for (null: none, as for
 * features), and which block it is; and where to register its parameters.
 *
 * @param blockIndex the number of block stages before this one
 */
public record StageContext(String name, Shape input, Shape output, Backbone backbone, MaskedTokens handling,
        int blockIndex, ModuleTree tree) {

    /** How new weights are drawn, by the backbone's spec. */
    public Initialization initialization() {
        return backbone.initialization();
    }

    /** Registers {@code module} under the stage's name. */
    public <M extends Module> M module(M module) {
        return tree.module(name, module);
    }

    /** Registers {@code value} as a parameter under the stage's name. */
    public Tensor parameter(Tensor value, boolean trainable) {
        return tree.parameter(name, value, trainable);
    }

    /** The full name of a parameter of the stage's module, e.g. {@code "rel_pos_bias.relative_position_bias_table"}. */
    public String nameOf(String local) {
        return name + "." + local;
    }
}
