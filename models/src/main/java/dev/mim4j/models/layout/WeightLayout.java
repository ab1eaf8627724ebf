package dev.mim4j.models.layout;

import static org.bytedeco.pytorch.global.torch.cat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.transfer.ShapeAdaptation;
import dev.mim4j.models.transfer.TensorFilter;
import dev.mim4j.models.weights.IncompatibleWeightsException;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.StateDict;
import dev.mim4j.models.weights.WeightSource;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * How a checkpoint holds an encoder's weights: a name map (prefixes, renamed modules, a fused qkv split into
 * query, key and value) and a tensor filter (position tables resampled and bias tables resized to the
 * encoder's sizes), as timm's {@code checkpoint_filter_fn} does. The official MAE and SimMIM code's, timm's and
 * Hugging Face's are instances; {@link #detect} picks one from a file's names. A layout never depends on the
 * decoder a model was trained with.
 *
 * @param name for messages and reports
 * @param names the checkpoint's names of the encoder's tensors
 * @param filter fits a tensor whose shape differs to the encoder's: the instances here resample position tables
 *     and resize bias tables to the encoder's image size and window ({@link ShapeAdaptation}); with
 *     {@link TensorFilter#SAME_SHAPE} a shape that differs is refused
 */
public record WeightLayout(String name, NameMap names, TensorFilter filter) {

    public WeightLayout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(filter, "filter");
    }

    /**
     * facebookresearch/mae's (and timm's ViT): the encoder's names at the top ({@code blocks.N.attn.qkv});
     * the decoder's ({@code decoder_*}, {@code mask_token}) are not the encoder's.
     */
    public static final WeightLayout MAE = new WeightLayout("MAE (official)", NameMap.SAME,
            ShapeAdaptation.FROM_SQUARE_GRIDS);

    /** microsoft/SimMIM's: the encoder under {@code encoder.}, the decoder under {@code decoder.}. */
    public static final WeightLayout SIMMIM = new WeightLayout("SimMIM (official)", NameMap.SAME.under("encoder."),
            ShapeAdaptation.FROM_SQUARE_GRIDS);

    /**
     * timm's: a ViT's names as MAE's, its layer scale as {@code blocks.N.ls1.gamma}; a Swin's patch merging
     * held by the next stage ({@code layers.(i+1).downsample}, timm 0.9 on) and its index and mask buffers not
     * saved.
     */
    public static final WeightLayout TIMM = new WeightLayout("timm", RenameRules.builder(false)
            .rule("blocks.{n}.gamma_1", "blocks.{n}.ls1.gamma")
            .rule("blocks.{n}.gamma_2", "blocks.{n}.ls2.gamma")
            .rule("layers.{s}.downsample.norm.{p}", "layers.{s+1}.downsample.norm.{p}")
            .rule("layers.{s}.downsample.reduction.{p}", "layers.{s+1}.downsample.reduction.{p}")
            .rule("layers.{s}.blocks.{b}.attn.relative_position_index")
            .rule("layers.{s}.blocks.{b}.attn_mask")
            .build(), ShapeAdaptation.FROM_SQUARE_GRIDS);

    /**
     * Hugging Face transformers' {@code ViTMAEForPreTraining} ({@code vit.}) and
     * {@code SwinForMaskedImageModeling} ({@code swin.}), as their conversion scripts from the official
     * checkpoints name them: a fused qkv split into query, key and value (in that order along the first
     * dimension), blocks as {@code vit.encoder.layer.N} and {@code swin.encoder.layers.i.blocks.j}.
     */
    public static final WeightLayout HUGGING_FACE = new WeightLayout("Hugging Face", HuggingFaceNames.MAP,
            ShapeAdaptation.FROM_SQUARE_GRIDS);

    /**
     * The layout a checkpoint's names follow: Hugging Face's ({@code vit.embeddings.*}, {@code swin.embeddings.*}),
     * SimMIM's ({@code encoder.patch_embed.*}), timm's (a Swin's {@code layers.1.downsample} with no
     * {@code layers.0.downsample}, or a ViT's {@code ls1.gamma}), else MAE's.
     *
     * @throws IllegalArgumentException when the names hold no patch embedding any layout knows
     */
    public static WeightLayout detect(Collection<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.stream().anyMatch(n -> n.startsWith("vit.embeddings.") || n.startsWith("swin.embeddings."))) {
            return HUGGING_FACE;
        }
        if (names.stream().anyMatch(n -> n.startsWith("encoder.patch_embed."))) {
            return SIMMIM;
        }
        if (names.stream().noneMatch(n -> n.startsWith("patch_embed."))) {
            throw new Mim4jException("names", "the checkpoint's names (" + String.join(", ", names.stream().limit(5)
                    .toList()) + (names.size() > 5 ? ", ..." : "") + ") follow none of the layouts known: MAE's,"
                    + " SimMIM's, timm's or Hugging Face's (no patch_embed.*, encoder.patch_embed.*, vit.embeddings.*"
                    + " or swin.embeddings.*)");
        }
        boolean timmSwin = names.stream().anyMatch(n -> n.startsWith("layers.1.downsample."))
                && names.stream().noneMatch(n -> n.startsWith("layers.0.downsample."));
        boolean timmLayerScale = names.stream().anyMatch(n -> n.matches("blocks\\.\\d+\\.ls1\\.gamma"));
        return timmSwin || timmLayerScale ? TIMM : MAE;
    }

    /** The same layout with every name under {@code prefix} in the checkpoint (mim4j's {@code model.}). */
    public WeightLayout under(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new WeightLayout(name + " under '" + prefix + "'", names.under(prefix), filter);
    }

    /** The same names with another tensor filter. */
    public WeightLayout withFilter(TensorFilter filter) {
        return new WeightLayout(name, names, filter);
    }

    /**
     * Loads {@code source} into {@code encoder}: every tensor of the encoder must be found (and fit, through the
     * filter), but for the buffers it computes for its own sizes and those {@code mayStayAtInit} accepts. The
     * report lists the tensors adapted to another shape.
     *
     * @throws IncompatibleWeightsException naming what is missing or does not fit; the encoder is then unchanged
     */
    public LoadReport load(Encoder encoder, WeightSource source, Predicate<String> mayStayAtInit) throws IOException {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mayStayAtInit, "mayStayAtInit");
        Map<String, Tensor> state = StateDict.of(encoder.module());
        NameMap names = this.names.forEncoder(state.keySet());
        Map<String, TreeMap<Integer, String>> parts = new LinkedHashMap<>();
        Map<String, Integer> partCounts = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (String theirs : source.names()) {
            Optional<Slot> slot = names.toEncoder(theirs).filter(s -> state.containsKey(s.name()));
            if (slot.isEmpty()) {
                unexpected.add(theirs);
                continue;
            }
            parts.computeIfAbsent(slot.get().name(), n -> new TreeMap<>()).put(slot.get().part(), theirs);
            partCounts.put(slot.get().name(), slot.get().parts());
        }
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<LoadReport.ShapeMismatch> mismatched = new ArrayList<>();
        List<LoadReport.ShapeMismatch> adapted = new ArrayList<>();
        Map<String, Tensor> values = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> entry : state.entrySet()) {
                String ours = entry.getKey();
                Tensor into = entry.getValue();
                TreeMap<Integer, String> found = parts.get(ours);
                boolean computed = ShapeAdaptation.computedByEncoder(ours, into);
                if (found == null || found.size() != partCounts.get(ours)) {
                    if (!computed) {
                        missing.add(ours);
                    }
                    continue;
                }
                Tensor value = read(source, found);
                if (computed && !Arrays.equals(Tensors.shape(value), Tensors.shape(into))) {
                    continue; // the encoder's own table for its own sizes (a sin-cos grid, an index), not a resample
                }
                Tensor fitted = filter.fit(ours, value, into, encoder.spec());
                if (fitted == null) {
                    if (!computed) {
                        mismatched.add(new LoadReport.ShapeMismatch(ours, Tensors.shape(into), Tensors.shape(value)));
                    }
                    continue;
                }
                if (!Arrays.equals(Tensors.shape(value), Tensors.shape(into))) {
                    adapted.add(new LoadReport.ShapeMismatch(ours, Tensors.shape(into), Tensors.shape(value)));
                }
                values.put(ours, fitted);
                loaded.add(ours);
            }
            LoadReport report = new LoadReport(source.description() + " (" + name + ")", loaded, missing, unexpected,
                    mismatched, adapted);
            report.requireFilled(mayStayAtInit);
            values.forEach((ours, value) -> state.get(ours).copy_(value));
            return report;
        }
    }

    /** The encoder's tensors {@code encoderState} under this layout's names, split where it splits them. */
    public Map<String, Tensor> fromEncoder(Map<String, Tensor> encoderState) {
        Objects.requireNonNull(encoderState, "encoderState");
        Map<String, Tensor> checkpoint = new LinkedHashMap<>();
        NameMap names = this.names.forEncoder(encoderState.keySet());
        encoderState.forEach((ours, tensor) -> {
            List<String> theirs = names.fromEncoder(ours);
            if (theirs.size() == 1) {
                checkpoint.put(theirs.get(0), tensor);
            } else if (theirs.size() > 1) {
                TensorVector chunks = tensor.chunk(theirs.size(), 0);
                for (int part = 0; part < theirs.size(); part++) {
                    checkpoint.put(theirs.get(part), chunks.get(part).contiguous());
                }
            }
        });
        return checkpoint;
    }

    /** A whole tensor, or its parts concatenated along the first dimension. */
    private static Tensor read(WeightSource source, TreeMap<Integer, String> found) throws IOException {
        if (found.size() == 1) {
            return source.read(found.firstEntry().getValue());
        }
        TensorVector pieces = new TensorVector();
        for (String theirs : found.values()) {
            pieces.push_back(source.read(theirs));
        }
        return cat(pieces, 0);
    }

    @Override
    public String toString() {
        return name;
    }
}
