package dev.mim4j.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The versions of mim4j and of the libtorch it runs on, as built: for logs, bug reports and checkpoints. */
public final class Versions {

    private static final Properties BUILT = read();

    private Versions() {
    }

    /** mim4j's version, e.g. {@code 0.1.0}. */
    public static String mim4j() {
        return BUILT.getProperty("mim4j");
    }

    /** The version of the Bytedeco PyTorch presets mim4j was built against, e.g. {@code 2.10.0-1.5.13}. */
    public static String presets() {
        return BUILT.getProperty("pytorch.presets");
    }

    /** The libtorch version of those presets, e.g. {@code 2.10.0}. */
    public static String libtorch() {
        String presets = presets();
        int dash = presets.indexOf('-');
        return dash < 0 ? presets : presets.substring(0, dash);
    }

    /** One line: "mim4j 0.1.0, libtorch 2.10.0 (presets 2.10.0-1.5.13)". */
    public static String describe() {
        return "mim4j " + mim4j() + ", libtorch " + libtorch() + " (presets " + presets() + ")";
    }

    private static Properties read() {
        Properties properties = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("versions.properties is missing from mim4j-models: a broken build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
