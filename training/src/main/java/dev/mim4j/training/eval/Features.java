package dev.mim4j.training.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.models.weights.TensorInfo;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Frozen features of a dataset, one row per image, with each image's label: the input of
 * {@link Knn} and {@link LinearProbe}.
 *
 * <p><b>Ownership.</b> {@code values} is native memory that the Java GC does not see. The factories
 * here ({@link FeatureExtractor}, {@link PixelFeatures}, {@link #load}) create it in the caller's
 * innermost {@link PointerScope} if one is open, else outside any scope; {@link #close()} frees it.
 *
 * @param values {@code [n, width]} float32 on the CPU
 * @param labels the class of each row, from 0, or -1 for an unlabelled image
 * @param pooling how the rows were pooled from an encoder's tokens; null for raw pixels
 */
public record Features(Tensor values, int[] labels, Pooling pooling) implements AutoCloseable {

    static final String VALUES = "features";
    static final String LABELS = "labels";
    static final String POOLING = "pooling";
    private static final String PIXELS = "pixels";

    public Features {
        if (values == null || labels == null) {
            throw new Mim4jException("features", "features need values and labels; got " + (values == null ? "no values"
                    : "no labels"));
        }
        if (values.dim() != 2) {
            throw new Mim4jException("features", "feature values have shape " + Arrays.toString(Tensors.shape(values))
                    + "; expected [images, width]");
        }
        if (Tensors.scalarType(values) != ScalarType.Float || !values.is_cpu()) {
            throw new Mim4jException("features", "feature values are " + Tensors.scalarType(values) + " on "
                    + (values.is_cpu() ? "the CPU" : "a GPU") + "; expected float32 on the CPU");
        }
        if (labels.length != values.size(0)) {
            throw new Mim4jException("features", "features have " + values.size(0) + " rows but " + labels.length
                    + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < -1) {
                throw new Mim4jException("labels", "label " + labels[i] + " of row " + i
                        + " is negative; labels are classes from 0, or -1 for none");
            }
        }
        labels = labels.clone();
    }

    /** Features from the first {@code rows} rows of {@code values} and {@code labels}, filled by a loader. */
    static Features ofRows(float[] values, int[] labels, int rows, int width, Pooling pooling) {
        boolean full = rows == labels.length;
        return new Features(Tensors.floats(full ? values : Arrays.copyOf(values, rows * width), rows, width),
                full ? labels : Arrays.copyOf(labels, rows), pooling);
    }

    /** The labels, a copy. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Number of rows (images). */
    public int count() {
        return labels.length;
    }

    /** Length of each feature vector. */
    public int width() {
        return (int) values.size(1);
    }

    /** One more than the largest label: the number of classes the labels show; 0 when unlabelled. */
    public int classCount() {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    /**
     * Throws unless every row has a label below {@code classes}.
     *
     * @param role which features these are in the message, e.g. "train"
     */
    void requireLabels(String role, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new Mim4jException("labels", "the " + role + " features have unlabelled images (label -1 at row "
                        + i + "); kNN and the linear probe need a labelled dataset");
            }
            if (labels[i] >= classes) {
                throw new Mim4jException("labels", "the " + role + " features have label " + labels[i] + " at row " + i
                        + ", outside the " + classes + " classes [0, " + classes + ")");
            }
        }
    }

    /**
     * Writes a safetensors file: {@code features} F32 {@code [n, width]}, {@code labels} I64
     * {@code [n]}, and the pooling ({@code cls}, {@code mean} or {@code pixels}) in the metadata.
     */
    public void save(Path path) throws IOException {
        save(path, Map.of());
    }

    /**
     * As {@link #save(Path)}, with {@code provenance} (say, the checkpoint and block the features come
     * from) also in the metadata.
     *
     * @throws IllegalArgumentException if {@code provenance} names {@code pooling} or {@code format},
     *     which the file itself records
     */
    public void save(Path path, Map<String, String> provenance) throws IOException {
        for (String reserved : new String[] {POOLING, "format"}) {
            if (provenance.containsKey(reserved)) {
                throw new Mim4jException("provenance", "the provenance of saved features names '" + reserved + "' ("
                        + provenance.get(reserved) + "); that metadata key is the file's own, use another name");
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>(provenance);
        metadata.put(POOLING, pooling == null ? PIXELS : pooling.label());
        try (PointerScope scope = new PointerScope()) {
            long[] longLabels = Arrays.stream(labels).asLongStream().toArray();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put(VALUES, values.contiguous());
            tensors.put(LABELS, Tensors.longs(longLabels, longLabels.length));
            SafetensorsExport.write(tensors, path, metadata);
        }
    }

    /**
     * Reads features written by {@link #save}.
     *
     * @throws IOException naming the file when it is not such a features file
     */
    public static Features load(Path path) throws IOException {
        float[] values;
        long[] shape;
        long[] labels;
        String pooling;
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            TensorInfo info = file.info(VALUES).orElseThrow(() -> new IOException(path + ": no '" + VALUES
                    + "' tensor; not a features file written by Features.save"));
            if (info.rank() != 2 || file.info(LABELS).isEmpty()) {
                throw new IOException(path + ": '" + VALUES + "' has shape " + Arrays.toString(info.shape())
                        + (file.info(LABELS).isEmpty() ? " and there is no '" + LABELS + "' tensor" : "")
                        + "; a features file has [images, width] features and [images] labels");
            }
            shape = info.shape();
            values = file.readFloats(VALUES);
            labels = file.readLongs(LABELS);
            pooling = file.metadata().getOrDefault(POOLING, PIXELS);
        }
        int[] intLabels = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            intLabels[i] = Math.toIntExact(labels[i]);
        }
        return new Features(Tensors.floats(values, shape), intLabels,
                pooling.equals(PIXELS) ? null : Pooling.named(pooling));
    }

    @Override
    public String toString() {
        return "Features[" + count() + " x " + width() + ", " + (pooling == null ? PIXELS : pooling.label()) + "]";
    }

    /** Frees the native memory of {@code values}; the features are unusable afterwards. */
    @Override
    public void close() {
        values.close();
    }
}
