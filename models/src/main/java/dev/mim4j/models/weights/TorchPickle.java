package dev.mim4j.models.weights;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of the pickle inside a {@code torch.save} archive ({@code data.pkl}), in plain Java: the opcodes
 * of protocols 2 to 5 that such a file uses, and nothing that runs code. Dicts become {@link Map}s, lists
 * {@link List}s, tuples {@code Object[]}, and the three calls a state dict needs are understood:
 * {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2} ({@link TensorRef}) and
 * {@code torch._utils._rebuild_parameter}; any other call gives an {@link Opaque} value, which holds no
 * tensors. Storages are the archive's persistent ids ({@link StorageRef}).
 *
 * <p>Every malformed input is an {@link IOException} with the reason: it never runs libtorch's unpickler,
 * which crashes the process on damaged files.
 */
final class TorchPickle {

    /** A storage of the archive: its element type, the entry holding its bytes, its number of elements. */
    record StorageRef(DType dtype, String key, long elements) {
    }

    /** A tensor: a view of a storage from an element offset, with a size and a stride per dimension. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** A Python global ({@code module.name}) or the result of calling one that is not understood. */
    record Opaque(String name) {
    }

    private static final Object MARK = new Object();
    private static final Map<String, DType> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", DType.F32), Map.entry("DoubleStorage", DType.F64),
            Map.entry("HalfStorage", DType.F16), Map.entry("BFloat16Storage", DType.BF16),
            Map.entry("LongStorage", DType.I64), Map.entry("IntStorage", DType.I32),
            Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL));

    private final ByteBuffer in;
    private final Deque<Object> stack = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private TorchPickle(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The object {@code bytes} pickle. */
    static Object load(byte[] bytes) throws IOException {
        try {
            return new TorchPickle(bytes).run();
        } catch (BufferUnderflowException e) {
            throw new IOException("the pickle ends in the middle of an instruction");
        } catch (ClassCastException | ArithmeticException e) {
            throw new IOException("the pickle does not hold a state dict as torch.save writes it (" + e.getMessage()
                    + ")");
        }
    }

    private Object run() throws IOException {
        while (true) {
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = in.get() & 0xff;
                    check(protocol >= 2 && protocol <= 5, "pickle protocol " + protocol + " is not 2 to 5");
                }
                case 0x95 -> in.getLong(); // FRAME: a length hint
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> stack.push(MARK);
                case '}' -> stack.push(new LinkedHashMap<>());
                case ']' -> stack.push(new ArrayList<>());
                case ')' -> stack.push(new Object[0]);
                case 'N' -> stack.push(Nothing.NONE);
                case 0x88 -> stack.push(Boolean.TRUE);
                case 0x89 -> stack.push(Boolean.FALSE);
                case 'J' -> stack.push((long) in.getInt());
                case 'K' -> stack.push((long) (in.get() & 0xff));
                case 'M' -> stack.push((long) (in.getShort() & 0xffff));
                case 0x8a -> stack.push(long1(in.get() & 0xff));
                case 'G' -> stack.push(ByteBuffer.wrap(bytes(8)).getDouble()); // big-endian, unlike the rest
                case 'X' -> stack.push(text(length(in.getInt())));
                case 0x8c -> stack.push(text(in.get() & 0xff));
                case 0x8d -> stack.push(text(length(in.getLong())));
                case 'T' -> stack.push(text(length(in.getInt())));
                case 'U' -> stack.push(text(in.get() & 0xff));
                case 'B' -> stack.push(bytes(length(in.getInt())));
                case 'C' -> stack.push(bytes(in.get() & 0xff));
                case 'q' -> memo.put((long) (in.get() & 0xff), peek());
                case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> stack.push(memoized(in.get() & 0xff));
                case 'j' -> stack.push(memoized(in.getInt() & 0xffffffffL));
                case 't' -> stack.push(popToMark().toArray());
                case 0x85 -> stack.push(new Object[] {pop()});
                case 0x86 -> {
                    Object b = pop();
                    stack.push(new Object[] {pop(), b});
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    stack.push(new Object[] {pop(), b, c});
                }
                case 'l' -> stack.push(new ArrayList<>(popToMark()));
                case 'd' -> stack.push(dict(popToMark()));
                case 'a' -> {
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'e' -> {
                    List<Object> items = popToMark();
                    list(peek()).addAll(items);
                }
                case 's' -> {
                    Object value = pop();
                    Object key = key(pop());
                    map(peek()).put(key, value);
                }
                case 'u' -> {
                    List<Object> items = popToMark();
                    map(peek()).putAll(dict(items));
                }
                case 'c' -> stack.push(new Opaque(line() + "." + line()));
                case 0x93 -> { // STACK_GLOBAL
                    String name = string(pop());
                    stack.push(new Opaque(string(pop()) + "." + name));
                }
                case 'R', 0x81 -> { // REDUCE, NEWOBJ
                    Object[] args = tuple(pop());
                    stack.push(call(pop(), args));
                }
                case 'b' -> pop(); // BUILD: the state of an object we keep opaque, or of a dict
                case 'Q' -> stack.push(storage(tuple(pop()))); // BINPERSID
                default -> throw new IOException(String.format("pickle opcode 0x%02x at byte %d is not one that"
                        + " torch.save writes", op, in.position() - 1));
            }
        }
    }

    private Object call(Object callable, Object[] args) throws IOException {
        String name = callable instanceof Opaque global ? global.name() : "?";
        switch (name) {
            case "collections.OrderedDict" -> {
                return new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                check(args.length >= 4 && args[0] instanceof StorageRef, "_rebuild_tensor_v2 without a storage");
                long[] size = longs(args[2]);
                long[] stride = longs(args[3]);
                check(size.length == stride.length, "a tensor of " + size.length + " sizes and " + stride.length
                        + " strides");
                return new TensorRef((StorageRef) args[0], number(args[1]), size, stride);
            }
            case "torch._utils._rebuild_parameter" -> {
                check(args.length >= 1, "_rebuild_parameter without a tensor");
                return args[0];
            }
            default -> {
                return new Opaque(name + "(...)");
            }
        }
    }

    private static StorageRef storage(Object[] id) throws IOException {
        check(id.length == 5 && "storage".equals(id[0]) && id[1] instanceof Opaque type && id[2] instanceof String,
                "a persistent id that is not a storage");
        String type = ((Opaque) id[1]).name();
        DType dtype = STORAGES.get(type.substring(type.lastIndexOf('.') + 1));
        check(dtype != null, "storages of " + type + " are not read here");
        long elements = number(id[4]);
        check(elements >= 0, "a storage of " + elements + " elements");
        return new StorageRef(dtype, (String) id[2], elements);
    }

    private Object memoized(long index) throws IOException {
        Object value = memo.get(index);
        check(value != null, "the pickle refers to memo entry " + index + ", which it never stored");
        return value;
    }

    private Object pop() throws IOException {
        check(!stack.isEmpty() && stack.peek() != MARK, "the pickle takes from an empty stack");
        return stack.pop();
    }

    private Object peek() throws IOException {
        check(!stack.isEmpty() && stack.peek() != MARK, "the pickle takes from an empty stack");
        return stack.peek();
    }

    private List<Object> popToMark() throws IOException {
        List<Object> items = new ArrayList<>();
        while (true) {
            check(!stack.isEmpty(), "the pickle closes a mark it never opened");
            Object item = stack.pop();
            if (item == MARK) {
                break;
            }
            items.add(item);
        }
        Collections.reverse(items);
        return items;
    }

    private static Map<Object, Object> dict(List<Object> items) throws IOException {
        check(items.size() % 2 == 0, "a dict of an odd number of keys and values");
        Map<Object, Object> dict = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(key(items.get(i)), items.get(i + 1));
        }
        return dict;
    }

    /**
     * A dict key of a value type: a list or dict as a key could contain itself, and hashing it would never
     * end (a state dict's keys are strings).
     */
    private static Object key(Object key) throws IOException {
        check(key instanceof String || key instanceof Long || key instanceof Boolean || key instanceof Double
                || key instanceof Nothing || key instanceof Opaque, "a dict key that is not a string or a number");
        return key;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) throws IOException {
        check(value instanceof List, "an append to something that is not a list");
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> map(Object value) throws IOException {
        check(value instanceof Map, "a dict item set on something that is not a dict");
        return (Map<Object, Object>) value;
    }

    private static Object[] tuple(Object value) throws IOException {
        check(value instanceof Object[], "a call whose arguments are not a tuple");
        return (Object[]) value;
    }

    private static String string(Object value) throws IOException {
        check(value instanceof String, "a global whose name is not a string");
        return (String) value;
    }

    private static long number(Object value) throws IOException {
        // never the value in the message: printing a list that holds itself through another never ends
        check(value instanceof Long, "a number expected where the pickle has something else");
        return (Long) value;
    }

    private static long[] longs(Object value) throws IOException {
        Object[] items = tuple(value);
        long[] numbers = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            numbers[i] = number(items[i]);
        }
        return numbers;
    }

    private long long1(int length) throws IOException {
        check(length <= 8, "an integer of " + length + " bytes");
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (in.get() & 0xffL) << (8 * i);
        }
        // sign-extend from the top byte read
        return length == 0 || length == 8 ? value : value << (64 - 8 * length) >> (64 - 8 * length);
    }

    private int length(long length) throws IOException {
        check(length >= 0 && length <= in.remaining(), "a string of " + length + " bytes where "
                + in.remaining() + " are left");
        return (int) length;
    }

    private String text(int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return line.toString();
            }
            line.append((char) (b & 0xff));
            check(line.length() < 1000, "a global name longer than 1000 characters");
        }
    }

    private static void check(boolean condition, String reason) throws IOException {
        if (!condition) {
            throw new IOException(reason);
        }
    }

    /** Python's None, kept apart from Java's null, which the stack does not hold. */
    enum Nothing {
        NONE
    }
}
