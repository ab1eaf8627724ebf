package dev.mim4j.models.weights;

import static dev.mim4j.models.weights.HalfFloats.bf16ToFloat;
import static dev.mim4j.models.weights.HalfFloats.floatToBf16;
import static dev.mim4j.models.weights.HalfFloats.floatToFp16;
import static dev.mim4j.models.weights.HalfFloats.fp16ToFloat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Checks the bfloat16 and binary16 conversions on edge cases and against the round-to-nearest-even definition. */
class HalfFloatsTest {

    @Test
    void bf16IsTheTopHalfOfAFloat() {
        assertThat(bf16ToFloat((short) 0x3f80)).isEqualTo(1.0f);
        assertThat(bf16ToFloat((short) 0xc010)).isEqualTo(-2.25f);
        assertThat(bf16ToFloat((short) 0x7f80)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(bf16ToFloat((short) 0xff80)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(bf16ToFloat((short) 0x7fc0)).isNaN();
        assertThat(Float.floatToRawIntBits(bf16ToFloat((short) 0x8000))).isEqualTo(0x80000000);
        assertThat(bf16ToFloat((short) 0x0001)).isEqualTo(Float.intBitsToFloat(0x00010000));
    }

    @Test
    void floatToBf16RoundsToNearestEven() {
        assertThat(floatToBf16(1.0f)).isEqualTo((short) 0x3f80);
        // 1/3 = 0x3eaaaaab: the dropped half 0xaaab is above the midpoint.
        assertThat(floatToBf16(1.0f / 3)).isEqualTo((short) 0x3eab);
        // pi = 0x40490fdb: the dropped half 0x0fdb is below it.
        assertThat(floatToBf16((float) Math.PI)).isEqualTo((short) 0x4049);
        // Exact ties go to the even neighbour.
        assertThat(floatToBf16(Float.intBitsToFloat(0x3f808000))).isEqualTo((short) 0x3f80);
        assertThat(floatToBf16(Float.intBitsToFloat(0x3f818000))).isEqualTo((short) 0x3f82);
        assertThat(floatToBf16(Float.intBitsToFloat(0xbf818000))).isEqualTo((short) 0xbf82);
        // Subnormal floats round like any other.
        assertThat(floatToBf16(Float.intBitsToFloat(0x00018000))).isEqualTo((short) 0x0002);
        assertThat(floatToBf16(Float.MIN_VALUE)).isEqualTo((short) 0x0000);
    }

    @Test
    void floatToBf16HandlesOverflowInfinityZeroAndNaN() {
        assertThat(floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80);
        assertThat(floatToBf16(-Float.MAX_VALUE)).isEqualTo((short) 0xff80);
        assertThat(floatToBf16(Float.intBitsToFloat(0x7f7f7fff))).isEqualTo((short) 0x7f7f);
        assertThat(floatToBf16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7f80);
        assertThat(floatToBf16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xff80);
        assertThat(floatToBf16(0.0f)).isEqualTo((short) 0x0000);
        assertThat(floatToBf16(-0.0f)).isEqualTo((short) 0x8000);
        assertThat(floatToBf16(Float.NaN)).isEqualTo((short) 0x7fc0);
        // A NaN whose payload lies only in the dropped bits must not turn into infinity.
        assertThat(bf16ToFloat(floatToBf16(Float.intBitsToFloat(0x7f800001)))).isNaN();
        assertThat(bf16ToFloat(floatToBf16(Float.intBitsToFloat(0xff800001)))).isNaN();
    }

    @Test
    void everyBf16SurvivesARoundTrip() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = bf16ToFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertThat(floatToBf16(value) & 0xffff).as("bf16 0x%04x", bits).isEqualTo(bits);
            }
        }
    }

    @Test
    void randomFloatsRoundToTheNearestBf16TiesToEven() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (!Float.isNaN(value) && Math.abs(value) < bf16ToFloat((short) 0x7f7f)) {
                assertNearestEven(value, floatToBf16(value), HalfFloatsTest::bf16);
            }
        }
    }

    @Test
    void fp16DecodesNormalsSubnormalsInfinitiesAndNaN() {
        assertThat(fp16ToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(fp16ToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(fp16ToFloat((short) 0x7bff)).isEqualTo(65504.0f);
        assertThat(fp16ToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(fp16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(fp16ToFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
        assertThat(fp16ToFloat((short) 0x8001)).isEqualTo(-0x1p-24f);
        assertThat(fp16ToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(fp16ToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(fp16ToFloat((short) 0x7e00)).isNaN();
        assertThat(fp16ToFloat((short) 0x7c01)).isNaN();
        assertThat(Float.floatToRawIntBits(fp16ToFloat((short) 0x8000))).isEqualTo(0x80000000);
        assertThat(fp16ToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
    }

    @Test
    void floatToFp16RoundsToNearestEvenAcrossTheRange() {
        // Expected values agree with numpy's float32 -> float16 cast.
        assertThat(floatToFp16(1.0f)).isEqualTo((short) 0x3c00);
        assertThat(floatToFp16(0.1f)).isEqualTo((short) 0x2e66);
        assertThat(floatToFp16(1.0f / 3)).isEqualTo((short) 0x3555);
        assertThat(floatToFp16(-2.5f)).isEqualTo((short) 0xc100);
        // Ties between normals: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10.
        assertThat(floatToFp16(1 + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(floatToFp16(1 + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        // A carry out of the mantissa moves to the next binade.
        assertThat(floatToFp16(Math.nextDown(2.0f))).isEqualTo((short) 0x4000);
        // Largest half, and the overflow threshold 65520 (a tie that rounds up to infinity).
        assertThat(floatToFp16(65504.0f)).isEqualTo((short) 0x7bff);
        assertThat(floatToFp16(65519.996f)).isEqualTo((short) 0x7bff);
        assertThat(floatToFp16(65520.0f)).isEqualTo((short) 0x7c00);
        assertThat(floatToFp16(-1e10f)).isEqualTo((short) 0xfc00);
        assertThat(floatToFp16(Float.MAX_VALUE)).isEqualTo((short) 0x7c00);
    }

    @Test
    void floatToFp16HandlesSubnormalsZeroInfinityAndNaN() {
        assertThat(floatToFp16(0x1p-14f)).isEqualTo((short) 0x0400);
        assertThat(floatToFp16(Math.nextDown(0x1p-14f))).isEqualTo((short) 0x0400);
        assertThat(floatToFp16(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(floatToFp16(-0x1p-24f)).isEqualTo((short) 0x8001);
        // 2^-25 is halfway between 0 and the smallest subnormal: the tie goes to zero.
        assertThat(floatToFp16(0x1p-25f)).isEqualTo((short) 0x0000);
        assertThat(floatToFp16(Math.nextUp(0x1p-25f))).isEqualTo((short) 0x0001);
        assertThat(floatToFp16(-0x1p-25f)).isEqualTo((short) 0x8000);
        // 1.5 and 2.5 units of 2^-24 tie to 2; 1.25 units round to 1.
        assertThat(floatToFp16(3 * 0x1p-25f)).isEqualTo((short) 0x0002);
        assertThat(floatToFp16(5 * 0x1p-25f)).isEqualTo((short) 0x0002);
        assertThat(floatToFp16(5 * 0x1p-26f)).isEqualTo((short) 0x0001);
        assertThat(floatToFp16(1023.5f * 0x1p-24f)).isEqualTo((short) 0x0400);
        assertThat(floatToFp16(Float.MIN_VALUE)).isEqualTo((short) 0x0000);
        assertThat(floatToFp16(0.0f)).isEqualTo((short) 0x0000);
        assertThat(floatToFp16(-0.0f)).isEqualTo((short) 0x8000);
        assertThat(floatToFp16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
        assertThat(floatToFp16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(floatToFp16(Float.NaN)).isEqualTo((short) 0x7e00);
        assertThat(fp16ToFloat(floatToFp16(Float.intBitsToFloat(0x7f800001)))).isNaN();
        assertThat(fp16ToFloat(floatToFp16(Float.intBitsToFloat(0xff800001)))).isNaN();
    }

    @Test
    void everyFp16SurvivesARoundTrip() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = fp16ToFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertThat(floatToFp16(value) & 0xffff).as("fp16 0x%04x", bits).isEqualTo(bits);
            }
        }
    }

    @Test
    void randomFloatsRoundToTheNearestFp16TiesToEven() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            // Magnitudes from 2^-30 to 2^17 cover zero flushes, subnormals, normals and overflow.
            float value = (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(2, random.nextDouble(-30, 17)));
            if (Math.abs(value) < 65504.0f) {
                assertNearestEven(value, floatToFp16(value), HalfFloatsTest::fp16);
            }
        }
    }

    private static double bf16(int bits) {
        return bf16ToFloat((short) bits);
    }

    private static double fp16(int bits) {
        return fp16ToFloat((short) bits);
    }

    /**
     * Checks that {@code result} is the nearest half to {@code value}, and even on a tie, by
     * comparing against its neighbours in the half format; holds for finite results within range.
     */
    private static void assertNearestEven(float value, short result, IntToDoubleFunction decode) {
        int bits = result & 0xffff;
        double chosen = decode.applyAsDouble(bits);
        int magnitudeBits = bits & 0x7fff;
        int sign = bits & 0x8000;
        double error = Math.abs(chosen - value);
        double below = magnitudeBits == 0 ? 0 : decode.applyAsDouble(sign | (magnitudeBits - 1));
        double above = decode.applyAsDouble(sign | (magnitudeBits + 1));
        assertThat(Math.signum(chosen) * Math.signum(value)).as("sign of %s", value).isNotNegative();
        assertThat(error).as("%s -> 0x%04x", value, bits)
                .isLessThanOrEqualTo(Math.abs(below - value))
                .isLessThanOrEqualTo(Math.abs(above - value));
        boolean tie = error == Math.abs(below - value) && magnitudeBits != 0 || error == Math.abs(above - value);
        if (tie) {
            assertThat(bits & 1).as("tie %s -> 0x%04x is even", value, bits).isZero();
        }
    }
}
