package dev.mim4j.models.weights;

import static org.bytedeco.pytorch.global.torch.pickle_load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.GenericDict;
import org.bytedeco.pytorch.GenericDictIterator;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.Tensor;

/**
 * A file written by Python's {@code torch.save} as a weight source, read through libtorch's
 * {@code pickle_load}: a state dict, or a dict that holds one under {@code "model"} (the official MAE
 * checkpoints), {@code "state_dict"} or {@code "module"}. Non-tensor entries are ignored.
 */
public final class PthWeights implements WeightSource {

    private static final List<String> WRAPPER_KEYS = List.of("model", "state_dict", "module");

    private final Path path;
    private final Map<String, Tensor> tensors;

    private PthWeights(Path path, Map<String, Tensor> tensors) {
        this.path = path;
        this.tensors = tensors;
    }

    /** Reads the whole file (it must be under 2 GiB; convert bigger ones to safetensors in Python). */
    public static PthWeights read(Path path) throws IOException {
        Natives.load();
        long size = Files.size(path);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException(path + ": " + size + " bytes is more than a .pth import can read here (2 GiB); "
                    + "convert it to safetensors in Python (safetensors.torch.save_file)");
        }
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length < 4 || !(bytes[0] == 'P' && bytes[1] == 'K') && (bytes[0] & 0xff) != 0x80) {
            throw new IOException(path + ": not a file written by torch.save (neither a zip archive nor a pickle)");
        }
        IValue root;
        try (ByteVector data = new ByteVector(bytes)) {
            root = pickle_load(data);
        } catch (RuntimeException e) {
            throw new IOException(path + ": could not unpickle it as a torch.save file: " + e.getMessage(), e);
        }
        GenericDict dict = stateDict(path, root);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (GenericDictIterator it = dict.begin(); !it.equals(dict.end()); it = it.increment()) {
            IValue key = it.access().key();
            IValue value = it.access().value();
            if (key.isString() && value.isTensor()) {
                tensors.put(key.toStringRef().getString(), value.toTensor());
            }
        }
        if (tensors.isEmpty()) {
            throw new IOException(path + ": holds no named tensors");
        }
        return new PthWeights(path, tensors);
    }

    private static GenericDict stateDict(Path path, IValue root) throws IOException {
        if (!root.isGenericDict()) {
            throw new IOException(path + ": holds a " + root.tagKind().getString()
                    + ", not a dict of tensors (a state_dict or {\"model\": state_dict})");
        }
        GenericDict dict = root.toGenericDict();
        for (String key : WRAPPER_KEYS) {
            IValue k = new IValue(key);
            if (dict.contains(k) && dict.at(k).isGenericDict()) {
                return dict.at(k).toGenericDict();
            }
        }
        return dict;
    }

    @Override
    public String description() {
        return path.toString();
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    @Override
    public long[] shape(String name) {
        return Tensors.shape(tensor(name));
    }

    @Override
    public Tensor read(String name) {
        return tensor(name).detach().clone();
    }

    private Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in " + path);
        }
        return t;
    }

    @Override
    public void close() {
        tensors.clear();
    }
}
