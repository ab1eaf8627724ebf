package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import com.google.common.collect.ImmutableList;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.recipe.MaskedTokens;

/**
 * An immutable chain of named stages from data of kind {@code I} to data of kind {@code O}, with
 * the shape after every stage inferred as it is built, so that a size mistake fails at build time.
 * A stage's name is where its parameters live in the compiled module ({@code "patch_embed"},
 * {@code "blocks.3"}); stages without parameters may be unnamed.
 *
 * <p>{@code Pipeline.from(image).then(new TransformerBlock(block))} does not compile: a block is
 * a {@code Stage<Tokens, Tokens>} and images are not tokens until a {@link Patchify}.
 *
 * @param <I> the kind of data the pipeline takes
 * @param <O> the kind of data the pipeline gives
 */
public final class Pipeline<I, O> {

    private final ImmutableList<Stage<?, ?>> stages;
    private final ImmutableList<String> names;
    /** The input shape, then the shape after each stage. */
    private final ImmutableList<Shape> shapes;

    private Pipeline(ImmutableList<Stage<?, ?>> stages, ImmutableList<String> names, ImmutableList<Shape> shapes) {
        this.stages = stages;
        this.names = names;
        this.shapes = shapes;
    }

    /** An empty pipeline that takes images of this size. */
    public static Pipeline<Images, Images> from(ImageSpec image) {
        given("image", image);
        return new Pipeline<>(ImmutableList.of(), ImmutableList.of(),
                ImmutableList.of(Shape.images(image.channels(), image.height(), image.width())));
    }

    /** This pipeline followed by an unnamed {@code stage}, for a stage without parameters. */
    public <N> Pipeline<I, N> then(Stage<? super O, N> stage) {
        return then("", stage);
    }

    /**
     * This pipeline followed by {@code stage} under {@code name}, or a {@link SpecException} naming
     * the stage's index (from 0) and kind when it does not fit the current output shape.
     *
     * @param name a dotted path such as {@code "blocks.3"}, unique in the pipeline, or "" for none
     */
    public <N> Pipeline<I, N> then(String name, Stage<? super O, N> stage) {
        given("stage", stage);
        given("stage name", name);
        Shape output = checkedOutput(name, names.contains(name), stage, stages.size(), outputShape());
        return new Pipeline<>(
                ImmutableList.<Stage<?, ?>>builder().addAll(stages).add(stage).build(),
                ImmutableList.<String>builder().addAll(names).add(name).build(),
                ImmutableList.<Shape>builder().addAll(shapes).add(output).build());
    }

    /**
     * This pipeline followed by {@code count} stages that keep the kind of data (a backbone's blocks), stage
     * {@code i} being {@code stage.apply(i)} under {@code name.apply(i)}: as {@code count} calls of
     * {@link #then(String, Stage)}, in time linear in the stages, so that a spec of any depth is read (and, when
     * forged, refused) in milliseconds.
     */
    public Pipeline<I, O> thenRepeated(int count, IntFunction<String> name,
            IntFunction<? extends Stage<? super O, O>> stage) {
        given("stage name", name);
        given("stage", stage);
        check(count >= 0, "a count of %d stages cannot be negative", count);
        ImmutableList.Builder<Stage<?, ?>> allStages = ImmutableList.<Stage<?, ?>>builder().addAll(stages);
        ImmutableList.Builder<String> allNames = ImmutableList.<String>builder().addAll(names);
        ImmutableList.Builder<Shape> allShapes = ImmutableList.<Shape>builder().addAll(shapes);
        Set<String> taken = new HashSet<>(names);
        Shape shape = outputShape();
        for (int i = 0; i < count; i++) {
            Stage<? super O, O> next = given("stage", stage.apply(i));
            String nextName = given("stage name", name.apply(i));
            shape = checkedOutput(nextName, taken.contains(nextName), next, stages.size() + i, shape);
            taken.add(nextName);
            allStages.add(next);
            allNames.add(nextName);
            allShapes.add(shape);
        }
        return new Pipeline<>(allStages.build(), allNames.build(), allShapes.build());
    }

    /** The shape {@code stage} (number {@code index}) gives from {@code input}, checking its name first. */
    private static Shape checkedOutput(String name, boolean nameTaken, Stage<?, ?> stage, int index, Shape input) {
        check(name.isEmpty() || !nameTaken, "stage name '%s' is used twice", name);
        check(name.isEmpty() || name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*"),
                "stage name '%s' is not a dotted path of letters, digits and underscores", name);
        try {
            return stage.infer(input);
        } catch (SpecException e) {
            throw new SpecException(
                    String.format(Locale.ROOT, "stage %d (%s) cannot take %s: %s",
                            index, stage.getClass().getSimpleName(), input, e.getMessage()),
                    e);
        }
    }

    /** The stages in order. */
    public List<Stage<?, ?>> stages() {
        return stages;
    }

    /** The name of each stage, "" for an unnamed one. */
    public List<String> names() {
        return names;
    }

    public Shape inputShape() {
        return shapes.get(0);
    }

    public Shape outputShape() {
        return shapes.get(shapes.size() - 1);
    }

    /** The input shape followed by the shape after each stage, one more than there are stages. */
    public List<Shape> shapes() {
        return shapes;
    }

    /** The index of the stage where masked tokens are handled as {@code handling}, if there is one. */
    public Optional<Integer> pointFor(MaskedTokens handling) {
        return IntStream.range(0, stages.size())
                .filter(i -> stages.get(i) instanceof MaskedTokenPoint point && point.handling() == handling)
                .boxed()
                .findFirst();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pipeline<?, ?> that
                && stages.equals(that.stages)
                && names.equals(that.names)
                && inputShape().equals(that.inputShape());
    }

    @Override
    public int hashCode() {
        return Objects.hash(stages, names, inputShape());
    }

    /** The input shape, then one line per stage with its name and the shape it gives. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Pipeline ").append(inputShape());
        for (int i = 0; i < stages.size(); i++) {
            text.append("\n  ").append(i).append(' ');
            if (!names.get(i).isEmpty()) {
                text.append(names.get(i)).append(": ");
            }
            text.append(stages.get(i)).append(" -> ").append(shapes.get(i + 1));
        }
        return text.toString();
    }
}
