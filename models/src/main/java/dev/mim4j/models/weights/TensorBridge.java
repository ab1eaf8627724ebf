package dev.mim4j.models.weights;

import static org.bytedeco.pytorch.global.torch.empty;
import static org.bytedeco.pytorch.global.torch.from_blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Moves tensors between safetensors bytes and libtorch, in both directions, one tensor at a time. */
public final class TensorBridge {

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("safetensors data is little-endian; this machine is big-endian");
        }
    }

    private TensorBridge() {
    }

    /** The libtorch scalar type of a safetensors dtype. */
    public static ScalarType scalarType(DType dtype) {
        return switch (dtype) {
            case F32 -> ScalarType.Float;
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            case F64 -> ScalarType.Double;
            case I64 -> ScalarType.Long;
            case I32 -> ScalarType.Int;
            case I16 -> ScalarType.Short;
            case I8 -> ScalarType.Char;
            case U8 -> ScalarType.Byte;
            case BOOL -> ScalarType.Bool;
        };
    }

    /** The safetensors dtype of a libtorch scalar type. */
    public static DType dtype(ScalarType type) {
        return switch (type.intern()) {
            case Float -> DType.F32;
            case Half -> DType.F16;
            case BFloat16 -> DType.BF16;
            case Double -> DType.F64;
            case Long -> DType.I64;
            case Int -> DType.I32;
            case Short -> DType.I16;
            case Char -> DType.I8;
            case Byte -> DType.U8;
            case Bool -> DType.BOOL;
            default -> throw new Mim4jException("dtype", "tensors of type " + type
                    + " cannot be written to safetensors here; convert to Float, Half, BFloat16, Double or an integer type");
        };
    }

    /** A CPU tensor that owns a copy of the named tensor's bytes in the file. */
    public static Tensor read(SafetensorsFile file, TensorInfo info) throws IOException {
        TensorOptions options = new TensorOptions(scalarType(info.dtype()));
        if (info.byteLength() == 0) {
            return empty(info.shape(), options, new MemoryFormatOptional());
        }
        ByteBuffer data = file.data(info.name());
        try (BytePointer pointer = new BytePointer(data)) {
            return from_blob(pointer, info.shape(), options).clone();
        }
    }

    /** A source that streams the tensor's bytes (CPU, contiguous) when the writer asks for them. */
    public static TensorSource source(Tensor tensor) {
        return (WritableByteChannel out) -> {
            Tensor cpu = tensor.detach().cpu().contiguous();
            long bytes = cpu.numel() * cpu.element_size();
            if (bytes == 0) {
                return;
            }
            BytePointer pointer = new BytePointer(cpu.data_ptr()).capacity(bytes);
            long written = 0;
            while (written < bytes) {
                int chunk = (int) Math.min(bytes - written, 1 << 30);
                ByteBuffer buffer = pointer.position(written).limit(written + chunk).asByteBuffer();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                written += chunk;
            }
        };
    }
}
