package dev.mim4j.models.image;

/** Unsigned 8-bit samples as floats in [0, 1], by table: as exact as dividing by 255, and faster. */
public final class UnitBytes {

    private static final float[] VALUES = new float[256];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = i / 255f;
        }
    }

    private UnitBytes() {}

    /** {@code (b & 0xFF) / 255f}. */
    public static float toUnit(byte b) {
        return VALUES[b & 0xFF];
    }
}
