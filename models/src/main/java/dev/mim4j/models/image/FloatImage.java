package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

/**
 * A decoded image as channel-major floats, pixel {@code (c, y, x)} at
 * {@code pixels[(c * height + y) * width + x]}; decoded values are in [0, 1], and transforms such
 * as {@link Normalize} move them.
 *
 * <p>The pixel array is shared, not copied, because images are made and dropped at the loader's
 * rate: whoever makes a {@code FloatImage} hands the array over and no one changes it afterwards.
 */
public final class FloatImage {

    private final ImageSize size;
    private final float[] pixels;

    public FloatImage(int channels, int height, int width, float[] pixels) {
        this.size = new ImageSize(channels, height, width);
        this.pixels = given("pixels", pixels);
        check(pixels.length == size.values(),
                "pixels hold %d floats but a %s image needs %d", pixels.length, size, size.values());
    }

    /** An image of {@code size} holding {@code pixels}. */
    public FloatImage(ImageSize size, float[] pixels) {
        this(size.channels(), size.height(), size.width(), pixels);
    }

    public int channels() {
        return size.channels();
    }

    public int height() {
        return size.height();
    }

    public int width() {
        return size.width();
    }

    public ImageSize size() {
        return size;
    }

    /** The backing array, channel-major; read it, do not change it. */
    public float[] pixels() {
        return pixels;
    }

    /** The value of channel {@code c} at row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        if (c < 0 || c >= size.channels() || y < 0 || y >= size.height() || x < 0 || x >= size.width()) {
            throw new IndexOutOfBoundsException("pixel (channel " + c + ", y " + y + ", x " + x
                    + ") is outside a " + size + " image");
        }
        return pixels[(c * size.height() + y) * size.width() + x];
    }

    @Override
    public String toString() {
        return "FloatImage " + size;
    }
}
