package dev.mim4j.models.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Supplies one tensor's bytes to a {@link SafetensorsWriter} when the file is written, so that a
 * model's tensors can be streamed one at a time instead of being held in memory together.
 */
@FunctionalInterface
public interface TensorSource {

    /**
     * Writes exactly the tensor's bytes, little-endian and row-major, to {@code out}. The writer
     * counts them and fails if the number differs from what the dtype and shape declare.
     */
    void writeTo(WritableByteChannel out) throws IOException;

    /**
     * A source that writes the remaining bytes of {@code bytes}, e.g. {@link SafetensorsFile#data}
     * of another file; the position and limit are captured now, and the buffer is not modified.
     */
    static TensorSource of(ByteBuffer bytes) {
        ByteBuffer captured = bytes.duplicate();
        return out -> {
            ByteBuffer remaining = captured.duplicate();
            while (remaining.hasRemaining()) {
                out.write(remaining);
            }
        };
    }
}
