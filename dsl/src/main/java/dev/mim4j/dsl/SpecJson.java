package dev.mim4j.dsl;

import com.fasterxml.jackson.annotation.JsonSubTypes;
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
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes specs as JSON and reads them back equal, so that a spec can be saved next to a
 * checkpoint; a bad file fails with the same {@link SpecException} as a bad constructor call.
 */
public final class SpecJson {

    // Strict on reading: a null, repeated or coerced value ("16", 16.5, an enum's index) would
    // otherwise turn silently into a default, a truncation or another field's value.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    // Fixed line separator and spacing, so that the same spec gives the same bytes on every OS.
    private static final ObjectWriter WRITER = MAPPER.writer(
            new DefaultPrettyPrinter(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private SpecJson() {}

    /** Pretty JSON with fields in declaration order, e.g. of a {@link ViT} or {@link BlockSpec}. */
    public static String toJson(Object spec) {
        SpecChecks.given("spec", spec);
        try {
            return WRITER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + spec.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    /**
     * The spec of {@code type} that {@code json} holds, or a {@link SpecException}: the spec's own
     * validation sentence for a value that does not fit, else a sentence naming the field.
     */
    public static <T> T fromJson(String json, Class<T> type) {
        SpecChecks.given("json", json);
        T spec;
        try {
            JsonNode tree = MAPPER.readTree(json);
            requireEveryField(tree, type, "", type);
            spec = MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw explain(e, type);
        }
        SpecChecks.check(spec != null,
                "expected %s in JSON, found null or nothing", type.getSimpleName());
        return spec;
    }

    /**
     * Fails on the first record component that {@code node} lacks, looking into nested records,
     * because Jackson would otherwise give a missing number the value 0; a member of a
     * {@link JsonTypeInfo} family is first resolved from its type property.
     */
    private static void requireEveryField(JsonNode node, Class<?> type, String path, Class<?> root) {
        if (!node.isObject()) {
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
        List<JsonSubTypes.Type> members = Arrays.stream(family.getAnnotation(JsonSubTypes.class).value())
                .filter(member -> type.isAssignableFrom(member.value()))
                .toList();
        for (JsonSubTypes.Type member : members) {
            if (name.isTextual() && member.name().equals(name.textValue())) {
                return member.value();
            }
        }
        String accepted = members.stream().map(JsonSubTypes.Type::name).collect(Collectors.joining(", "));
        throw new SpecException(String.format(Locale.ROOT,
                "field %s%s in %s: unknown value '%s', expected one of %s",
                path, property, root.getSimpleName(), name.asText(), accepted));
    }

    /**
     * The interface that declares {@code type}'s family of JSON subtypes, the type itself or one
     * that it implements, or null when {@code type} is read without a type property.
     */
    private static Class<?> familyOf(Class<?> type) {
        return Stream.concat(Stream.of(type), Arrays.stream(type.getInterfaces()))
                .filter(candidate -> candidate.isAnnotationPresent(JsonTypeInfo.class)
                        && candidate.isAnnotationPresent(JsonSubTypes.class))
                .findFirst()
                .orElse(null);
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
