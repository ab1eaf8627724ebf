package dev.mim4j.models.image;

import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * Decodes four-channel JPEGs (CMYK and YCCK, as Photoshop writes them for print) to RGB.
 * ImageIO's reader either refuses them ("Unsupported Image Type") or, in newer JDKs, converts
 * them in its own way; reading the raw raster and converting here gives the same colours on every
 * JDK.
 *
 * <p>The conversion is the naive one, {@code R = (1 - C)(1 - K)} and alike, without the file's
 * ICC profile: close enough for training, where colours are jittered anyway.
 */
final class CmykJpeg {

    private static final String NATIVE_FORMAT = "javax_imageio_jpeg_image_1.0";

    /** How the four channels are stored, from the Adobe APP14 marker. */
    private enum Encoding {
        /** No Adobe marker: plain ink amounts, 255 = full ink. */
        CMYK,
        /** Adobe transform 0: inverted ink amounts, 255 = no ink. */
        ADOBE_CMYK,
        /** Adobe transform 2: Y, Cb, Cr of the (inverted) C, M, Y channels, then inverted K. */
        ADOBE_YCCK
    }

    private CmykJpeg() {}

    /** Whether the JPEG that {@code reader} is set on has four channels. */
    static boolean isFourChannel(ImageReader reader) throws IOException {
        Node sof = child(markers(reader), "sof");
        return sof != null && "4".equals(attribute(sof, "numFrameComponents"));
    }

    /**
     * The image as RGB planes in [0, 1], {@code [3][height][width]} flattened; the reader must be
     * set on a four-channel JPEG.
     */
    static float[] readRgb(ImageReader reader) throws IOException {
        Encoding encoding = encoding(markers(reader));
        Raster raster = reader.readRaster(0, null);
        int width = raster.getWidth();
        int height = raster.getHeight();
        int plane = width * height;
        float[] rgb = new float[3 * plane];
        int[] row = new int[4 * width];
        float[] pixel = new float[3];
        for (int y = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++) {
                toRgb(encoding, row, 4 * x, pixel);
                int at = y * width + x;
                rgb[at] = pixel[0];
                rgb[plane + at] = pixel[1];
                rgb[2 * plane + at] = pixel[2];
            }
        }
        return rgb;
    }

    private static void toRgb(Encoding encoding, int[] samples, int at, float[] rgb) {
        float s0 = samples[at] / 255f;
        float s1 = samples[at + 1] / 255f;
        float s2 = samples[at + 2] / 255f;
        float s3 = samples[at + 3] / 255f;
        switch (encoding) {
            case CMYK -> {
                float white = 1 - s3;
                rgb[0] = (1 - s0) * white;
                rgb[1] = (1 - s1) * white;
                rgb[2] = (1 - s2) * white;
            }
            case ADOBE_CMYK -> {
                rgb[0] = s0 * s3;
                rgb[1] = s1 * s3;
                rgb[2] = s2 * s3;
            }
            case ADOBE_YCCK -> {
                // JFIF's YCbCr to RGB gives the ink amounts of C, M and Y (libjpeg's ycck_cmyk_convert
                // inverts them into Adobe's stored values, which are themselves inverted ink).
                float luma = samples[at];
                float cb = samples[at + 1] - 128f;
                float cr = samples[at + 2] - 128f;
                float cyan = clamp01((luma + 1.402f * cr) / 255f);
                float magenta = clamp01((luma - 0.344136f * cb - 0.714136f * cr) / 255f);
                float yellow = clamp01((luma + 1.772f * cb) / 255f);
                rgb[0] = (1 - cyan) * s3;
                rgb[1] = (1 - magenta) * s3;
                rgb[2] = (1 - yellow) * s3;
            }
            default -> throw new AssertionError(encoding);
        }
    }

    private static Encoding encoding(Node markers) {
        Node adobe = child(markers, "app14Adobe");
        if (adobe == null) {
            return Encoding.CMYK;
        }
        return "2".equals(attribute(adobe, "transform")) ? Encoding.ADOBE_YCCK : Encoding.ADOBE_CMYK;
    }

    private static Node markers(ImageReader reader) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null) {
            throw new IOException("the JPEG reader gives no metadata, so the colour channels are unknown");
        }
        return child(metadata.getAsTree(NATIVE_FORMAT), "markerSequence");
    }

    private static Node child(Node parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (name.equals(node.getNodeName())) {
                return node;
            }
        }
        return null;
    }

    private static String attribute(Node node, String name) {
        Node value = node.getAttributes().getNamedItem(name);
        return value == null ? null : value.getNodeValue();
    }

    private static float clamp01(float value) {
        return Math.max(0f, Math.min(1f, value));
    }
}
