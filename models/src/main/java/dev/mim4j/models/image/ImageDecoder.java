package dev.mim4j.models.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes the bytes of an image file into a {@link FloatImage} with a chosen number of channels:
 * the format is taken from the content, colour becomes gray by ITU-R 601 luma (as PIL's "L"),
 * gray becomes colour by replication, and alpha is dropped. A file past its {@link DecodeLimits}
 * is refused from its header, and a file the decoder warns about (a truncated JPEG, whose missing part
 * the decoder would fill with grey) is refused rather than half-read. An {@link OutOfMemoryError} is
 * left to the caller: the loader makes it a bad image.
 */
public final class ImageDecoder {

    private ImageDecoder() {}

    /**
     * The image that {@code content} holds, with {@code channels} (1 or 3) channels in [0, 1].
     *
     * @throws IOException if the content is not an image of a known format, is larger than
     *     {@code limits}, is truncated or cannot be decoded; the message says why, and the caller adds
     *     the file's name
     */
    public static FloatImage decode(byte[] content, int channels, DecodeLimits limits) throws IOException {
        if (content.length == 0) {
            throw new IOException("the file is empty");
        }
        limits.checkFileBytes(content.length);
        ImageFormat format = ImageFormat.of(content).orElseThrow(() -> new IOException(
                "not a " + ImageFormat.ACCEPTED + " file by its content (it starts with "
                        + ImageFormat.firstBytes(content) + ")"));
        ImageReader reader = readerFor(format);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
            // Only JPEG needs its metadata, to recognise CMYK and YCCK.
            reader.setInput(in, true, format != ImageFormat.JPEG);
            checkPixels(reader.getWidth(0), reader.getHeight(0), limits);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> {
                // only a missing end: extraneous bytes or a bad colour profile still decode the whole image
                String lower = warning.toLowerCase(Locale.ROOT);
                if (lower.contains("premature end") || lower.contains("truncated")) {
                    warnings.add(warning);
                }
            });
            FloatImage image = format == ImageFormat.JPEG && CmykJpeg.isFourChannel(reader)
                    ? fromRgb(CmykJpeg.readRgb(reader), reader.getHeight(0), reader.getWidth(0), channels)
                    : of(reader.read(0), channels);
            if (!warnings.isEmpty()) {
                throw new Refused("the " + format + " decoder found it damaged (" + String.join("; ", warnings)
                        + "): the file is truncated or corrupt");
            }
            return image;
        } catch (Refused e) {
            throw e;
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException("the " + format + " decoder failed: " + reason, e);
        } catch (RuntimeException e) {
            // ImageIO's plugins throw unchecked exceptions for some corrupt files; they are bad
            // images like any other.
            throw new IOException("the " + format + " decoder failed: " + e, e);
        } finally {
            reader.dispose();
        }
    }

    private static void checkPixels(int width, int height, DecodeLimits limits) throws IOException {
        if (width < 1 || height < 1) {
            throw new Refused("its header gives a size of " + width + " x " + height + " pixels");
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new Refused(String.format(Locale.ROOT, "its header gives %,d x %,d = %,d pixels, more than the"
                    + " limit of %,d", width, height, pixels, limits.maxPixels()));
        }
    }

    private static ImageReader readerFor(ImageFormat format) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new IOException("this JVM has no ImageIO reader for " + format);
        }
        return readers.next();
    }

    /**
     * {@code image} as a float image of {@code channels} (1 or 3) in [0, 1]: gray from the raster's values,
     * colour as sRGB, gray replicated to 3 channels or colour reduced to 1 as the decoder does for files.
     */
    public static FloatImage of(BufferedImage image, int channels) {
        int height = image.getHeight();
        int width = image.getWidth();
        ColorModel model = image.getColorModel();
        ColorSpace space = model.getColorSpace();
        boolean indexed = model instanceof IndexColorModel;
        if (!indexed && space.getType() == ColorSpace.TYPE_GRAY) {
            // The raster's values, not getRGB's: Java's gray space is linear, and getRGB would
            // brighten the (already gamma-encoded) values of a gray PNG or JPEG.
            float[] gray = samples(image.getRaster(), 1, model);
            return channels == 1 ? new FloatImage(1, height, width, gray) : replicate(gray, height, width);
        }
        float[] rgb = !indexed && space.isCS_sRGB() && model.getNumColorComponents() == 3
                ? samples(image.getRaster(), 3, model)
                : argbToRgb(image);
        return fromRgb(rgb, height, width, channels);
    }

    /** The first {@code bands} bands of {@code raster} as planes in [0, 1]. */
    private static float[] samples(Raster raster, int bands, ColorModel model) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int plane = width * height;
        float[] planes = new float[bands * plane];
        if (isPlainByteRaster(raster)) {
            ComponentSampleModel layout = (ComponentSampleModel) raster.getSampleModel();
            DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
            byte[] data = buffer.getData();
            int pixelStride = layout.getPixelStride();
            int scanlineStride = layout.getScanlineStride();
            for (int band = 0; band < bands; band++) {
                int bandOffset = buffer.getOffset() + layout.getBandOffsets()[band];
                for (int y = 0; y < height; y++) {
                    int from = bandOffset + y * scanlineStride;
                    int to = band * plane + y * width;
                    for (int x = 0; x < width; x++) {
                        planes[to + x] = UnitBytes.toUnit(data[from + x * pixelStride]);
                    }
                }
            }
            return planes;
        }
        float[] band = new float[plane];
        for (int b = 0; b < bands; b++) {
            float scale = 1f / ((1L << model.getComponentSize(b)) - 1);
            raster.getSamples(raster.getMinX(), raster.getMinY(), width, height, b, band);
            for (int i = 0; i < plane; i++) {
                planes[b * plane + i] = band[i] * scale;
            }
        }
        return planes;
    }

    /** Whether the raster is 8-bit samples in one array, as JPEG and most PNGs decode, read directly for speed. */
    private static boolean isPlainByteRaster(Raster raster) {
        if (!(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || !(raster.getSampleModel() instanceof ComponentSampleModel layout)
                || buffer.getNumBanks() != 1
                || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0) {
            return false;
        }
        for (int size : layout.getSampleSize()) {
            if (size != 8) {
                return false;
            }
        }
        return true;
    }

    /** The sRGB colours of any image (palette, other colour spaces) through {@code getRGB}. */
    private static float[] argbToRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int plane = width * height;
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        float[] rgb = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = ((argb[i] >> 16) & 0xFF) / 255f;
            rgb[plane + i] = ((argb[i] >> 8) & 0xFF) / 255f;
            rgb[2 * plane + i] = (argb[i] & 0xFF) / 255f;
        }
        return rgb;
    }

    private static FloatImage fromRgb(float[] rgb, int height, int width, int channels) {
        if (channels == 3) {
            return new FloatImage(3, height, width, rgb);
        }
        int plane = height * width;
        float[] gray = new float[plane];
        for (int i = 0; i < plane; i++) {
            gray[i] = 0.299f * rgb[i] + 0.587f * rgb[plane + i] + 0.114f * rgb[2 * plane + i];
        }
        return new FloatImage(1, height, width, gray);
    }

    private static FloatImage replicate(float[] gray, int height, int width) {
        int plane = height * width;
        float[] rgb = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(gray, 0, rgb, c * plane, plane);
        }
        return new FloatImage(3, height, width, rgb);
    }

    /** A refusal of ours, passed on as it is rather than as a decoder's failure. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
