package dev.mim4j.training.finetune;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.parts.LayerNormModule;
import dev.mim4j.models.parts.Linear;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * An encoder with a classification head, for fine-tuning: pooled features ({@link ClassifierPooling}),
 * then {@code head}, a Linear initialised as MAE's fine-tuning does (truncated normal, std 2e-5, zero bias).
 *
 * <p>With mean pooling, MAE drops the encoder's final norm and normalises the pooled vector instead
 * ({@code fc_norm}, epsilon 1e-6 as in MAE); here the encoder keeps its norm, and {@code fc_norm}
 * follows the pooling.
 */
public final class Classifier extends PartModule {

    private final Encoder encoder;
    private final ClassifierPooling pooling;
    private final LayerNormModule fcNorm;
    private final Linear head;

    public Classifier(Encoder encoder, int classes, ClassifierPooling pooling) {
        if (classes < 2) {
            throw new Mim4jException("classes", "classes " + classes + " must be at least 2");
        }
        if (pooling == ClassifierPooling.CLS && encoder.spec().prefixTokens() == 0) {
            throw new Mim4jException("pooling", "cls pooling needs a backbone with a cls token; use mean pooling");
        }
        this.encoder = encoder;
        child("encoder", encoder.module());
        this.pooling = pooling;
        int width = encoder.spec().width();
        fcNorm = pooling == ClassifierPooling.MEAN
                ? child("fc_norm", new LayerNormModule(width, 1e-6)) : null;
        head = child("head", Linears.of(width, classes, true));
        Initializers.truncatedNormalLinear(head.weight(), head.bias(), 2e-5);
    }

    public Encoder encoder() {
        return encoder;
    }

    /** The encoder's parameter roles under this module's names; the head counts with the last layer. */
    public ParameterRoles parameterRoles() {
        return encoder.parameterRoles().under("encoder.");
    }

    public int classes() {
        return (int) head.weight().size(0);
    }

    /** Class logits {@code [batch, classes]}. */
    public Tensor forward(Tensor images) {
        Tensor tokens = encoder.encode(images);
        int prefix = encoder.spec().prefixTokens();
        Tensor pooled = pooling == ClassifierPooling.CLS ? tokens.select(1, 0)
                : fcNorm.forward(tokens.narrow(1, prefix, tokens.size(1) - prefix)
                        .mean(new long[] {1}, false, new ScalarTypeOptional()));
        return head.forward(pooled);
    }
}
