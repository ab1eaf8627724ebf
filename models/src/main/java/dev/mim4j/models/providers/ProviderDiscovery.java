package dev.mim4j.models.providers;

import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Finds the providers of one service on the class path with {@link ServiceLoader} and hands each to a
 * registration, once per provider class whatever loader finds it again. A provider that cannot be loaded or
 * fails to register is told on the log and left out; the others still register. Serves the part providers
 * ({@code Parts}) and the preset providers of the training module alike.
 *
 * @param <P> the service: an interface that a jar lists in {@code META-INF/services}
 */
public final class ProviderDiscovery<P> {

    private static final System.Logger LOG = System.getLogger(ProviderDiscovery.class.getName());

    private final Class<P> service;
    private final String what;
    private final Consumer<? super P> registration;
    private final Set<ClassLoader> searched = Collections.newSetFromMap(new WeakHashMap<>());
    private final Set<String> registered = new HashSet<>();
    private boolean discovering;

    /**
     * A discovery of {@code service}'s providers, none searched yet.
     *
     * @param service the service interface
     * @param what what a provider registers, for the log: "part", "preset"
     * @param registration registers one provider's contributions
     */
    public ProviderDiscovery(Class<P> service, String what, Consumer<? super P> registration) {
        this.service = Objects.requireNonNull(service, "service");
        this.what = Objects.requireNonNull(what, "what");
        this.registration = Objects.requireNonNull(registration, "registration");
    }

    /** Registers every provider that the class loaders of the service and of this thread see. */
    public synchronized void discover() {
        discover(service.getClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            discover(context);
        }
    }

    /** Registers every provider that {@code loader} sees (a loader of extra jars, say). */
    public synchronized void discover(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        // a provider's own registrations may call back in here: they must not start a second search
        if (discovering || searched.contains(loader)) {
            return;
        }
        discovering = true;
        try {
            Iterator<P> providers = ServiceLoader.load(service, loader).iterator();
            while (true) {
                P provider;
                try {
                    if (!providers.hasNext()) {
                        break;
                    }
                    provider = providers.next();
                } catch (ServiceConfigurationError e) {
                    LOG.log(System.Logger.Level.WARNING, "a {0} provider could not be loaded and is left out: {1}",
                            what, e.getMessage());
                    continue;
                }
                if (!registered.add(provider.getClass().getName())) {
                    continue;
                }
                try {
                    registration.accept(provider);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "the {0} provider {1} failed to register and is left out:"
                            + " {2}", what, provider.getClass().getName(), e.getMessage());
                }
            }
            searched.add(loader);
        } finally {
            discovering = false;
        }
    }
}
