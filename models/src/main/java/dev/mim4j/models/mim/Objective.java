package dev.mim4j.models.mim;

import java.util.Objects;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.models.compile.Compilers;
import org.bytedeco.pytorch.Tensor;

/**
 * What a masked-image model is trained to do: a target made from the images and a loss of the
 * prediction against it.
 */
public record Objective(TargetFunction target, LossFunction loss) {

    public Objective {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(loss, "loss");
    }

    /** The recipe's target and loss, compiled for {@code backbone}'s patches. */
    public static Objective of(Target target, Loss loss, Backbone backbone) {
        return new Objective(Compilers.target(target, backbone), Compilers.loss(loss, backbone));
    }

    /** The loss of {@code prediction} for {@code images} under {@code mask}. */
    public Tensor loss(Tensor prediction, Tensor images, Tensor mask) {
        return loss.of(prediction, target.of(images), mask);
    }
}
