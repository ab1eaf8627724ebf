package dev.mim4j.models.weights;

import java.util.Arrays;
import java.util.stream.Collectors;

import dev.mim4j.dsl.Mim4jException;

/** The element types a safetensors file can hold here, each with its header code and width in bytes. */
public enum DType {
    F32("F32", 4),
    F16("F16", 2),
    BF16("BF16", 2),
    F64("F64", 8),
    I64("I64", 8),
    I32("I32", 4),
    I16("I16", 2),
    I8("I8", 1),
    U8("U8", 1),
    BOOL("BOOL", 1);

    private final String code;
    private final int byteSize;

    DType(String code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The string the header's {@code "dtype"} field holds, e.g. {@code "BF16"}. */
    public String code() {
        return code;
    }

    /**
     * The type whose header code is {@code code}; codes are case-sensitive, as in the safetensors
     * specification.
     *
     * @throws IllegalArgumentException naming the accepted codes if none matches
     */
    public static DType fromCode(String code) {
        for (DType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        throw new Mim4jException("dtype", "unknown dtype '" + code + "'; accepted: "
                + Arrays.stream(values()).map(DType::code).collect(Collectors.joining(", ")));
    }
}
