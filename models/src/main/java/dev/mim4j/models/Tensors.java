package dev.mim4j.models;

import static org.bytedeco.pytorch.global.torch.from_blob;

import java.util.Arrays;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Copies between Java arrays and CPU tensors, and small facts about tensors that Java code asks often.
 *
 * <p>Native memory: a tensor made here is the caller's, to close or to leave to an enclosing
 * {@link org.bytedeco.javacpp.PointerScope}.
 */
public final class Tensors {

    private Tensors() {
    }

    /** A float32 CPU tensor holding a copy of {@code data}. */
    public static Tensor floats(float[] data, long... shape) {
        checkCount(data.length, shape);
        try (FloatPointer pointer = new FloatPointer(data)) {
            return from_blob(pointer, shape, new TensorOptions(ScalarType.Float)).clone();
        }
    }

    /** An int64 CPU tensor holding a copy of {@code data}. */
    public static Tensor longs(long[] data, long... shape) {
        checkCount(data.length, shape);
        try (LongPointer pointer = new LongPointer(data)) {
            return from_blob(pointer, shape, new TensorOptions(ScalarType.Long)).clone();
        }
    }

    /** The tensor's values as float32, in row-major order (copied to the CPU first if needed). */
    public static float[] toFloats(Tensor tensor) {
        Tensor flat = tensor.detach().to(ScalarType.Float).cpu().contiguous();
        float[] out = new float[Math.toIntExact(flat.numel())];
        flat.data_ptr_float().get(out);
        return out;
    }

    /** The tensor's values as int64, in row-major order. */
    public static long[] toLongs(Tensor tensor) {
        Tensor flat = tensor.detach().to(ScalarType.Long).cpu().contiguous();
        long[] out = new long[Math.toIntExact(flat.numel())];
        flat.data_ptr_long().get(out);
        return out;
    }

    /**
     * The tensor's element type as the canonical enum constant. The presets hand back a fresh enum
     * object whose ordinal is 0 (Byte) whatever its value, so {@code ==} and {@code switch} on
     * {@code scalar_type()} silently misbehave without {@code intern()}.
     */
    public static ScalarType scalarType(Tensor tensor) {
        return tensor.scalar_type().intern();
    }

    /** The tensor's shape as a Java array. */
    public static long[] shape(Tensor tensor) {
        long[] shape = new long[(int) tensor.dim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.size(i);
        }
        return shape;
    }

    private static void checkCount(int length, long[] shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new Mim4jException("shape", "shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            count = Math.multiplyExact(count, d);
        }
        if (count != length) {
            throw new Mim4jException("data", "shape " + Arrays.toString(shape) + " holds " + count
                    + " values but " + length + " were given");
        }
    }
}
