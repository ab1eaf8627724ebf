package dev.mim4j.models.compile;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.parts.ConstructionDevice;
import dev.mim4j.models.parts.KeptHandles;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Registers modules, parameters and buffers in a root module under dotted names such as
 * {@code "blocks.3"} or {@code "pos_embed"}, creating the containers on the way ({@code "blocks"}).
 *
 * <p>It holds every module registered through it and every container it made: libtorch calls a
 * module's virtual methods (train, to, ...) back through its Java peer, which must outlive every
 * native call into it, whatever the stage that registered it keeps; and a reference of its own to each, so
 * that a {@link org.bytedeco.javacpp.PointerScope} open while the tree was built frees none of them.
 */
public final class ModuleTree {

    private final Module root;
    private final Map<String, Module> containers = new HashMap<>();
    private final Set<String> leaves = new HashSet<>();
    private final KeptHandles kept = new KeptHandles();

    public ModuleTree(Module root) {
        this.root = root;
    }

    /** Registers {@code module} under {@code name} and returns it. */
    public <M extends Module> M module(String name, M module) {
        parentOf(name).register_module(claim(name), module);
        return kept.module(module);
    }

    /** Registers {@code value} as a parameter under {@code name} (on the {@link ConstructionDevice}, if set). */
    public Tensor parameter(String name, Tensor value, boolean trainable) {
        Tensor placed = ConstructionDevice.place(value);
        parentOf(name).register_parameter(claim(name), placed, trainable);
        return kept.tensor(placed);
    }

    /** Registers {@code value} as a buffer under {@code name} (on the {@link ConstructionDevice}, if set). */
    public Tensor buffer(String name, Tensor value) {
        Tensor placed = ConstructionDevice.place(value);
        parentOf(name).register_buffer(claim(name), placed);
        return kept.tensor(placed);
    }

    /** Keeps a handle the root holds in a field (not registered), as long as the tree. */
    public Tensor keep(Tensor handle) {
        return kept.tensor(handle);
    }

    /** Frees every module, container and tensor registered or kept through it. */
    public void close() {
        kept.close();
    }

    /** The last part of {@code name}, which from now on holds something and cannot be a container. */
    private String claim(String name) {
        if (containers.containsKey(name) || !leaves.add(name)) {
            throw new Mim4jException("stage name", "'" + name + "' is registered twice: give each stage with parameters"
                    + " its own name in the pipeline");
        }
        return leaf(name);
    }

    private Module parentOf(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return root;
        }
        String path = name.substring(0, dot);
        Module existing = containers.get(path);
        if (existing != null) {
            return existing;
        }
        if (leaves.contains(path)) {
            throw new Mim4jException("stage name", "'" + name + "' would go inside '" + path + "', which another stage"
                    + " holds: name stages so that none is inside another's (layers.0.blocks.0, layers.0.downsample)");
        }
        Module container = parentOf(path).register_module(leaf(path), new Module());
        containers.put(path, container);
        return kept.module(container);
    }

    private static String leaf(String name) {
        if (name.isEmpty()) {
            throw new Mim4jException("stage name", "a stage that registers parameters needs a name in its pipeline");
        }
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
