package dev.mim4j.models.compile;

import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;

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

    private static final System.Logger LOG = System.getLogger(Parts.class.getName());
    private static final Set<ClassLoader> SEARCHED = Collections.newSetFromMap(new WeakHashMap<>());
    private static final Set<String> REGISTERED = new HashSet<>();
    private static boolean discovering;

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
        // a provider's own registrations call back in here: they must not start a second search
        if (discovering || SEARCHED.contains(loader)) {
            return;
        }
        discovering = true;
        try {
            PartRegistry registry = new PartRegistry();
            Iterator<PartProvider> providers = ServiceLoader.load(PartProvider.class, loader).iterator();
            while (true) {
                PartProvider provider;
                try {
                    if (!providers.hasNext()) {
                        break;
                    }
                    provider = providers.next();
                } catch (ServiceConfigurationError e) {
                    LOG.log(System.Logger.Level.WARNING, "a part provider could not be loaded and is left out: {0}",
                            e.getMessage());
                    continue;
                }
                if (!REGISTERED.add(provider.getClass().getName())) {
                    continue;
                }
                try {
                    provider.register(registry);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "the part provider {0} failed to register its parts and is"
                            + " left out: {1}", provider.getClass().getName(), e.getMessage());
                }
            }
            SEARCHED.add(loader);
        } finally {
            discovering = false;
        }
    }
}
