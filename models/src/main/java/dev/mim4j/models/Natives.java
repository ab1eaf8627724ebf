package dev.mim4j.models;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads libtorch once, from the preset's own natives, and sets the intra-op thread count.
 *
 * <p>On a machine that also has a system libtorch (Debian's {@code libtorch1.13}), the first
 * start on an empty JavaCPP cache can pick up the wrong library and crash; extracting the
 * preset's natives into the cache before anything loads avoids that.
 */
public final class Natives {

    private static volatile boolean loaded;

    private Natives() {
    }

    /** Extracts and loads the natives if not done yet; safe to call from anywhere, any number of times. */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (Natives.class) {
            if (loaded) {
                return;
            }
            String platform = Loader.getPlatform();
            try {
                Loader.cacheResources("/org/bytedeco/javacpp/" + platform + "/");
                Loader.cacheResources("/org/bytedeco/openblas/" + platform + "/");
                Loader.cacheResources("/org/bytedeco/pytorch/" + platform + "/");
            } catch (IOException e) {
                throw new UncheckedIOException("could not extract the libtorch natives for " + platform
                        + " into the JavaCPP cache (~/.javacpp/cache unless org.bytedeco.javacpp.cachedir is set)", e);
            }
            Loader.load(torch.class);
            loaded = true;
        }
    }

    /**
     * Loads the natives and sets libtorch's intra-op thread count.
     *
     * @param threads at least 1; on small machines, measure before raising it (see DESIGN.md)
     */
    public static void threads(int threads) {
        if (threads < 1) {
            throw new Mim4jException("threads", "threads " + threads + " must be at least 1");
        }
        load();
        torch.set_num_threads(threads);
    }
}
