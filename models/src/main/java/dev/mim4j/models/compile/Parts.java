package dev.mim4j.models.compile;

import java.util.LinkedHashSet;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds the {@link PartProvider}s on the class path with {@link ServiceLoader} and registers their parts, once
 * per class loader: the built-ins, and every jar of one's own that lists a provider. Compiling anything and
 * reading a checkpoint's specs do it first; call {@link #discover()} before reading spec JSON of one's own parts
 * with {@code SpecJson} directly.
 */
public final class Parts {

    private static final Set<ClassLoader> SEARCHED = new LinkedHashSet<>();

    private Parts() {
    }

    /** Registers the parts of every provider that the class loaders of this class and of this thread see. */
    public static synchronized void discover() {
        discover(Parts.class.getClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            discover(context);
        }
    }

    /** Registers the parts of every provider that {@code loader} sees (a loader of extra jars, say). */
    public static synchronized void discover(ClassLoader loader) {
        if (!SEARCHED.add(loader)) {
            return;
        }
        PartRegistry registry = new PartRegistry();
        for (PartProvider provider : ServiceLoader.load(PartProvider.class, loader)) {
            provider.register(registry);
        }
    }
}
