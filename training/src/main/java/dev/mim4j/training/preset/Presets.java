package dev.mim4j.training.preset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.providers.ProviderDiscovery;

/**
 * Every preset by name: the built-ins and those of each {@link PresetProvider} on the class path, found when a
 * preset is first asked for. A name belongs to one preset: a second preset of a taken name is refused.
 */
public final class Presets {

    private static final Map<String, Preset> BY_NAME = new TreeMap<>();
    private static final ProviderDiscovery<PresetProvider> PROVIDERS = new ProviderDiscovery<>(PresetProvider.class,
            "preset", provider -> provider.presets().forEach(Presets::register));

    private Presets() {
    }

    /**
     * The preset called {@code name}.
     *
     * @throws Mim4jException naming the presets there are, when none is called {@code name}
     */
    public static synchronized Preset named(String name) {
        Objects.requireNonNull(name, "name");
        return find(name).orElseThrow(() -> new Mim4jException("preset", "no preset is called '" + name + "'; the"
                + " presets are " + String.join(", ", BY_NAME.keySet()) + " (a preset of one's own joins them"
                + " through a PresetProvider on the class path)"));
    }

    /** The preset called {@code name}, if any. */
    public static synchronized Optional<Preset> find(String name) {
        discover();
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every preset, by name. */
    public static synchronized List<Preset> all() {
        discover();
        return List.copyOf(new ArrayList<>(BY_NAME.values()));
    }

    /**
     * Registers {@code preset} under its name.
     *
     * @throws Mim4jException if another preset has that name
     */
    public static synchronized void register(Preset preset) {
        Objects.requireNonNull(preset, "preset");
        Preset taken = BY_NAME.putIfAbsent(preset.name(), preset);
        if (taken != null && taken != preset) {
            throw new Mim4jException("preset", "a preset called '" + preset.name() + "' is registered already ("
                    + taken.summary() + "); give the new one another name");
        }
    }

    /** Registers the presets of every provider that the class loaders of this class and of this thread see. */
    public static synchronized void discover() {
        PROVIDERS.discover();
    }

    /** Registers the presets of every provider that {@code loader} sees (a loader of extra jars, say). */
    public static synchronized void discover(ClassLoader loader) {
        PROVIDERS.discover(loader);
    }
}
