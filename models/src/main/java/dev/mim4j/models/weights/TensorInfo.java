package dev.mim4j.models.weights;

import java.util.Arrays;
import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;

/**
 * One header entry of a safetensors file: a tensor's name, element type, shape and byte range
 * {@code [begin, end)} relative to the start of the data section.
 *
 * <p>The shape array is copied on the way in and out, so an instance is immutable.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    /**
     * @throws IllegalArgumentException if a dimension is negative, the range is reversed or its
     *     length is not the element count times the element size
     */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        long expected = byteLength(dtype, shape);
        if (begin < 0 || end < begin) {
            throw new Mim4jException("byte range", 
                    "tensor '" + name + "': byte range [" + begin + ", " + end + "] is not 0 <= begin <= end");
        }
        if (end - begin != expected) {
            throw new Mim4jException("byte range", "tensor '" + name + "': byte range [" + begin + ", " + end + "] holds "
                    + (end - begin) + " bytes, but " + dtype.code() + " " + Arrays.toString(shape) + " needs "
                    + expected);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** Product of the dimensions: 1 for a scalar, 0 if any dimension is 0. */
    public long elementCount() {
        return elementCount(shape);
    }

    /** Bytes the tensor occupies in the data section. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && begin == that.begin
                && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return "TensorInfo[name=" + name + ", dtype=" + dtype + ", shape=" + Arrays.toString(shape)
                + ", begin=" + begin + ", end=" + end + "]";
    }

    /**
     * Product of {@code shape}.
     *
     * @throws IllegalArgumentException if a dimension is negative or the product overflows a long
     */
    static long elementCount(long[] shape) {
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new Mim4jException("shape", 
                        "dimension " + i + " of shape " + Arrays.toString(shape) + " is negative");
            }
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                throw new Mim4jException("shape", "shape " + Arrays.toString(shape) + " has more than "
                        + Long.MAX_VALUE + " elements", e);
            }
        }
        return count;
    }

    /**
     * Bytes a tensor of {@code dtype} and {@code shape} occupies.
     *
     * @throws IllegalArgumentException if a dimension is negative or the size overflows a long
     */
    static long byteLength(DType dtype, long[] shape) {
        long count = elementCount(shape);
        try {
            return Math.multiplyExact(count, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new Mim4jException("shape", dtype.code() + " " + Arrays.toString(shape)
                    + " takes more than " + Long.MAX_VALUE + " bytes", e);
        }
    }
}
