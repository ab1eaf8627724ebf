package dev.mim4j.dsl;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.dsl.part.LayerNormPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.MultiHeadAttention;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.BlockMasking;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.ExplicitMasking;
import dev.mim4j.dsl.recipe.LinearPixelDecoder;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.recipe.PixelLoss;
import dev.mim4j.dsl.recipe.PixelTarget;
import dev.mim4j.dsl.recipe.RandomPatches;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.dsl.recipe.TransformerDecoder;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes specs as JSON and reads them back equal, so that a spec can be saved next to a
 * checkpoint; a bad file fails with the same {@link SpecException} as a bad constructor call.
 *
 * <p>Every part family ({@link Backbone}, {@link Masking}, {@link Decoder}, {@link Target},
 * {@link Loss}, {@link AttentionPart}, {@link MlpPart}, {@link NormPart}) is written with a
 * {@code "type"} name; a part written outside the library joins by {@link #register registering}
 * its name. A document starts with the {@code "schema"} it was written in; one of an older schema
 * (or with none: schema 1) is migrated when it is read ({@link SchemaMigrations}).
 */
public final class SpecJson {

    /** The schema this version writes: 2 since the part families are open. */
    public static final int SCHEMA_VERSION = 2;

    private static final String SCHEMA = "schema";

    /** Family interface to (name to member), in registration order. */
    private static final Map<Class<?>, Map<String, Class<?>>> FAMILIES = new LinkedHashMap<>();

    // Fixed line separator and spacing, so that the same spec gives the same bytes on every OS.
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    private static volatile ObjectMapper mapper;

    static {
        for (Class<?> family : List.of(Backbone.class, AttentionPart.class, MlpPart.class, NormPart.class,
                Masking.class, Decoder.class, Target.class, Loss.class)) {
            FAMILIES.put(family, new LinkedHashMap<>());
        }
        register(Backbone.class, "vit", ViT.class);
        register(Backbone.class, "swin", Swin.class);
        register(AttentionPart.class, "multiHead", MultiHeadAttention.class);
        register(MlpPart.class, "gelu", GeluMlp.class);
        register(NormPart.class, "layerNorm", LayerNormPart.class);
        register(Masking.class, "randomPatches", RandomPatches.class);
        register(Masking.class, "blocks", BlockMasking.class);
        register(Masking.class, "explicit", ExplicitMasking.class);
        register(Decoder.class, "transformer", TransformerDecoder.class);
        register(Decoder.class, "linearPixels", LinearPixelDecoder.class);
        register(Target.class, "pixels", PixelTarget.class);
        register(Loss.class, "pixels", PixelLoss.class);
    }

    private SpecJson() {}

    /**
     * Lets specs hold {@code type}, a part of {@code family}, written and read under {@code name}.
     * Registering the same type under the same name again does nothing.
     *
     * @param family one of the part families: Backbone, AttentionPart, MlpPart, NormPart, Masking,
     *     Decoder, Target, Loss
     * @param type a record, whose compact constructor validates what is read
     * @throws SpecException if the family is not one, the type is not a record, or the name is taken
     */
    public static synchronized <T> void register(Class<T> family, String name, Class<? extends T> type) {
        SpecChecks.given("family", family);
        SpecChecks.given("type", type);
        Map<String, Class<?>> members = FAMILIES.get(family);
        SpecChecks.check(members != null, "%s is not a part family; expected one of %s",
                family.getSimpleName(), names(FAMILIES.keySet()));
        SpecChecks.check(name != null && name.matches("[A-Za-z][A-Za-z0-9_.-]*"),
                "part name '%s' must start with a letter and hold only letters, digits, '_', '.' and '-'", name);
        SpecChecks.check(family.isAssignableFrom(type), "%s is not a %s", type.getName(), family.getSimpleName());
        SpecChecks.check(type.isRecord(), "%s must be a record to be read from JSON", type.getName());
        Class<?> taken = members.get(name);
        SpecChecks.check(taken == null || taken == type, "%s name '%s' is already taken by %s",
                family.getSimpleName(), name, taken == null ? "" : taken.getName());
        Optional<String> other = members.entrySet().stream()
                .filter(entry -> entry.getValue() == type && !entry.getKey().equals(name))
                .map(Map.Entry::getKey).findFirst();
        SpecChecks.check(other.isEmpty(), "%s is already registered as %s '%s'", type.getName(),
                family.getSimpleName(), other.orElse(""));
        if (taken == null) {
            members.put(name, type);
            mapper = null; // Jackson caches a family's names once it has used them: build a new mapper
        }
    }

    /**
     * Adds a step that rewrites a document of {@code type} written in schema {@code fromVersion} into
     * the next schema, for a spec type outside the DSL (a training config, say). Register it from the
     * type's static initialiser: {@link #fromJson} initialises the type before it migrates.
     */
    public static void registerMigration(Class<?> type, int fromVersion, Consumer<ObjectNode> step) {
        SpecChecks.given("type", type);
        SpecChecks.given("migration", step);
        SpecChecks.check(fromVersion >= 1 && fromVersion < SCHEMA_VERSION,
                "a migration starts from a schema in [1, %d), not %d", SCHEMA_VERSION, fromVersion);
        SchemaMigrations.register(type, fromVersion, step);
    }

    /** The names and members of {@code family}, the built-ins first, then in registration order. */
    public static synchronized Map<String, Class<?>> registered(Class<?> family) {
        Map<String, Class<?>> members = FAMILIES.get(family);
        SpecChecks.check(members != null, "%s is not a part family", family == null ? null : family.getSimpleName());
        return Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /**
     * Pretty JSON with the schema first, then the fields in declaration order, e.g. of a
     * {@link ViT} or a {@link MimRecipe}.
     *
     * @throws SpecException naming a part whose type is not registered
     */
    public static String toJson(Object spec) {
        SpecChecks.given("spec", spec);
        requireRegistered(spec, spec.getClass().getSimpleName());
        ObjectMapper json = mapper();
        try {
            JsonNode tree = json.valueToTree(spec);
            if (tree.isObject()) {
                ObjectNode document = json.createObjectNode();
                document.put(SCHEMA, SCHEMA_VERSION);
                document.setAll((ObjectNode) tree);
                tree = document;
            }
            return json.writer(PRINTER).writeValueAsString(tree);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SpecException("cannot write " + spec.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The spec of {@code type} that {@code json} holds, migrated from its schema, or a
     * {@link SpecException}: the spec's own validation sentence for a value that does not fit, else a
     * sentence naming the field.
     */
    public static <T> T fromJson(String json, Class<T> type) {
        SpecChecks.given("json", json);
        ObjectMapper reader = mapper();
        T spec;
        try {
            JsonNode tree = reader.readTree(json);
            if (tree != null && tree.isObject()) {
                ObjectNode document = (ObjectNode) tree;
                int schema = schemaOf(document, type);
                document.remove(SCHEMA);
                initialize(type);
                SchemaMigrations.migrate(document, type, schema);
            }
            requireEveryField(tree, type, "", type);
            spec = reader.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw explain(e, type);
        } catch (IllegalArgumentException e) {
            throw e instanceof SpecException known ? known : new SpecException(
                    "cannot read " + type.getSimpleName() + " from JSON: " + e.getMessage(), e);
        }
        SpecChecks.check(spec != null,
                "expected %s in JSON, found null or nothing", type.getSimpleName());
        return spec;
    }

    /** Runs {@code type}'s static initialiser, where a type outside the DSL registers its migrations. */
    private static void initialize(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot initialise " + type.getName(), e);
        }
    }

    private static int schemaOf(ObjectNode document, Class<?> type) {
        JsonNode schema = document.get(SCHEMA);
        if (schema == null) {
            return 1;
        }
        SpecChecks.check(schema.isInt() && schema.intValue() >= 1,
                "field schema in %s: '%s' is not a schema version (a whole number from 1)",
                type.getSimpleName(), schema.asText());
        SpecChecks.check(schema.intValue() <= SCHEMA_VERSION,
                "%s was written in schema %d, newer than this version of mim4j reads (%d): use a newer mim4j",
                type.getSimpleName(), schema.intValue(), SCHEMA_VERSION);
        return schema.intValue();
    }

    /**
     * The mapper that knows every registered name: strict on reading, since a null, repeated or
     * coerced value ("16", 16.5, an enum's index) would otherwise turn silently into a default, a
     * truncation or another field's value.
     */
    private static ObjectMapper mapper() {
        ObjectMapper current = mapper;
        if (current != null) {
            return current;
        }
        synchronized (SpecJson.class) {
            if (mapper == null) {
                ObjectMapper built = JsonMapper.builder()
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build();
                FAMILIES.values().forEach(members -> members.forEach(
                        (name, member) -> built.registerSubtypes(new NamedType(member, name))));
                mapper = built;
            }
            return mapper;
        }
    }

    /**
     * Fails on the first part in {@code value} (a record, looking into nested records and lists)
     * whose type is not registered in its family, since it could not be read back.
     */
    private static void requireRegistered(Object value, String path) {
        if (value == null) {
            return;
        }
        if (value instanceof Iterable<?> items) {
            items.forEach(item -> requireRegistered(item, path));
            return;
        }
        Class<?> type = value.getClass();
        Class<?> family = familyOf(type);
        if (family != null) {
            synchronized (SpecJson.class) {
                SpecChecks.check(FAMILIES.get(family).containsValue(type),
                        "%s at %s is not registered, so it cannot be saved and read back: call"
                                + " SpecJson.register(%s.class, \"<name>\", %s.class) once, before writing",
                        type.getName(), path, family.getSimpleName(), type.getSimpleName());
            }
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                try {
                    java.lang.reflect.Method accessor = component.getAccessor();
                    accessor.trySetAccessible();
                    requireRegistered(accessor.invoke(value), path + "." + component.getName());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component.getName() + " of " + type.getName(), e);
                }
            }
        }
    }

    /**
     * Fails on the first record component that {@code node} lacks, looking into nested records,
     * because Jackson would otherwise give a missing number the value 0; a member of a part family is
     * first resolved from its type property.
     */
    private static void requireEveryField(JsonNode node, Class<?> type, String path, Class<?> root) {
        if (node == null || !node.isObject()) {
            return;
        }
        Class<?> family = familyOf(type);
        Class<?> resolved = family == null ? type : memberNamedIn(node, family, type, path, root);
        if (!resolved.isRecord()) {
            return;
        }
        for (RecordComponent component : resolved.getRecordComponents()) {
            JsonNode value = node.get(component.getName());
            SpecChecks.check(value != null,
                    "missing field %s%s in %s", path, component.getName(), root.getSimpleName());
            requireEveryField(value, component.getType(), path + component.getName() + ".", root);
        }
    }

    /**
     * The member of {@code family}, among those that are a {@code type}, that the type property
     * of {@code node} names, so that a missing or unknown name reads like a missing field or an
     * unknown enum value.
     */
    private static Class<?> memberNamedIn(
            JsonNode node, Class<?> family, Class<?> type, String path, Class<?> root) {
        String property = family.getAnnotation(JsonTypeInfo.class).property();
        JsonNode name = node.get(property);
        SpecChecks.check(name != null,
                "missing field %s%s in %s", path, property, root.getSimpleName());
        Map<String, Class<?>> members = new LinkedHashMap<>();
        registered(family).forEach((memberName, member) -> {
            if (type.isAssignableFrom(member)) {
                members.put(memberName, member);
            }
        });
        Class<?> member = name.isTextual() ? members.get(name.textValue()) : null;
        if (member != null) {
            return member;
        }
        throw new SpecException(String.format(Locale.ROOT,
                "field %s%s in %s: unknown value '%s', expected one of %s%s",
                path, property, root.getSimpleName(), name.asText(), String.join(", ", members.keySet()),
                family == type ? " (a part of your own joins with SpecJson.register)" : ""));
    }

    /**
     * The part family that {@code type} belongs to, the type itself or an interface that it
     * implements, or null when {@code type} is read without a type property.
     */
    private static Class<?> familyOf(Class<?> type) {
        synchronized (SpecJson.class) {
            return FAMILIES.keySet().stream().filter(family -> family.isAssignableFrom(type)).findFirst().orElse(null);
        }
    }

    private static String names(java.util.Collection<Class<?>> types) {
        return types.stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
    }

    private static SpecException explain(JsonProcessingException e, Class<?> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SpecException validation) {
                return validation;
            }
        }
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()) {
            String accepted = Arrays.stream(invalid.getTargetType().getEnumConstants())
                    .map(Object::toString)
                    .collect(Collectors.joining(", "));
            return new SpecException(String.format(Locale.ROOT,
                    "field %s in %s: unknown value '%s', expected one of %s",
                    path(invalid), type.getSimpleName(), invalid.getValue(), accepted), e);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new SpecException(String.format(Locale.ROOT,
                    "unknown field %s in %s, expected one of %s",
                    path(unknown), type.getSimpleName(), knownFields(unknown)), e);
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return new SpecException(
                    "field " + path(mismatch) + " in " + type.getSimpleName() + ": "
                            + mismatch.getOriginalMessage(), e);
        }
        return new SpecException(
                "cannot read " + type.getSimpleName() + " from JSON: " + e.getOriginalMessage(), e);
    }

    /**
     * The fields of the object being read, its type property first if it has one; a record's in
     * declaration order, not Jackson's.
     */
    private static String knownFields(UnrecognizedPropertyException e) {
        Class<?> type = e.getReferringClass();
        Stream<String> names = type.isRecord()
                ? Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                : e.getKnownPropertyIds().stream().map(String::valueOf).sorted();
        Class<?> family = familyOf(type);
        Stream<String> typeProperty = family == null
                ? Stream.empty()
                : Stream.of(family.getAnnotation(JsonTypeInfo.class).property());
        return Stream.concat(typeProperty, names).collect(Collectors.joining(", "));
    }

    /** The dotted path of the field where reading failed, e.g. "image.channels". */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
