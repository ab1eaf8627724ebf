package dev.mim4j.models.compile;

import java.util.ServiceLoader;

import dev.mim4j.models.providers.ProviderDiscovery;

/**
 * Finds the {@link PartProvider}s on the class path with {@link ServiceLoader} and registers their parts: the
 * built-ins ({@code BuiltInParts}), and every jar of one's own that lists a provider. Each provider class
 * registers once, whatever loader finds it again, so a part registered afterwards with {@link Compilers}
 * directly stays registered. Compiling, registering a compiler, and reading a checkpoint's specs discover
 * first; call {@link #discover()} before reading spec JSON of one's own parts with {@code SpecJson} directly.
 *
 * <p>A provider that cannot be loaded or fails to register is told on the log and left out; the others, the
 * built-ins among them, still register.
 */
public final class Parts {

    private static final ProviderDiscovery<PartProvider> PROVIDERS = new ProviderDiscovery<>(PartProvider.class, "part",
            provider -> provider.register(new PartRegistry()));

    private Parts() {
    }

    /** Registers the parts of every provider that the class loaders of this class and of this thread see. */
    public static void discover() {
        PROVIDERS.discover();
    }

    /** Registers the parts of every provider that {@code loader} sees (a loader of extra jars, say). */
    public static void discover(ClassLoader loader) {
        PROVIDERS.discover(loader);
    }
}
