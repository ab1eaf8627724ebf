package dev.mim4j.models.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.pytorch.Tensor;

/** A safetensors file as a weight source: memory-mapped, each tensor copied only when it is loaded. */
public final class SafetensorsWeights implements WeightSource {

    private final SafetensorsFile file;

    private SafetensorsWeights(SafetensorsFile file) {
        this.file = file;
    }

    /**
     * Opens and validates the file's header; the data is read lazily. A file written with checksums
     * ({@link SafetensorsWriter#withChecksums()}) is checked whole first, so that no damaged file is loaded
     * from, even in part.
     *
     * @throws SafetensorsFormatException naming the file, and the tensor, when it is not well-formed or damaged
     */
    public static SafetensorsWeights open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        SafetensorsFile file = SafetensorsFile.open(path);
        try {
            file.verify();
        } catch (SafetensorsFormatException | RuntimeException failure) {
            file.close();
            throw failure;
        }
        return new SafetensorsWeights(file);
    }

    @Override
    public String description() {
        return file.path().toString();
    }

    @Override
    public List<String> names() {
        return file.tensors().stream().map(TensorInfo::name).toList();
    }

    @Override
    public long[] shape(String name) {
        return info(name).shape().clone();
    }

    @Override
    public Tensor read(String name) throws IOException {
        return TensorBridge.read(file, info(name));
    }

    private TensorInfo info(String name) {
        return file.info(name).orElseThrow(() -> new Mim4jException("name", 
                "no tensor named '" + name + "' in " + file.path()));
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
