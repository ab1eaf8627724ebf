package dev.mim4j.models;

import java.util.Arrays;

import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Checks an image batch against the image spec a model was built for, before libtorch sees it. */
public final class ImageInputs {

    private ImageInputs() {
    }

    /**
     * @throws Mim4jException naming the shape received and the one expected, when the batch
     *         is not {@code [batch >= 1, channels, height, width]} of a floating-point type
     */
    public static void check(ImageSpec spec, Tensor images) {
        if (images == null || images.isNull() || !images.defined()) {
            throw new Mim4jException("images", "images: no tensor given; expected [batch, " + expected(spec) + "]");
        }
        long[] shape = Tensors.shape(images);
        String got = "images have shape " + Arrays.toString(shape) + " but the model takes [batch, " + expected(spec) + "]";
        if (shape.length != 4) {
            throw new Mim4jException("images", got + ": " + shape.length + " dimensions instead of 4");
        }
        if (shape[0] < 1) {
            throw new Mim4jException("images", got + ": the batch is empty");
        }
        if (shape[1] != spec.channels()) {
            throw new Mim4jException("images", got + ": channels " + shape[1] + " != " + spec.channels());
        }
        if (shape[2] != spec.height() || shape[3] != spec.width()) {
            throw new Mim4jException("images", got + ": height x width " + shape[2] + "x" + shape[3] + " != "
                    + spec.height() + "x" + spec.width());
        }
        ScalarType type = Tensors.scalarType(images);
        if (type != ScalarType.Float) {
            // the parameters are float32; bf16 runs go through autocast, which takes float32 inputs
            throw new Mim4jException("images", "images have dtype " + type + "; the model takes Float (float32)"
                    + " images: convert them with .to(ScalarType.Float)");
        }
    }

    /**
     * @param parameter any parameter of the model, or null for a model without any
     * @throws Mim4jException naming both devices, when the images are not on the device of
     *         the model's parameters
     */
    public static void checkDevice(Tensor images, Tensor parameter) {
        if (parameter == null) {
            return;
        }
        String model = parameter.device().str().getString();
        String given = images.device().str().getString();
        if (!given.equals(model)) {
            throw new Mim4jException("images", "images are on " + given + " but the model is on " + model
                    + ": move one of them with .to(device)");
        }
    }

    private static String expected(ImageSpec spec) {
        return spec.channels() + ", " + spec.height() + ", " + spec.width();
    }
}
