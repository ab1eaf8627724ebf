package dev.mim4j.models;

import java.util.List;
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
        List<? extends Pointer> kept;
        try (PointerScope scope = new PointerScope()) {
            result = call.get();
            kept = handles.apply(result);
            for (Pointer handle : kept) {
                handle.retainReference();
            }
        }
        if (outer != null) {
            for (Pointer handle : kept) {
                outer.attach(handle);
                handle.releaseReference();
            }
        }
        return result;
    }
}
