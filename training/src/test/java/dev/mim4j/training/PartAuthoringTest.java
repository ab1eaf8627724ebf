package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.pytorch.global.torch.layer_norm;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.scaled_dot_product_attention;
import static org.bytedeco.pytorch.global.torch.silu;
import static org.bytedeco.pytorch.global.torch.zeros;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.models.parts.AttentionModule;
import dev.mim4j.models.parts.MlpModule;
import dev.mim4j.models.parts.NormModule;
import dev.mim4j.models.parts.PartModule;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;
import dev.mim4j.training.eval.FeatureExtractor;
import dev.mim4j.training.eval.Features;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts written the way the presets' own samples write modules, with {@code register_parameter} and
 * {@code register_module}, and the way the README shows, with the base classes' helpers: each kind
 * (attention, MLP, norm) trains, survives a garbage collection, checkpoints, resumes and gives features.
 * With a plain {@code Module} as their base, the first aborted the JVM ("Cannot increase refcount after it
 * reached zero") and the second failed in {@code Module.train} once its child's Java peer was collected.
 */
class PartAuthoringTest {

    /** Attention with a LayerNorm on the queries and keys (QK-norm), and a learned per-head scale of the logits. */
    public record QkNormAttention() implements AttentionPart {
        @Override
        public void validate(int width, int heads) {
        }

        @Override
        public String describe() {
            return "qk-norm attention";
        }
    }

    /** A gated MLP, SwiGLU. */
    public record GatedMlp(double ratio) implements MlpPart {
        @Override
        public void validate(int width) {
        }

        @Override
        public String describe(int width) {
            return "gated mlp " + ratio;
        }
    }

    /** RMSNorm. */
    public record RootMeanSquareNorm(double eps) implements NormPart {
        @Override
        public String describe() {
            return "rms norm " + eps;
        }
    }

    /**
     * A child module written in Java, whose peer libtorch calls back into ({@code train}, {@code to}); on the
     * documented base, so that its own {@code register_parameter} calls are safe too.
     */
    static final class HeadNorm extends PartModule {
        final Tensor weight;
        final Tensor bias;

        HeadNorm(int headWidth) {
            weight = register_parameter("weight", ones(headWidth));
            bias = register_parameter("bias", zeros(headWidth));
        }
    }

    /**
     * The presets' idioms: the tensors that {@code register_parameter} returns, kept in fields, and a Java
     * child that is registered and then dropped, its tensors kept.
     */
    static final class PresetsStyleAttention extends AttentionModule {
        private final int heads;
        private final LinearImpl qkv;
        private final LinearImpl proj;
        private final Tensor queryScale;
        private final Tensor keyScale;
        private final Tensor[] queryNorm;

        PresetsStyleAttention(QkNormAttention part, int width, int heads) {
            this.heads = heads;
            queryScale = register_parameter("query_scale", ones(heads, 1, 1));
            keyScale = register_parameter("key_scale", ones(heads, 1, 1));
            qkv = register_module("qkv", new LinearImpl(new LinearOptions(width, 3L * width)));
            HeadNorm norm = new HeadNorm(width / heads);
            register_module("q_norm", norm);
            queryNorm = new Tensor[] {norm.weight, norm.bias};
            proj = register_module("proj", new LinearImpl(new LinearOptions(width, width)));
        }

        @Override
        public Tensor forward(Tensor x, Tensor logitBias) {
            long batch = x.size(0);
            long tokens = x.size(1);
            long width = x.size(2);
            Tensor split = qkv.forward(x).reshape(batch, tokens, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
            Tensor q = layer_norm(split.select(0, 0), new long[] {width / heads}, new TensorOptional(queryNorm[0]),
                    new TensorOptional(queryNorm[1]), 1e-6, true).mul(queryScale);
            Tensor k = split.select(0, 1).mul(keyScale);
            Tensor attended = scaled_dot_product_attention(q, k, split.select(0, 2));
            return proj.forward(attended.transpose(1, 2).reshape(batch, tokens, width));
        }
    }

    /** The helpers, as the README shows them; one child made inside a PointerScope that closes before it is used. */
    static final class HelperStyleMlp extends MlpModule {
        private final LinearImpl fc1;
        private final LinearImpl fc2;

        HelperStyleMlp(GatedMlp part, int width) {
            int hidden = (int) Math.round(width * part.ratio());
            try (PointerScope scope = new PointerScope()) {
                fc1 = child("fc1", new LinearImpl(new LinearOptions(width, 2L * hidden)));
            }
            fc2 = child("fc2", new LinearImpl(new LinearOptions(hidden, width)));
        }

        @Override
        public Tensor forward(Tensor x) {
            TensorVector gateAndValue = fc1.forward(x).chunk(2, -1);
            return fc2.forward(silu(gateAndValue.get(0)).mul(gateAndValue.get(1)));
        }
    }

    /** The helpers, with the parameter made inside a PointerScope that closes before the module is used. */
    static final class HelperStyleNorm extends NormModule {
        private final double eps;
        private final Tensor weight;

        HelperStyleNorm(RootMeanSquareNorm part, int width) {
            eps = part.eps();
            try (PointerScope scope = new PointerScope()) {
                weight = parameter("weight", ones(width));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor meanSquare = x.square().mean(new long[] {-1}, true, new ScalarTypeOptional());
            return x.mul(meanSquare.add(new Scalar(eps)).rsqrt()).mul(weight);
        }
    }

    private static final MimRecipe RECIPE = MimRecipe.mae(TinyRuns.VIT.toBuilder()
                    .attention(new QkNormAttention()).mlp(new GatedMlp(2)).norm(new RootMeanSquareNorm(1e-6)).build())
            .toBuilder().decoder(Decoder.transformer(16, 1, 2)).build();

    @BeforeAll
    static void register() {
        SpecJson.register(AttentionPart.class, "qkNormAttention", QkNormAttention.class);
        SpecJson.register(MlpPart.class, "gatedMlp", GatedMlp.class);
        SpecJson.register(NormPart.class, "rootMeanSquareNorm", RootMeanSquareNorm.class);
        Compilers.attention(QkNormAttention.class, PresetsStyleAttention::new);
        Compilers.mlp(GatedMlp.class, HelperStyleMlp::new);
        Compilers.norm(RootMeanSquareNorm.class, HelperStyleNorm::new);
    }

    @Test
    void partsOfEveryKindTrainResumeAndGiveFeaturesAfterACollection(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(2).toBuilder().checkpointEverySteps(3).keepCheckpoints(5).build();
        List<Double> whole = new ArrayList<>();
        Pretrainer.start(RECIPE, config, TinyRuns.data(32), dir.resolve("whole"))
                .listener(TinyRuns.stepLosses(whole, -1)).run();
        collectGarbage();

        Path broken = dir.resolve("broken");
        List<Double> first = new ArrayList<>();
        try {
            Pretrainer.start(RECIPE, config, TinyRuns.data(32), broken).listener(TinyRuns.stepLosses(first, 5)).run();
        } catch (IllegalStateException expected) {
            // the simulated crash at step 5
        }
        collectGarbage();
        List<Double> rest = new ArrayList<>();
        Pretrainer.resume(broken, TinyRuns.data(32), broken).listener(TinyRuns.stepLosses(rest, -1)).run();
        List<Double> stitched = new ArrayList<>(first.subList(0, 4));
        stitched.addAll(rest);
        assertThat(stitched).containsExactlyElementsOf(whole);

        collectGarbage();
        var encoder = Checkpoints.loadModel(broken).encoder();
        collectGarbage();
        try (Features features = FeatureExtractor.extract(encoder, SyntheticDataset.of(12, new ImageSize(3, 16, 16), 1),
                Transforms.eval(16, Normalize.IMAGENET), Pooling.CLS, 4, 1)) {
            assertThat(features.count()).isEqualTo(12);
            assertThat(features.values().abs().sum().item_double()).isFinite().isPositive();
        }
    }

    private static void collectGarbage() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }
}
