package dev.mim4j.models.weights;

import static org.bytedeco.pytorch.global.torch.empty;
import static org.bytedeco.pytorch.global.torch.from_blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Natives;
import dev.mim4j.models.weights.TorchPickle.TensorRef;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;

/**
 * A file written by Python's {@code torch.save} (the zip format of PyTorch 1.6 and later) as a weight
 * source: a state dict, or a dict that holds one under {@code "model"} (the official MAE checkpoints),
 * {@code "state_dict"} or {@code "module"}. Non-tensor entries are ignored. The archive and its pickle are
 * read in Java ({@link TorchPickle}), never by libtorch's unpickler, so a damaged or forged file is an
 * {@link IOException} naming it, not a crash of the process; each tensor is checked against its storage
 * before anything is read, and read from the archive when asked for.
 */
public final class PthWeights implements WeightSource {

    private static final List<String> WRAPPER_KEYS = List.of("model", "state_dict", "module");

    private final Path path;
    private final ZipFile zip;
    private final String prefix;
    private final Map<String, TensorRef> tensors;

    private PthWeights(Path path, ZipFile zip, String prefix, Map<String, TensorRef> tensors) {
        this.path = path;
        this.zip = zip;
        this.prefix = prefix;
        this.tensors = tensors;
    }

    /**
     * Opens the archive, reads its pickle and checks every tensor against its storage.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static PthWeights read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Natives.load();
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such file");
        }
        byte[] start;
        try (InputStream in = Files.newInputStream(path)) {
            start = in.readNBytes(2);
        }
        if (start.length == 2 && (start[0] & 0xff) == 0x80) {
            throw new IOException(path + ": written by torch.save before PyTorch 1.6 (the legacy format), which is"
                    + " not read here; load and save it again with a newer PyTorch, or convert it to safetensors");
        }
        if (start.length < 2 || start[0] != 'P' || start[1] != 'K') {
            throw new IOException(path + ": not a file written by torch.save (not a zip archive)");
        }
        ZipFile zip = null;
        try {
            zip = new ZipFile(path.toFile());
            PthWeights weights = open(path, zip, Files.size(path));
            zip = null;
            return weights;
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException(path + ": could not read it as a torch.save file: " + reason, e);
        } finally {
            if (zip != null) {
                zip.close();
            }
        }
    }

    private static PthWeights open(Path path, ZipFile zip, long fileSize) throws IOException {
        ZipEntry pickle = null;
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
            ZipEntry entry = entries.nextElement();
            if (entry.getName().endsWith("/data.pkl") && entry.getName().indexOf('/') == entry.getName().length() - 9) {
                pickle = entry;
                break;
            }
        }
        if (pickle == null) {
            throw new IOException("the archive holds no <name>/data.pkl");
        }
        String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
        ZipEntry order = zip.getEntry(prefix + "byteorder");
        if (order != null && !"little".equals(new String(entryBytes(zip, order, 16, fileSize)).strip())) {
            throw new IOException("its storages are big-endian, which is not read here");
        }
        Object root = TorchPickle.load(entryBytes(zip, pickle, fileSize, fileSize));
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : stateDict(root).entrySet()) {
            if (entry.getKey() instanceof String name && entry.getValue() instanceof TensorRef tensor) {
                check(name, tensor, zip, prefix);
                tensors.put(name, tensor);
            }
        }
        if (tensors.isEmpty()) {
            throw new IOException("it holds no named tensors");
        }
        return new PthWeights(path, zip, prefix, tensors);
    }

    private static Map<?, ?> stateDict(Object root) throws IOException {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new IOException("it holds a " + describe(root) + ", not a dict of tensors (a state_dict or"
                    + " {\"model\": state_dict})");
        }
        for (String key : WRAPPER_KEYS) {
            if (dict.get(key) instanceof Map<?, ?> inner) {
                return inner;
            }
        }
        return dict;
    }

    private static String describe(Object value) {
        return value instanceof List ? "list" : value instanceof Object[] ? "tuple"
                : value instanceof TensorRef ? "tensor" : value.getClass().getSimpleName();
    }

    /** Checks that the tensor's view lies inside its storage and the storage's entry holds it. */
    private static void check(String name, TensorRef tensor, ZipFile zip, String prefix) throws IOException {
        long elements = 1;
        long last = tensor.offset();
        for (int d = 0; d < tensor.size().length; d++) {
            long size = tensor.size()[d];
            long stride = tensor.stride()[d];
            if (size < 0 || stride < 0) {
                throw new IOException("tensor '" + name + "' has a negative size or stride");
            }
            elements = Math.multiplyExact(elements, size);
            last = size == 0 ? last : Math.addExact(last, Math.multiplyExact(size - 1, stride));
        }
        long storageBytes = Math.multiplyExact(tensor.storage().elements(), tensor.storage().dtype().byteSize());
        // a state dict's tensors are views that fit their storage: an expanded one (stride 0) of a small file
        // could ask for gigabytes
        if (tensor.offset() < 0 || tensor.offset() > tensor.storage().elements()
                || elements > 0 && last >= tensor.storage().elements() || elements > tensor.storage().elements()) {
            throw new IOException("tensor '" + name + "' reaches element " + last + " of a storage of "
                    + tensor.storage().elements());
        }
        if (Math.multiplyExact(elements, tensor.storage().dtype().byteSize()) > Integer.MAX_VALUE - 8) {
            throw new IOException("tensor '" + name + "' is larger than 2 GiB, more than is read here from a .pth;"
                    + " convert the file to safetensors");
        }
        if (storageBytes > Integer.MAX_VALUE - 8) {
            throw new IOException("the storage of tensor '" + name + "' is larger than 2 GiB, more than is read here"
                    + " from a .pth; convert the file to safetensors");
        }
        ZipEntry data = zip.getEntry(prefix + "data/" + tensor.storage().key());
        if (data != null && data.getMethod() != ZipEntry.STORED) {
            throw new IOException("the storage of tensor '" + name + "' is compressed; torch.save stores them as"
                    + " they are");
        }
        if (data == null || data.getSize() != storageBytes) {
            throw new IOException("the storage of tensor '" + name + "' (data/" + tensor.storage().key() + ") is "
                    + (data == null ? "missing" : data.getSize() + " bytes, not " + storageBytes));
        }
    }

