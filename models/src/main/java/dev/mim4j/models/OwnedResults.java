package dev.mim4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Runs a public call so that the caller never needs a {@link PointerScope}: every tensor the call makes
 * along the way is freed when it returns, and only its result survives. The result goes to the caller's
 * innermost open scope when there is one (so code that already scopes its work keeps doing so), and
 * otherwise to the caller alone, who frees it with {@code close()} (or leaves it to the garbage collector).
 */
public final class OwnedResults {

    private OwnedResults() {
    }

    /** The tensor {@code call} returns, its intermediates freed. */
    public static Tensor tensor(Supplier<Tensor> call) {
        return of(call, List::of);
    }

    /**
     * The value {@code call} returns, with the native handles that {@code handles} lists kept alive and
     * every other handle made during the call freed.
     */
    public static <T> T of(Supplier<T> call, Function<T, List<? extends Pointer>> handles) {
        PointerScope outer = PointerScope.getInnerScope();
        T result;
        List<Pointer> kept = new ArrayList<>();
        try (RecordingScope scope = new RecordingScope()) {
            result = call.get();
            for (Pointer handle : handles.apply(result)) {
                // a handle the call did not make (the caller's own input, passed through) is left as it is
                if (scope.made(handle)) {
                    handle.retainReference();
                    kept.add(handle);
                }
            }
        } catch (RuntimeException | Error e) {
            kept.forEach(Pointer::releaseReference);
            throw e;
        }
        if (outer != null) {
            for (Pointer handle : kept) {
                outer.attach(handle);
                handle.releaseReference();
            }
        }
        return result;
    }

    /** A scope that knows which handles were made inside it. */
    private static final class RecordingScope extends PointerScope {
        private final Set<Pointer> made = Collections.newSetFromMap(new IdentityHashMap<>());

        @Override
        public PointerScope attach(Pointer pointer) {
            made.add(pointer);
            return super.attach(pointer);
        }

        boolean made(Pointer pointer) {
            return made.contains(pointer);
        }
    }
}
