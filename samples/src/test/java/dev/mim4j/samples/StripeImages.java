package dev.mim4j.samples;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** A tiny IDX dataset whose answer is known: 40 grayscale 8x8 images, label 0 striped across, label 1 down. */
final class StripeImages {

    private StripeImages() {
    }

    static void write(Path images, Path labels) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        try (DataOutputStream pixels = new DataOutputStream(Files.newOutputStream(images));
                DataOutputStream classes = new DataOutputStream(Files.newOutputStream(labels))) {
            pixels.writeInt(0x00000803);
            pixels.writeInt(40);
            pixels.writeInt(8);
            pixels.writeInt(8);
            classes.writeInt(0x00000801);
            classes.writeInt(40);
            for (int i = 0; i < 40; i++) {
                int label = i % 2;
                classes.writeByte(label);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int stripe = ((label == 0 ? y : x) % 2) * 160;
                        pixels.writeByte(stripe + random.nextInt(60));
                    }
                }
            }
        }
    }
}
