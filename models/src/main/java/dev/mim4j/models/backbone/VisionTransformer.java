package dev.mim4j.models.backbone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.ParameterFloor;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.stage.Pipeline;
import dev.mim4j.dsl.stage.Stage;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.ImageInputs;
import dev.mim4j.models.MachineMemory;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.ModelSummary;
import dev.mim4j.models.Natives;
import dev.mim4j.models.OwnedResults;
import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.ModuleTree;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import dev.mim4j.models.parts.PartModule;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * An encoder compiled from a {@link Backbone}'s pipeline, stage by stage, by the compilers
 * registered for its stages: the one route from a backbone spec to a module, for {@code ViT} and
 * for any backbone declared with the DSL's stages or a user's, hierarchical ones (patch merging,
 * window attention) included: every one of them is a vision transformer. Parameters sit under the stages'
 * names, which for a ViT are the official ones ({@code patch_embed.proj}, {@code cls_token},
 * {@code pos_embed}, {@code rel_pos_bias.*}, {@code blocks.N.*}, {@code norm}).
 */
public final class VisionTransformer extends PartModule implements Encoder {

    private final Backbone spec;
    private final MaskedTokens handling;
    private final Pipeline<?, ?> pipeline;
    private final List<CompiledStage> stages;
    // Holds the containers ("blocks") whose Java peers must outlive every native call into them.
    private final ModuleTree tree;
    private final int depth;
    private final ParameterRoles roles;
    /** A parameter, whose device is the model's (libtorch moves parameters in place). */
    private final Tensor anyParameter;

    /**
     * Compiles {@code spec} into a new encoder for features and fine-tuning (no mask token),
     * initialised as the spec's {@code initialization} says from libtorch's default generator.
     * The spec is not changed.
     */
    public static VisionTransformer compile(Backbone spec) {
        return compile(spec, null);
    }

    /**
     * Compiles {@code spec} into an encoder that handles masked tokens as {@code handling} (a
     * learned {@code mask_token} when they are replaced), or none when null.
     *
     * @throws dev.mim4j.dsl.SpecException if the backbone has no point for that handling
     */
    public static VisionTransformer compile(Backbone spec, MaskedTokens handling) {
        Objects.requireNonNull(spec, "spec");
        MachineMemory.checkWeightsFit(ParameterFloor.of(spec), "the backbone " + spec.describe());
        Natives.load();
        if (handling != null) {
            spec.checkHandles(handling);
        }
        return new VisionTransformer(spec, handling);
    }

    private VisionTransformer(Backbone spec, MaskedTokens handling) {
        this.spec = spec;
        this.handling = handling;
        this.pipeline = spec.pipeline();
        this.tree = new ModuleTree(this);
        List<CompiledStage> compiled = new ArrayList<>();
        int blocks = 0;
        for (int i = 0; i < pipeline.stages().size(); i++) {
            Stage<?, ?> stage = pipeline.stages().get(i);
            StageContext context = new StageContext(pipeline.names().get(i), pipeline.shapes().get(i),
                    pipeline.shapes().get(i + 1), spec, handling, blocks, tree);
            CompiledStage done = Compilers.stage(stage, context);
            compiled.add(done);
            blocks += done.role() == LayerRole.BLOCK ? 1 : 0;
        }
        this.stages = Collections.unmodifiableList(compiled);
        this.depth = blocks;
        this.roles = roles();
        Map<String, Tensor> parameters = StateDict.parameters(this);
        this.anyParameter = parameters.isEmpty() ? null : tree.keep(parameters.values().iterator().next());
    }

    /** Frees its weights and buffers; it cannot be used after. */
    @Override
    public void close() {
        tree.close();
        super.close();
    }

    @Override
    public Backbone spec() {
        return spec;
    }

    @Override
    public Module module() {
        return this;
    }

    @Override
    public int depth() {
        return depth;
    }

    /** The masked-token handling it was compiled for, or null. */
    public MaskedTokens handling() {
        return handling;
    }

    @Override
    public Tensor encode(Tensor images) {
        Objects.requireNonNull(images, "images");
        return run(images, null, null, depth);
    }

