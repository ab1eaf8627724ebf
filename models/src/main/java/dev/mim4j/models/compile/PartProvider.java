package dev.mim4j.models.compile;

/**
 * Parts of one's own, registered once and found by {@link java.util.ServiceLoader}: each under its spec JSON name,
 * with its spec type and its compiler together. List the class in
 * {@code META-INF/services/dev.mim4j.models.compile.PartProvider} of the jar that holds it; every JVM that has the
 * jar on its class path then compiles the parts and reads the checkpoints that hold them, the command-line tool
 * included. The built-in parts are registered by a provider too.
 *
 * <pre>{@code
 * public final class MyParts implements PartProvider {
 *     public void register(PartRegistry parts) {
 *         parts.mlp("swiglu", SwiGluMlp.class, SwiGluModule::new)
 *              .masking("centreBiased", CentreBiasedMasking.class);
 *     }
 * }
 * }</pre>
 */
public interface PartProvider {

    /** Registers this provider's parts. */
    void register(PartRegistry parts);
}
