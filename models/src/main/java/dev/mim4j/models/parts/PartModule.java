package dev.mim4j.models.parts;

import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The base of every module a part of your own compiles to ({@link AttentionModule}, {@link MlpModule},
 * {@link NormModule}, {@code DecoderModule}): it registers parameters, buffers and child modules and
 * keeps its own handle to each, so that nothing registered can dangle or be collected while the module
 * lives.
 *
 * <p>Register with {@link #parameter}, {@link #buffer} and {@link #child}, and keep what they return in
 * fields:
 *
 * <pre>{@code
 * weight = parameter("weight", ones(width));
 * fc1 = child("fc1", Linears.of(width, hidden, true));
 * }</pre>
 *
 * <p>Two idioms of the presets break a plain {@link Module}, and cannot break this one: the tensor that
 * {@code register_parameter} returns is a reference into the module's table, which the next registration
 * may move (using it aborts the JVM with "Cannot increase refcount after it reached zero"); and a child
 * registered with {@code register_module} whose Java object nobody keeps is collected, after which
 * libtorch's calls back into it ({@code train}, {@code to}) fail. Here {@code register_parameter},
 * {@code register_buffer} and {@code register_module} do what the helpers do.
 *
 * <p>Native memory: the module, and every tensor and module handed to it, are kept whatever
 * {@link org.bytedeco.javacpp.PointerScope} was open when they were made, until {@link #close()} frees them all
 * (or the garbage collector, once nothing reaches the module).
 */
public abstract class PartModule extends Module {

    // The Java peers libtorch may call back into, and the handles the subclass keeps in its fields.
    private final KeptHandles kept = new KeptHandles();
    private boolean closed;

    protected PartModule() {
        // whoever made it owns it, not the PointerScope that may be open
        retainReference();
    }

    /**
     * Registers {@code value} as a trainable parameter named {@code name} and returns it: the same tensor,
     * which shares the parameter's storage and gradient and stays valid as long as this module (a copy on the
     * {@link ConstructionDevice}, when one is set).
     *
     * @throws IllegalArgumentException if {@code name} is empty or holds a dot (libtorch refuses a name taken)
     */
    protected final Tensor parameter(String name, Tensor value) {
        return parameter(name, value, true);
    }

    /** As {@link #parameter(String, Tensor)}, frozen when {@code trainable} is false. */
    protected final Tensor parameter(String name, Tensor value, boolean trainable) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        Tensor placed = ConstructionDevice.place(value);
        super.register_parameter(name, placed, trainable);
        return keep(placed);
    }

    /**
     * Registers {@code value} as a buffer named {@code name} (saved with the weights, never trained) and
     * returns it.
     */
    protected final Tensor buffer(String name, Tensor value) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        Tensor placed = ConstructionDevice.place(value);
        super.register_buffer(name, placed);
        return keep(placed);
    }

    /**
     * Registers {@code module} as a child named {@code name} (its parameters are then {@code name.*}) and
     * returns it; the module is kept as long as this one.
     */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        Objects.requireNonNull(module, "module");
        super.register_module(name, module);
        return kept.module(module);
    }

    /** Does what {@link #parameter(String, Tensor, boolean)} does: returns {@code tensor}, never a reference into the table. */
    @Override
    public final Tensor register_parameter(String name, Tensor tensor, boolean requiresGrad) {
        return parameter(name, tensor, requiresGrad);
    }

    /** Does what {@link #parameter(String, Tensor)} does. */
    @Override
    public final Tensor register_parameter(String name, Tensor tensor) {
        return parameter(name, tensor);
    }

    /** Does what {@link #parameter(String, Tensor, boolean)} does. */
    @Override
    public final Tensor register_parameter(BytePointer name, Tensor tensor, boolean requiresGrad) {
        return parameter(name.getString(), tensor, requiresGrad);
    }

    /** Does what {@link #parameter(String, Tensor)} does. */
    @Override
    public final Tensor register_parameter(BytePointer name, Tensor tensor) {
        return parameter(name.getString(), tensor);
    }

    /** Does what {@link #buffer(String, Tensor)} does. */
    @Override
    public final Tensor register_buffer(String name, Tensor tensor) {
        return buffer(name, tensor);
    }

    /** Does what {@link #buffer(String, Tensor)} does. */
    @Override
    public final Tensor register_buffer(BytePointer name, Tensor tensor) {
        return buffer(name.getString(), tensor);
    }

    /** Does what {@link #child(String, Module)} does. */
    @Override
    public final <M extends Module> M register_module(String name, M module) {
        return child(name, module);
    }

    /** Does what {@link #child(String, Module)} does. */
    @Override
    public final <M extends Module> M register_module(BytePointer name, M module) {
        return child(name.getString(), module);
    }

    private Tensor keep(Tensor value) {
        return kept.tensor(value);
    }

    /** Frees this module, its children and the tensors registered through it; it cannot be used after. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        kept.close();
        super.close();
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains(".")) {
            throw new Mim4jException("name", "a registered name must be non-empty and hold no dot; got '" + name
                    + "' (register a child module for a dotted path)");
        }
    }
}
