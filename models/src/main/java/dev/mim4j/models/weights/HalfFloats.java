package dev.mim4j.models.weights;

/**
 * Conversions between float and the two 16-bit float formats, bfloat16 and IEEE binary16, written
 * out because {@code Float.float16ToFloat} only arrived in Java 20.
 *
 * <p>Narrowing rounds to nearest, ties to even, as PyTorch does; a NaN becomes a quiet NaN of the
 * same sign, since truncating its payload could otherwise leave an infinity.
 */
public final class HalfFloats {

    private HalfFloats() {}

    /** The float whose top 16 bits are {@code bits}; exact, since bfloat16 is a truncated float. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** The bfloat16 nearest to {@code value}; values beyond the largest bfloat16 become infinite. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16 & 0x8000) | 0x7fc0);
        }
        // Adding 0x7fff, plus one more when the kept part is odd, carries into the kept bits exactly
        // when the dropped half is above the midpoint, or at it with an odd kept part.
        int roundingBias = 0x7fff + (bits >>> 16 & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** The float equal to the binary16 value {@code bits}; exact, including subnormals. */
    public static float fp16ToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = bits >>> 10 & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa units of 2^-24, which a float holds exactly.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    /**
     * The binary16 nearest to {@code value}: magnitudes from 65520 up become infinite, those up to
     * 2^-25 become a signed zero, and those between become normal or subnormal halves.
     */
    public static short floatToFp16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = bits >>> 16 & 0x8000;
        int magnitude = bits & 0x7fffffff;
        if (magnitude > 0x7f800000) {
            return (short) (sign | 0x7e00);
        }
        if (magnitude >= 0x477ff000) {
            // 65520 is halfway between 65504, the largest half, and 65536; the tie goes to the even
            // neighbour, 65536, which overflows to infinity like everything above it.
            return (short) (sign | 0x7c00);
        }
        if (magnitude >= 0x38800000) {
            // Normal half (>= 2^-14): rebias the exponent from 127 to 15 and round the mantissa from
            // 23 to 10 bits; a carry out of the mantissa correctly bumps the exponent.
            int rebiased = magnitude - (112 << 23);
            int roundingBias = 0xfff + (rebiased >>> 13 & 1);
            return (short) (sign | (rebiased + roundingBias) >>> 13);
        }
        if (magnitude <= 0x33000000) {
            // At most 2^-25, half the smallest subnormal; the tie at 2^-25 goes to the even zero.
            return (short) sign;
        }
        // Subnormal half: count units of 2^-24. The float is mantissa * 2^(exponent - 150), so the
        // unit count is mantissa >> (126 - exponent), rounded half to even.
        int exponent = magnitude >>> 23;
        int mantissa = magnitude & 0x7fffff | 0x800000;
        int shift = 126 - exponent;
        int units = mantissa >>> shift;
        int remainder = mantissa & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (units & 1) == 1)) {
            units++;
        }
        return (short) (sign | units);
    }
}
