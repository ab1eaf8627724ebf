package dev.mim4j.models.inference;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.checkpoint.EncoderCheckpoint;
import dev.mim4j.models.image.DecodeLimits;
import dev.mim4j.models.image.EvaluationView;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageDecoder;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * A pre-trained encoder for inference: images in, features out, with no trainer, decoder, target or loss.
 *
 * <pre>{@code
 * try (ImageEncoder encoder = ImageEncoder.load(Path.of("runs/mae-20261207-101500"))) {
 *     float[][] features = encoder.features(List.of(image1, image2));     // one row per image
 * }
 * }</pre>
 *
 * <p>Images of another size than the encoder's are resized and centre-cropped as the evaluation view of
 * MAE's fine-tuning and linear probe does (shorter side to {@code size * 256 / 224}, bicubic), then
 * normalised with the statistics stored in the checkpoint.
 *
 * <p><b>Native memory:</b> every call returns Java arrays and frees everything it made; no
 * {@link PointerScope} is needed around it. {@link #encode(Tensor)} returns a tensor the caller owns.
 * {@link #close()} frees the encoder's weights.
 *
 * <p><b>Threads:</b> an instance is safe to share between threads: the encoder stays in evaluation mode
 * for its whole life and every call runs without gradients on the calling thread, so concurrent calls
 * give what serial ones give, bit for bit.
 */
public final class ImageEncoder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ImageEncoder.class.getName());

    /** The default number of images per forward pass. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final Loaded loaded;
    private final Pooling pooling;
    private final int blocks;
    private final int batchSize;

    /** What every view of one loaded encoder shares. */
    private record Loaded(Encoder encoder, boolean owned, Normalize normalization, ImageTransform view,
            String source, List<String> adaptations, AtomicBoolean closed, ReadWriteLock lock) {
    }

    private ImageEncoder(Loaded loaded, Pooling pooling, int blocks, int batchSize) {
        this.loaded = loaded;
        this.pooling = pooling;
        this.blocks = blocks;
        this.batchSize = batchSize;
    }

    /**
     * The encoder of a mim4j pre-training checkpoint (a {@code checkpoint-NNNNNNNN.safetensors}, or a run
     * folder for its newest checkpoint), with the normalisation it was trained with. Only the encoder is
     * built; every one of its tensors must be in the file with its shape.
     *
     * @throws IOException naming the file when it cannot be read or is not a pre-training checkpoint
     * @throws dev.mim4j.models.weights.IncompatibleWeightsException naming the tensors the file lacks
     */
    public static ImageEncoder load(Path checkpoint) throws IOException {
        return of(EncoderCheckpoint.load(checkpoint), checkpoint);
    }

    /**
     * The encoder of {@code backbone} from a mim4j checkpoint, an official MAE or SimMIM {@code .pth}, or a timm
     * or Hugging Face safetensors file, in the layout the file's names follow. At another image size or window
     * than the file's, position tables are resampled and bias tables resized: {@link #adaptations()} lists them.
     * A mim4j checkpoint brings its normalisation; other files are taken as trained on ImageNet's.
     *
     * @throws IOException naming the file when it cannot be read
     * @throws dev.mim4j.models.weights.IncompatibleWeightsException naming the tensors the file lacks
     */
    public static ImageEncoder load(Path file, Backbone backbone) throws IOException {
        return of(EncoderCheckpoint.load(file, backbone), file);
    }

    private static ImageEncoder of(EncoderCheckpoint loaded, Path file) {
        List<String> adaptations = loaded.report().adapted().stream().map(Object::toString).toList();
        if (!adaptations.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "{0}: adapted to the encoder''s sizes: {1}", file,
                    String.join("; ", adaptations));
        }
        return of(loaded.encoder(), true, loaded.normalization(), file + " (" + loaded.layout() + ")", adaptations);
    }

    /**
     * An encoder in hand (compiled, loaded or fine-tuned) with the normalisation its inputs need. It is put
     * in evaluation mode and must not be trained while this instance is used; it stays the caller's:
     * {@link #close()} does not free it.
     */
    public static ImageEncoder of(Encoder encoder, Normalize normalization) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(normalization, "normalization");
        return of(encoder, false, normalization, encoder.spec().describe(), List.of());
    }

    private static ImageEncoder of(Encoder encoder, boolean owned, Normalize normalization, String source,
            List<String> adaptations) {
        ImageSpec image = encoder.spec().image();
        if (normalization.mean().length != image.channels()) {
            throw new Mim4jException("normalization", "normalization has " + normalization.mean().length
                    + " channels but the encoder takes " + image.channels());
        }
        encoder.module().train(false);
        ImageTransform view = EvaluationView.of(image.height(), image.width(), normalization);
        Backbone spec = encoder.spec();
        return new ImageEncoder(new Loaded(encoder, owned, normalization, view, source, adaptations,
                new AtomicBoolean(), new ReentrantReadWriteLock()),
                Pooling.defaultFor(spec), encoder.depth(), DEFAULT_BATCH_SIZE);
    }

    /** The same encoder, pooling tokens into features as {@code pooling} says. */
    public ImageEncoder pooling(Pooling pooling) {
        Objects.requireNonNull(pooling, "pooling");
        pooling.check(spec());
        return new ImageEncoder(loaded, pooling, blocks, batchSize);
    }

    /**
     * The same encoder, its features taken after the first {@code blocks} blocks (then the final norm).
     *
     * @throws Mim4jException if {@code blocks} is not in [1, depth]
     */
    public ImageEncoder block(int blocks) {
        loaded.encoder.checkBlocks(blocks);
        return new ImageEncoder(loaded, pooling, blocks, batchSize);
    }

    /** The same encoder, {@code batchSize} images per forward pass. */
    public ImageEncoder batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new Mim4jException("batch size", "batch size " + batchSize + " must be at least 1");
        }
        return new ImageEncoder(loaded, pooling, blocks, batchSize);
    }

    /** The backbone it implements. */
    public Backbone spec() {
        return loaded.encoder.spec();
    }

    /** The normalisation applied to every image. */
    public Normalize normalization() {
        return loaded.normalization;
    }

    /** The pooling of {@link #features}. */
    public Pooling pooling() {
        return pooling;
    }

    /** After how many blocks the features are taken. */
    public int blocks() {
        return blocks;
    }

    /**
     * The tensors that were adapted to this encoder's sizes when it was loaded ("pos_embed: model [1, 577, 768],
     * checkpoint [1, 197, 768]"); empty when the file was made for them.
     */
    public List<String> adaptations() {
        return loaded.adaptations;
    }

    /** The length of a feature vector. */
    public int width() {
        return spec().width();
    }

    /** The pooled features of one image. */
    public float[] features(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        return features(List.of(image))[0];
    }

    /** The pooled features of each image, one row each, in order. */
    public float[][] features(List<BufferedImage> images) {
        return pooledRows(prepared(images));
    }

    /**
     * The pooled features of each image file (JPEG, PNG, BMP, GIF, TIFF; decoded by content under the
     * default decode limits).
     *
     * @throws IOException naming the file that cannot be read or decoded
     */
    public float[][] featuresOfFiles(List<Path> files) throws IOException {
        Objects.requireNonNull(files, "files");
        List<FloatImage> images = new ArrayList<>(files.size());
        int channels = spec().image().channels();
        for (Path file : files) {
            Objects.requireNonNull(file, "a file in files");
            FloatImage decoded;
            try {
                decoded = ImageDecoder.decode(Files.readAllBytes(file), channels, DecodeLimits.DEFAULT);
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            images.add(loaded.view.apply(decoded, new SplittableRandom(0)));
        }
        return pooledRows(images);
    }

    /**
     * The pooled features of {@code count} images given as pixels in [0, 1], {@code [count, channels, height,
     * width]} in row-major order, at the encoder's input size; they are normalised here.
     */
    public float[][] featuresOfPixels(float[] pixels, int count) {
        Objects.requireNonNull(pixels, "pixels");
        ImageSpec image = spec().image();
        int plane = image.channels() * image.height() * image.width();
        if (count < 1 || (long) count * plane != pixels.length) {
            throw new Mim4jException("pixels", "pixels holds " + pixels.length + " values for count " + count
                    + "; expected count >= 1 images of " + image.channels() + "x" + image.height() + "x"
                    + image.width() + " = " + plane + " values each");
        }
        List<FloatImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] one = new float[plane];
            System.arraycopy(pixels, i * plane, one, 0, plane);
            images.add(loaded.normalization.apply(new FloatImage(image.channels(), image.height(), image.width(),
                    one), null));
        }
        return pooledRows(images);
    }

    /**
     * The tokens of each image's patch grid after the chosen block and the final norm, without prefix
     * tokens: {@code [image][token][width]}, tokens in row-major grid order.
     */
    public float[][][] patchTokens(List<BufferedImage> images) {
        List<FloatImage> prepared = prepared(images);
        int prefix = spec().prefixTokens();
        float[][][] result = new float[prepared.size()][][];
        forEachBatch(prepared, (start, tokens) -> {
            long count = tokens.size(0);
            long grid = tokens.size(1) - prefix;
            float[] values = Tensors.toFloats(tokens.narrow(1, prefix, grid).contiguous());
            int width = (int) tokens.size(2);
            for (int i = 0; i < count; i++) {
                float[][] rows = new float[(int) grid][width];
                for (int t = 0; t < grid; t++) {
                    System.arraycopy(values, (int) ((i * grid + t) * width), rows[t], 0, width);
                }
                result[start + i] = rows;
            }
        });
        return result;
    }

    /**
     * The encoder's tokens {@code [batch, prefix + tokens, width]} after the chosen block, for images already
     * at its input size and normalised; without gradients. The tensor is the caller's (close it).
     */
    public Tensor encode(Tensor images) {
        Objects.requireNonNull(images, "images");
        loaded.lock.readLock().lock();
        try (NoGradGuard noGrad = new NoGradGuard()) {
            checkOpen();
            return loaded.encoder.encode(images, blocks);
        } finally {
            loaded.lock.readLock().unlock();
        }
    }

    /**
     * Frees the encoder's weights, once the calls under way on other threads have returned; every view of it is
     * then closed too. An encoder given to {@link #of} is left to its owner.
     */
    @Override
    public void close() {
        loaded.lock.writeLock().lock();
        try {
            if (loaded.closed.compareAndSet(false, true) && loaded.owned) {
                loaded.encoder.module().close();
            }
        } finally {
            loaded.lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "ImageEncoder[" + loaded.source + ", pooling " + pooling.label() + ", after block " + blocks + "]";
    }

    private List<FloatImage> prepared(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images");
        int channels = spec().image().channels();
        List<FloatImage> prepared = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            Objects.requireNonNull(image, "an image in images");
            prepared.add(loaded.view.apply(ImageDecoder.of(image, channels), new SplittableRandom(0)));
        }
        return prepared;
    }

    private float[][] pooledRows(List<FloatImage> images) {
        float[][] rows = new float[images.size()][];
        int prefix = spec().prefixTokens();
        int width = width();
        forEachBatch(images, (start, tokens) -> {
            float[] pooled = Tensors.toFloats(pooling.pool(tokens, prefix).contiguous());
            for (int i = 0; i < pooled.length / width; i++) {
                rows[start + i] = new float[width];
                System.arraycopy(pooled, i * width, rows[start + i], 0, width);
            }
        });
        return rows;
    }

    /** What is done with the tokens of the batch whose first image is {@code start}. */
    @FunctionalInterface
    private interface BatchResult {
        void accept(int start, Tensor tokens);
    }

    private void forEachBatch(List<FloatImage> images, BatchResult result) {
        loaded.lock.readLock().lock();
        try {
            checkOpen();
            encodeBatches(images, result);
        } finally {
            loaded.lock.readLock().unlock();
        }
    }

    private void encodeBatches(List<FloatImage> images, BatchResult result) {
        ImageSpec image = spec().image();
        int plane = image.channels() * image.height() * image.width();
        for (int start = 0; start < images.size(); start += batchSize) {
            int count = Math.min(batchSize, images.size() - start);
            float[] pixels = new float[count * plane];
            for (int i = 0; i < count; i++) {
                System.arraycopy(images.get(start + i).pixels(), 0, pixels, i * plane, plane);
            }
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                Tensor batch = Tensors.floats(pixels, count, image.channels(), image.height(), image.width());
                result.accept(start, loaded.encoder.encode(batch, blocks));
            }
        }
    }

    private void checkOpen() {
        if (loaded.closed.get()) {
            throw new IllegalStateException("this ImageEncoder (" + loaded.source + ") is closed");
        }
    }
}
