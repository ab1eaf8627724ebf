package dev.mim4j.training.preset;

import java.util.Collection;

/**
 * Presets of one's own, found by {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.mim4j.training.preset.PresetProvider} of the jar that holds it. A class that
 * also provides the preset's parts ({@link dev.mim4j.models.compile.PartProvider}) is listed in both files, so
 * that one jar on the class path brings a recipe's parts and its training settings together.
 */
@FunctionalInterface
public interface PresetProvider {

    /** The presets this provider brings. */
    Collection<Preset> presets();
}
