package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;

import com.google.common.collect.ImmutableList;
import dev.mim4j.dsl.SpecException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of the data between two stages, over named dimensions, printed like
 * {@code [batch, tokens=196, width=768]}.
 */
public record Shape(List<Dim> dims) {

    public static final String BATCH = "batch";
    public static final String CHANNELS = "channels";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String TOKENS = "tokens";

    private static final List<String> IMAGE_DIMS = List.of(BATCH, CHANNELS, HEIGHT, WIDTH);
    private static final List<String> TOKEN_DIMS = List.of(BATCH, TOKENS, WIDTH);

    public Shape {
        dims = ImmutableList.copyOf(given("dims", dims));
        check(!dims.isEmpty(), "a shape needs at least one dimension");
        check(dims.stream().map(Dim::name).distinct().count() == dims.size(),
                "dimension names in %s must be distinct", dims);
    }

    /** Images as [batch, channels, height, width]. */
    public static Shape images(int channels, int height, int width) {
        return new Shape(List.of(
                Dim.batch(), new Dim(CHANNELS, channels), new Dim(HEIGHT, height), new Dim(WIDTH, width)));
    }

    /** Tokens as [batch, tokens, width]. */
    public static Shape tokens(int count, int width) {
        return new Shape(List.of(Dim.batch(), new Dim(TOKENS, count), new Dim(WIDTH, width)));
    }

    /** The size of the dimension called {@code name}, {@link Dim#SYMBOLIC} for the batch. */
    public int size(String name) {
        return dims.stream()
                .filter(dim -> dim.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new SpecException("shape " + this + " has no dimension " + name))
                .size();
    }

    /** This shape if it is [batch, channels, height, width], else a {@link SpecException}. */
    public Shape requireImages() {
        check(names().equals(IMAGE_DIMS), "expected images %s, got %s", IMAGE_DIMS, this);
        return this;
    }

    /** This shape if it is [batch, tokens, width], else a {@link SpecException}. */
    public Shape requireTokens() {
        check(names().equals(TOKEN_DIMS), "expected tokens %s, got %s", TOKEN_DIMS, this);
        return this;
    }

    private List<String> names() {
        return dims.stream().map(Dim::name).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
