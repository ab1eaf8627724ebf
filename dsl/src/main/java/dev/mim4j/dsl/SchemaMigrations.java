package dev.mim4j.dsl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.dsl.recipe.MimRecipe;

/**
 * Brings a spec document of an older schema up to {@link SpecJson#SCHEMA_VERSION}, one version at a
 * time, so that a checkpoint or spec file saved by any earlier version still reads. Each step only
 * rewrites what its version changed and leaves a document that already has the new form alone.
 * The DSL's own types migrate here; a type of another module registers its steps with
 * {@link SpecJson#registerMigration}, from its static initialiser.
 */
final class SchemaMigrations {

    /** Type to the steps registered for it, by the schema they start from (index 0: from schema 1). */
    private static final Map<Class<?>, Map<Integer, List<Consumer<ObjectNode>>>> REGISTERED = new ConcurrentHashMap<>();

    private SchemaMigrations() {
    }

    static void register(Class<?> type, int fromVersion, Consumer<ObjectNode> step) {
        REGISTERED.computeIfAbsent(type, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(fromVersion, v -> new CopyOnWriteArrayList<>()).add(step);
    }

    /** Rewrites {@code document}, a {@code type} in schema {@code from}, in place. */
    static void migrate(ObjectNode document, Class<?> type, int from) {
        for (int version = from; version < SpecJson.SCHEMA_VERSION; version++) {
            if (version == 1) {
                oneToTwo(document, type);
            }
            REGISTERED.getOrDefault(type, Map.of()).getOrDefault(version, List.of())
                    .forEach(step -> step.accept(document));
        }
    }

    /**
     * Schema 2 opened the part families: a backbone says its type ({@code "vit"}); a ViT's (and a
     * block's) {@code mlpRatio}, {@code qkvBias} and {@code normEps} became the parts {@code mlp},
     * {@code attention} and {@code norm}; a target and a loss say their type ({@code "pixels"}).
     */
    private static void oneToTwo(ObjectNode document, Class<?> type) {
        if (type == MimRecipe.class) {
            if (document.get("backbone") instanceof ObjectNode backbone) {
                typed(backbone, "vit");
                blockParts(backbone);
            }
            if (document.get("target") instanceof ObjectNode target) {
                typed(target, "pixels");
            }
            if (document.get("loss") instanceof ObjectNode loss) {
                typed(loss, "pixels");
            }
        } else if (type == ViT.class || type == Backbone.class) {
            // schema 1 had one backbone, the ViT
            typed(document, "vit");
            blockParts(document);
        } else if (type == BlockSpec.class) {
            blockParts(document);
        }
    }

    private static void typed(ObjectNode node, String name) {
        if (!node.has("type")) {
            ObjectNode copy = node.deepCopy();
            node.removeAll();
            node.put("type", name);
            node.setAll(copy);
        }
    }

    /** Puts the block parts where schema 1 had their one number each, in the record's field order. */
    private static void blockParts(ObjectNode node) {
        if (!node.has("qkvBias") && !node.has("mlpRatio") && !node.has("normEps")) {
            return;
        }
        for (String old : new String[] {"mlpRatio", "qkvBias", "normEps"}) {
            SpecChecks.check(node.has(old), "missing field %s of a schema 1 backbone, which became part of"
                    + " its attention, mlp and norm parts in schema 2", old);
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode attention = nodes.objectNode().put("type", "multiHead").set("qkvBias", node.get("qkvBias"));
        ObjectNode mlp = nodes.objectNode().put("type", "gelu").set("ratio", node.get("mlpRatio"));
        ObjectNode norm = nodes.objectNode().put("type", "layerNorm").set("eps", node.get("normEps"));
        ObjectNode copy = node.deepCopy();
        node.removeAll();
        copy.fields().forEachRemaining(field -> {
            switch (field.getKey()) {
                case "mlpRatio", "normEps" -> { }
                case "qkvBias" -> {
                    node.set("attention", attention);
                    node.set("mlp", mlp);
                    node.set("norm", norm);
                }
                default -> node.set(field.getKey(), field.getValue());
            }
        });
    }

}
