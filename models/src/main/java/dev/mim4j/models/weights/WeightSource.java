package dev.mim4j.models.weights;

import java.io.IOException;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

/**
 * Named tensors to load into a model, read one at a time so that a large checkpoint never has to be
 * held twice: a safetensors file ({@link SafetensorsWeights}) or a PyTorch pickle ({@link PthWeights}).
 *
 * <p>Native memory: each tensor {@code read} returns is the caller's, to close or to leave to an enclosing
 * {@link org.bytedeco.javacpp.PointerScope}; {@code close()} releases the file.
 */
public interface WeightSource extends AutoCloseable {

    /** Where the weights come from, for messages. */
    String description();

    /** The names, in the source's order. */
    List<String> names();

    /** The shape of the named tensor, without reading its data. */
    long[] shape(String name);

    /** A CPU tensor holding the named tensor's values; the caller owns it. */
    Tensor read(String name) throws IOException;

    @Override
    void close() throws IOException;
}
