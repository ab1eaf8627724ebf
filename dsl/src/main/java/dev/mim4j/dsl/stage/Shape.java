package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;

import com.google.common.collect.ImmutableList;
import dev.mim4j.dsl.SpecException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of the data between two stages, over named dimensions, printed like
 * {@code [batch, tokens=196, width=768]} or, for a grid, {@code [batch, rows=14, columns=14, width=768]}.
 */
public record Shape(List<Dim> dims) {

    public static final String BATCH = "batch";
    public static final String CHANNELS = "channels";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String TOKENS = "tokens";
    public static final String ROWS = "rows";
    public static final String COLUMNS = "columns";

    private static final List<String> IMAGE_DIMS = List.of(BATCH, CHANNELS, HEIGHT, WIDTH);
    private static final List<String> TOKEN_DIMS = List.of(BATCH, TOKENS, WIDTH);
    private static final List<String> GRID_DIMS = List.of(BATCH, ROWS, COLUMNS, WIDTH);

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

    /** Every token of a grid, as [batch, rows, columns, width]. */
    public static Shape grid(int rows, int columns, int width) {
        return new Shape(List.of(Dim.batch(), new Dim(ROWS, rows), new Dim(COLUMNS, columns), new Dim(WIDTH, width)));
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

    /**
     * This shape if it is a sequence of tokens, [batch, tokens, width], or a whole grid of them
     * (which is a sequence too), else a {@link SpecException}.
     */
    public Shape requireTokens() {
        check(names().equals(TOKEN_DIMS) || isGrid(), "expected tokens %s, got %s", TOKEN_DIMS, this);
        return this;
    }

    /** This shape if it is a whole grid [batch, rows, columns, width], else a {@link SpecException}. */
    public Shape requireGrid() {
        check(isGrid(), "expected a whole token grid %s, got %s", GRID_DIMS, this);
        return this;
    }

    /** Whether this is a whole grid of tokens. */
    public boolean isGrid() {
        return names().equals(GRID_DIMS);
    }

    /** The number of tokens of a sequence or a grid (rows x columns). */
    public int tokenCount() {
        requireTokens();
        return isGrid() ? size(ROWS) * size(COLUMNS) : size(TOKENS);
    }

    /** This sequence or grid with its token width changed. */
    public Shape withWidth(int width) {
        requireTokens();
        return isGrid() ? grid(size(ROWS), size(COLUMNS), width) : tokens(size(TOKENS), width);
    }

    private List<String> names() {
        return dims.stream().map(Dim::name).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
