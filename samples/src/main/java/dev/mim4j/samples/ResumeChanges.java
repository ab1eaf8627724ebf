package dev.mim4j.samples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.mim4j.training.NonFiniteLossPolicy;
import dev.mim4j.training.TrainConfig;
import picocli.CommandLine.ParseResult;

/**
 * On {@code pretrain --resume}: the flags given that differ from the checkpoint's run. A larger
 * {@code --epochs} extends the run; any other difference (a setting, or other data) is refused with one
 * sentence unless {@code --override}, and the run's config is the checkpoint's with the changes made.
 */
final class ResumeChanges {

    /** A setting the run had ({@code checkpoint}) and the one given now. */
    record Change(String flag, String checkpoint, String given) {
        @Override
        public String toString() {
            return flag + " " + given + " (the checkpoint's: " + checkpoint + ")";
        }
    }

    private final Path file;
    private final TrainConfig saved;
    private final ParseResult parsed;
    private TrainConfig config;

    ResumeChanges(Path file, TrainConfig saved, ParseResult parsed) {
        this.file = file;
        this.saved = saved;
        this.parsed = parsed;
        this.config = saved;
    }

    /** The config to run with: the checkpoint's, with the changes {@link #changes} accepted. */
    TrainConfig config() {
        return config;
    }

    /**
     * The changes the command asks for, every one recorded; refuses the ones that are not an extension
     * unless {@code override}.
     *
     * @throws IllegalArgumentException naming the flags, the values and the checkpoint
     */
    List<Change> changes(PretrainCommand command, Optional<String> savedData, String data, boolean override) {
        List<Change> changes = new ArrayList<>();
        TrainConfig.Builder builder = saved.toBuilder();
        setting(changes, builder, "--batch", TrainConfig::batchSize, command.batch, TrainConfig.Builder::batchSize);
        setting(changes, builder, "--accum", TrainConfig::accumulation, command.accumulation,
                TrainConfig.Builder::accumulation);
        setting(changes, builder, "--lr", TrainConfig::baseLearningRate, command.baseLearningRate,
                TrainConfig.Builder::baseLearningRate);
        setting(changes, builder, "--warmup", TrainConfig::warmupEpochs, command.warmupEpochs,
                TrainConfig.Builder::warmupEpochs);
        setting(changes, builder, "--clip", TrainConfig::clipGradNorm, command.clip, TrainConfig.Builder::clipGradNorm);
        setting(changes, builder, "--seed", TrainConfig::seed, command.seed, TrainConfig.Builder::seed);
        setting(changes, builder, "--bf16", TrainConfig::bf16, command.bf16, TrainConfig.Builder::bf16);
        setting(changes, builder, "--on-nan", c -> c.nonFiniteLoss().name().toLowerCase(Locale.ROOT), command.onNan,
                (b, v) -> b.nonFiniteLoss(NonFiniteLossPolicy.valueOf(v.toUpperCase(Locale.ROOT))));
        setting(changes, builder, "--checkpoint-every", TrainConfig::checkpointEverySteps, command.checkpointEvery,
                TrainConfig.Builder::checkpointEverySteps);
        setting(changes, builder, "--keep", TrainConfig::keepCheckpoints, command.keep,
                TrainConfig.Builder::keepCheckpoints);
        setting(changes, builder, "--pictures-every", TrainConfig::picturesEveryEpochs, command.picturesEvery,
                TrainConfig.Builder::picturesEveryEpochs);
        if (savedData.isPresent() && !savedData.get().equals(data)) {
            if (!parsed.hasMatchedOption("--data")) {
                throw new IllegalArgumentException("the run in " + file + " was trained on " + savedData.get()
                        + "; give its --data (without it, --data is " + data + ")");
            }
            changes.add(new Change("--data", savedData.get(), data));
        }
        List<Change> conflicts = List.copyOf(changes);
        if (parsed.hasMatchedOption("--epochs") && command.epochs != saved.epochs()) {
            if (command.epochs < saved.epochs() && !override) {
                conflicts = new ArrayList<>(conflicts);
                conflicts.add(new Change("--epochs", String.valueOf(saved.epochs()), String.valueOf(command.epochs)));
            }
            changes.add(new Change("--epochs", String.valueOf(saved.epochs()), String.valueOf(command.epochs)));
            builder.epochs(command.epochs);
        }
        if (!conflicts.isEmpty() && !override) {
            throw new IllegalArgumentException(conflicts.stream().map(Change::toString)
                    .collect(Collectors.joining(", ")) + ": " + (conflicts.size() == 1 ? "differs" : "differ")
                    + " from the run in " + file + ", which --resume continues with its own settings and data; leave"
                    + " " + (conflicts.size() == 1 ? "it" : "them") + " out, pass --override to change "
                    + (conflicts.size() == 1 ? "it" : "them") + " (recorded in metrics.jsonl), or give a larger --epochs"
                    + " to train longer");
        }
        config = builder.build();
        return changes;
    }

    /** Adds a change when {@code flag} was given with a value other than the checkpoint's, and applies it. */
    private <T> void setting(List<Change> changes, TrainConfig.Builder builder, String flag,
            Function<TrainConfig, T> savedValue, T given, BiConsumer<TrainConfig.Builder, T> apply) {
        if (!parsed.hasMatchedOption(flag) || given == null) {
            return;
        }
        T before = savedValue.apply(saved);
        if (!Objects.equals(before, given)) {
            changes.add(new Change(flag, String.valueOf(before), String.valueOf(given)));
            apply.accept(builder, given);
        }
    }
}