    private static byte[] entryBytes(ZipFile zip, ZipEntry entry, long limit, long fileSize) throws IOException {
        if (entry.getSize() > Math.min(limit, fileSize) || entry.getSize() > Integer.MAX_VALUE - 8) {
            throw new IOException("its entry " + entry.getName() + " claims " + entry.getSize() + " bytes");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.max(0, entry.getSize()));
            if (bytes.length != entry.getSize()) {
                throw new IOException("its entry " + entry.getName() + " ends after " + bytes.length + " of "
                        + entry.getSize() + " bytes");
            }
            return bytes;
        }
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
        return tensor(name).size().clone();
    }

    @Override
    public Tensor read(String name) throws IOException {
        TensorRef tensor = tensor(name);
        TensorOptions options = new TensorOptions(TensorBridge.scalarType(tensor.storage().dtype()));
        byte[] values = values(tensor);
        if (values.length == 0) {
            return empty(tensor.size(), options, new MemoryFormatOptional());
        }
        try (BytePointer pointer = new BytePointer(values)) {
            return from_blob(pointer, tensor.size(), options).clone();
        }
    }

    /** The tensor's elements in row-major order, gathered from its storage. */
    private byte[] values(TensorRef tensor) throws IOException {
        int width = tensor.storage().dtype().byteSize();
        ZipEntry entry = zip.getEntry(prefix + "data/" + tensor.storage().key());
        byte[] storage;
        try {
            storage = entryBytes(zip, entry, entry.getSize(), Long.MAX_VALUE);
        } catch (IOException | RuntimeException e) {
            throw new IOException(path + ": could not read the storage of a tensor: " + e.getMessage(), e);
        }
        long[] size = tensor.size();
        int elements = 1;
        for (long s : size) {
            elements *= (int) s;
        }
        byte[] values = new byte[elements * width];
        if (elements == 0) {
            return values;
        }
        if (isRowMajor(size, tensor.stride())) {
            System.arraycopy(storage, (int) (tensor.offset() * width), values, 0, values.length);
            return values;
        }
        long[] index = new long[size.length];
        for (int i = 0; i < elements; i++) {
            long at = tensor.offset();
            for (int d = 0; d < size.length; d++) {
                at += index[d] * tensor.stride()[d];
            }
            System.arraycopy(storage, (int) (at * width), values, i * width, width);
            for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0;
            }
        }
        return values;
    }

    private static boolean isRowMajor(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    private TensorRef tensor(String name) {
        TensorRef t = tensors.get(name);
        if (t == null) {
            throw new Mim4jException("name", "no tensor named '" + name + "' in " + path);
        }
        return t;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