    @Override
    public Tensor encode(Tensor images, int blocks) {
        Objects.requireNonNull(images, "images");
        checkBlocks(blocks);
        return run(images, null, null, blocks);
    }

    /**
     * Also refuses a cut after which a stage other than a block or the final ones would run (patch
     * merging): its features would skip the blocks of the grid they describe.
     */
    @Override
    public void checkBlocks(int blocks) {
        Encoder.super.checkBlocks(blocks);
        int seen = 0;
        for (int i = 0; i < stages.size(); i++) {
            LayerRole role = stages.get(i).role();
            seen += role == LayerRole.BLOCK ? 1 : 0;
            if (seen >= blocks && role == LayerRole.WITH_PREVIOUS_BLOCK && blocks < depth) {
                throw new Mim4jException("blocks", "features after block " + blocks + ": the encoder ("
                        + spec.describe() + ") changes its grid after that block (" + pipeline.names().get(i)
                        + "), so its features are taken after the last block, " + depth);
            }
        }
    }

    @Override
    public Tensor encodeMasked(Tensor images, MaskSample sample, MaskedTokens handling) {
        if (handling == null || handling != this.handling) {
            throw new IllegalStateException("this encoder was compiled to " + describe(this.handling)
                    + ", not to " + describe(handling) + ": compile it with VisionTransformer.compile(spec, "
                    + handling + ")");
        }
        if (sample == null) {
            throw new Mim4jException("sample", "a masked pass needs a mask sample");
        }
        return run(images, sample.to(images.device()), handling, depth);
    }

    private static String describe(MaskedTokens handling) {
        return handling == null ? "handle no masked tokens" : handling.describe();
    }

    @Override
    public ParameterRoles parameterRoles() {
        return roles;
    }

    /** Runs every stage, skipping the blocks after the first {@code blocks}. */
    private Tensor run(Tensor images, MaskSample sample, MaskedTokens handling, int blocks) {
        ImageInputs.check(spec.image(), images);
        ImageInputs.checkDevice(images, anyParameter);
        return OwnedResults.tensor(() -> {
            TokenFlow flow = TokenFlow.of(images, sample, handling);
            int seen = 0;
            for (CompiledStage stage : stages) {
                if (stage.role() == LayerRole.BLOCK && seen++ >= blocks) {
                    continue;
                }
                flow = stage.forward(flow);
            }
            return flow.data();
        });
    }

    /**
     * Layer ids by stage: stages before the first block are layer 0, block {@code i} is layer
     * {@code i}, and the rest the layer after the last block.
     */
    private ParameterRoles roles() {
        Map<String, Integer> stageLayers = new LinkedHashMap<>();
        Set<String> tokens = new LinkedHashSet<>();
        int block = 0;
        for (int i = 0; i < stages.size(); i++) {
            CompiledStage stage = stages.get(i);
            int layer = switch (stage.role()) {
                case EMBEDDING -> 0;
                case BLOCK -> ++block;
                case WITH_PREVIOUS_BLOCK -> block;
                case TOP -> depth + 1;
            };
            stageLayers.put(pipeline.names().get(i), layer);
            tokens.addAll(stage.tokenParameters());
        }
        Map<String, Integer> layerIds = new LinkedHashMap<>();
        for (String name : StateDict.parameters(this).keySet()) {
            layerIds.put(name, stageLayers.entrySet().stream()
                    .filter(entry -> !entry.getKey().isEmpty()
                            && (name.equals(entry.getKey()) || name.startsWith(entry.getKey() + ".")))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(depth + 1));
        }
        return new ParameterRoles(tokens, layerIds, depth + 2);
    }

    /** Parameters per stage, with the output shape that the pipeline infers for it. */
    public ModelSummary summary() {
        Map<String, String> shapes = new LinkedHashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            String name = pipeline.names().get(i);
            if (!name.isEmpty()) {
                shapes.put(name, pipeline.shapes().get(i + 1).toString());
            }
        }
        return ModelSummary.of(spec.describe(), this, shapes);
    }
}
