package dev.mim4j.training;

import static org.bytedeco.pytorch.global.torch.from_blob;

import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.Batch;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Copies a loader batch into an image tensor {@code [size, C, H, W]} on a device. The batch's buffer
 * is reused and may be longer than its images (a last, partial batch), so only its first
 * {@code size} images are read; the tensor owns its copy, and the buffer can be recycled at once.
 */
public final class BatchTensors {

    private BatchTensors() {
    }

    public static Tensor images(Batch batch, Device device) {
        ImageSize s = batch.imageSize();
        try (FloatPointer pointer = new FloatPointer(batch.pixels())) {
            Tensor cpu = from_blob(pointer, new long[] {batch.size(), s.channels(), s.height(), s.width()},
                    new TensorOptions(ScalarType.Float)).clone();
            return device.is_cpu() ? cpu : cpu.to(device, ScalarType.Float);
        }
    }
}
