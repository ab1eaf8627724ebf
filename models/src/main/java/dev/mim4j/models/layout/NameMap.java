package dev.mim4j.models.layout;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** How a checkpoint names an encoder's tensors, both ways. */
public interface NameMap {

    /** The slot of the checkpoint's tensor {@code theirs} in the encoder, or empty when it is not the encoder's. */
    Optional<Slot> toEncoder(String theirs);

    /**
     * The checkpoint's names of the encoder's tensor {@code ours}: one name, or one per part in part order when
     * the checkpoint splits it; empty when the checkpoint does not hold it (a buffer it computes).
     */
    List<String> fromEncoder(String ours);

    /**
     * The map for an encoder whose tensors are named {@code encoderNames}, for a layout that names the same
     * module differently in different backbones (Hugging Face's {@code vit.layernorm} and {@code swin.layernorm}).
     */
    default NameMap forEncoder(Collection<String> encoderNames) {
        return this;
    }

    /** The same names, each under {@code prefix} in the checkpoint ({@code "model."}, {@code "encoder."}). */
    default NameMap under(String prefix) {
        NameMap inner = this;
        return new NameMap() {
            @Override
            public NameMap forEncoder(Collection<String> encoderNames) {
                return inner.forEncoder(encoderNames).under(prefix);
            }

            @Override
            public Optional<Slot> toEncoder(String theirs) {
                return theirs.startsWith(prefix) ? inner.toEncoder(theirs.substring(prefix.length())) : Optional.empty();
            }

            @Override
            public List<String> fromEncoder(String ours) {
                return inner.fromEncoder(ours).stream().map(name -> prefix + name).toList();
            }
        };
    }

    /** The encoder's own names: timm's and the official MAE code's for a ViT, the official Swin code's. */
    NameMap SAME = new NameMap() {
        @Override
        public Optional<Slot> toEncoder(String theirs) {
            return Optional.of(Slot.whole(theirs));
        }

        @Override
        public List<String> fromEncoder(String ours) {
            return List.of(ours);
        }
    };
}
