package dev.mim4j.samples;

/** Parses image sizes written as {@code HxWxC} ({@code 224x224x3}) or {@code HxW} (3 channels). */
final class ImageSizes {

    private ImageSizes() {
    }

    static int[] parse(String text) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("image size '" + text + "' is not HxWxC (e.g. 224x224x3) or HxW");
        }
        try {
            int h = Integer.parseInt(parts[0]);
            int w = Integer.parseInt(parts[1]);
            int c = parts.length == 3 ? Integer.parseInt(parts[2]) : 3;
            return new int[] {h, w, c};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("image size '" + text + "' is not HxWxC (e.g. 224x224x3) or HxW");
        }
    }
}
