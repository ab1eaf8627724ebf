package dev.mim4j.samples.examples.ownparts;

import dev.mim4j.models.compile.PartProvider;
import dev.mim4j.models.compile.PartRegistry;

/**
 * The parts of this example, registered once: each under its spec JSON name (so that checkpoints, which save
 * the recipe, read back), with its compiler where it has weights. Listed in
 * {@code META-INF/services/dev.mim4j.models.compile.PartProvider}, so that every JVM with this jar on its class
 * path finds them, the command-line tool included. Their names carry the prefix {@code example.}, so that a
 * user's own {@code swiglu} never clashes with the sample's on the tool's class path.
 */
public final class OwnParts implements PartProvider {

    @Override
    public void register(PartRegistry parts) {
        parts.masking("example.centreBiased", CentreBiasedMasking.class)
                .mlp("example.swiglu", SwiGluMlp.class, SwiGluModule::new);
    }
}
