package dev.mim4j.models.image;

import java.util.List;
import java.util.Optional;

/**
 * The image file formats that an image folder (the training module's {@code ImageFolderDataset}) holds, recognised by their first bytes
 * whatever the file name says, so that a PNG named {@code .jpg} still reads.
 */
public enum ImageFormat {
    JPEG("jpeg", List.of(bytes(0xFF, 0xD8, 0xFF))),
    PNG("png", List.of(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A))),
    BMP("bmp", List.of(bytes('B', 'M'))),
    GIF("gif", List.of(bytes('G', 'I', 'F', '8'))),
    TIFF("tiff", List.of(bytes('I', 'I', 42, 0), bytes('M', 'M', 0, 42)));

    /** The formats for messages: "JPEG, PNG, BMP, GIF or TIFF". */
    public static final String ACCEPTED = "JPEG, PNG, BMP, GIF or TIFF";

    private final String imageIoName;
    private final List<byte[]> signatures;

    ImageFormat(String imageIoName, List<byte[]> signatures) {
        this.imageIoName = imageIoName;
        this.signatures = signatures;
    }

    /** The format name under which ImageIO registers a reader for this format. */
    String imageIoName() {
        return imageIoName;
    }

    /** The format whose signature {@code content} starts with, if any. */
    public static Optional<ImageFormat> of(byte[] content) {
        for (ImageFormat format : values()) {
            for (byte[] signature : format.signatures) {
                if (startsWith(content, signature)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    /** The first bytes of {@code content} in hex, for a message about an unknown format: "3c 21 44 4f". */
    static String firstBytes(byte[] content) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(content.length, 8); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", content[i] & 0xFF));
        }
        return hex.toString();
    }

    private static boolean startsWith(byte[] content, byte[] signature) {
        if (content.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if (content[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
