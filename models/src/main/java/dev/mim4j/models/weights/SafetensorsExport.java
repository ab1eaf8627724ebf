package dev.mim4j.models.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Writes a module's state (parameters and buffers, by their dotted names) to a safetensors file that
 * Python's {@code safetensors.torch.load_file} and mim4j both read; written to a temporary file and
 * renamed, so an existing file is never left half-written. Every file holds checksums of its tensors and
 * header ({@link SafetensorsWriter#withChecksums()}), which mim4j checks whenever it reads the file.
 */
public final class SafetensorsExport {

    private SafetensorsExport() {
    }

    public static void write(Module module, Path path, Map<String, String> metadata) throws IOException {
        write(StateDict.of(module), path, metadata);
    }

    /** Writes the named tensors, streamed one at a time. */
    public static void write(Map<String, Tensor> tensors, Path path, Map<String, String> metadata) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter().withChecksums();
        writer.metadata("format", "pt");
        metadata.forEach(writer::metadata);
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            Tensor tensor = entry.getValue();
            writer.add(entry.getKey(), TensorBridge.dtype(Tensors.scalarType(tensor)), Tensors.shape(tensor),
                    TensorBridge.source(tensor));
        }
        writer.write(path);
    }
}
