package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.check;

/**
 * One named dimension of a {@link Shape}, so that a size in an error message says what it
 * counts; the batch is {@link #SYMBOLIC} because a spec never fixes it.
 */
public record Dim(String name, int size) {

    /** The size of a dimension that is only known when data arrives. */
    public static final int SYMBOLIC = -1;

    public Dim {
        check(name != null && !name.isBlank(), "a dimension needs a name");
        check(size >= 1 || size == SYMBOLIC, "dimension %s size %d must be at least 1", name, size);
    }

    /** The batch dimension, whose size a spec leaves open. */
    public static Dim batch() {
        return new Dim(Shape.BATCH, SYMBOLIC);
    }

    public boolean isSymbolic() {
        return size == SYMBOLIC;
    }

    /** "tokens=196", or just "batch" for a symbolic dimension. */
    @Override
    public String toString() {
        return isSymbolic() ? name : name + "=" + size;
    }
}
