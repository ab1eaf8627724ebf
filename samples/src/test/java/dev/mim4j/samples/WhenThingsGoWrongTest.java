package dev.mim4j.samples;

import static dev.mim4j.samples.CommandRun.concat;
import static dev.mim4j.samples.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.models.weights.SafetensorsWriter;
import dev.mim4j.models.weights.TensorInfo;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.IdxDataset;
import dev.mim4j.training.data.Transforms;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's answers to mistakes and faults: one sentence, exit code 2, nothing lost. */
class WhenThingsGoWrongTest {

    @TempDir
    Path dir;

    private Path images;
    private Path labels;
    private Path spec;

    @BeforeEach
    void tinyDataAndSpec() throws IOException {
        images = dir.resolve("images-idx3-ubyte");
        labels = dir.resolve("labels-idx1-ubyte");
        StripeImages.write(images, labels);
        spec = dir.resolve("tiny.json");
        Files.writeString(spec, SpecJson.toJson(tinyMae(8, 1)));
    }

    private static MimRecipe tinyMae(int size, int channels) {
        ViT vit = ViT.builder().image(size, size, channels).patchSize(2).width(16).depth(1).heads(2).build();
        return MimRecipe.mae(vit).toBuilder().decoder(Decoder.transformer(16, 1, 2)).build();
    }

    /** The checkpoint of one epoch of the stripes (step 5), in the folder "run". */
    private Path oneEpochCheckpoint() {
        Path run = dir.resolve("run");
        assertThat(pretrain(run, "--epochs", "1").code()).isZero();
        return run.resolve("checkpoint-00000005.safetensors");
    }

    /** A folder of 16 PNGs of 8x8 gray pixels, each with one white pixel of its own: a tiny spec's data. */
    private static Path sixteenGrayImages(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < 16; i++) {
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setSample(i % 8, i / 8, 0, 255);
            ImageIO.write(image, "png", folder.resolve("image-" + i + ".png").toFile());
        }
        return folder;
    }

    /** A pre-training of the stripes, 5 steps an epoch, into {@code run}, with more arguments. */
    private CommandRun pretrain(Path run, String... more) {
        List<String> args = new ArrayList<>(List.of("pretrain", "--recipe", "mae", "--spec", spec.toString(), "--data",
                images.toString(), "--labels", labels.toString(), "--batch", "8",
                "--pictures-every", "0", "--output", run.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private CommandRun resume(Path run, String... more) {
        List<String> args = new ArrayList<>(List.of("pretrain", "--resume", run.toString(), "--data",
                images.toString(), "--labels", labels.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void aSpecOfAnotherImageSizeCropsAFolderToItsOwnSize() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("folder"));
        for (int i = 0; i < 16; i++) {
            BufferedImage image = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
            image.setRGB(i, i, 0xFFFFFF);
            ImageIO.write(image, "png", folder.resolve("image-" + i + ".png").toFile());
        }
        Files.writeString(spec, SpecJson.toJson(tinyMae(32, 3)));

        CommandRun trained = run("pretrain", "--recipe", "mae", "--spec", spec.toString(), "--data",
                folder.toString(), "--batch", "8", "--epochs", "1", "--pictures-every", "0", "--output", dir.resolve("run").toString());
        CommandRun conflicting = run("pretrain", "--recipe", "mae", "--spec", spec.toString(), "--data",
                folder.toString(), "--image-size", "64", "--output", dir.resolve("other").toString());

        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("done: 2 steps");
        CommandRun tooLarge = run("pretrain", "--recipe", "mae", "--spec", spec.toString(), "--data",
                folder.toString(), "--batch", "8", "--max-image-pixels", "1000", "--bad-images", "fail", "--output", dir.resolve("limited").toString());
        assertThat(tooLarge.code()).isEqualTo(2);
        assertThat(tooLarge.err()).contains("cannot read image " + folder, ": its header gives 40 x 36 = 1,440 pixels, more than the limit of 1,000");
        assertThat(conflicting.code()).isEqualTo(2);
        assertThat(conflicting.err().strip()).isEqualTo("mim4j pretrain: --image-size 64 does not fit the model, which"
                + " takes 32x32x3 images (--spec); leave --image-size out");
    }

    @Test
    void aResumeOfAFolderRunNeedsNoDataFlagsUnlessTheImagesMoved() throws IOException {
        Path folder = sixteenGrayImages(dir.resolve("folder"));
        Path run = dir.resolve("run");
        CommandRun trained = run("pretrain", "--recipe", "mae", "--spec", spec.toString(), "--data", folder.toString(),
                "--channels", "1", "--batch", "8", "--epochs", "1", "--pictures-every", "0", "--output", run.toString());

        CommandRun resumed = run("pretrain", "--resume", run.toString(), "--epochs", "2");
        Files.move(folder, dir.resolve("moved"));
        CommandRun moved = run("pretrain", "--resume", run.toString(), "--epochs", "3");
        CommandRun pointed = run("pretrain", "--resume", run.toString(), "--epochs", "3", "--data",
                dir.resolve("moved").toString(), "--override");

        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("done: 4 steps");
        assertThat(moved.code()).isEqualTo(2);
        assertThat(moved.err().strip()).isEqualTo("mim4j pretrain: the run in " + run.resolve(
                "checkpoint-00000004.safetensors") + " was trained on " + folder.toAbsolutePath() + ", which is not"
                + " there now; give --data where those images are now");
        assertThat(pointed.code()).as(pointed.err()).isZero();
        assertThat(pointed.out()).contains("done: 6 steps");
    }

    @Test
    void aResumeOnOtherDataTakesNoneOfTheRecordedDataFlagsThatSayWhatTheDataIs() throws IOException {
        Path run = dir.resolve("run");
        assertThat(pretrain(run, "--epochs", "1").code()).isZero();
        Path folder = sixteenGrayImages(dir.resolve("folder"));

        CommandRun onAFolder = run("pretrain", "--resume", run.toString(), "--epochs", "2", "--data", folder.toString(),
                "--override");

        assertThat(onAFolder.code()).as(onAFolder.err()).isZero();
        assertThat(onAFolder.out()).contains("done: 7 steps");
    }

    @Test
    void moreUnreadableImagesThanMaxBadImagesStopTheRunWithTheCount() throws IOException {
        Path folder = sixteenGrayImages(dir.resolve("folder"));
        Files.write(folder.resolve("image-3.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
        String[] common = {"pretrain", "--recipe", "mae", "--spec", spec.toString(), "--data", folder.toString(),
            "--channels", "1", "--batch", "8", "--epochs", "1", "--pictures-every", "0"};

        CommandRun stopped = run(concat(common, new String[] {"--output", dir.resolve("stopped").toString()}));
        CommandRun allowed = run(concat(common, new String[] {"--max-bad-images", "10%", "--output",
            dir.resolve("allowed").toString()}));
        CommandRun refused = run(concat(common, new String[] {"--max-bad-images", "150%"}));

        assertThat(stopped.code()).isEqualTo(2);
        assertThat(stopped.err().strip()).startsWith("mim4j pretrain: 1 of the epoch's 16 images could not be read,"
                + " more than the 1% allowed (image folder 16 images unlabelled from " + folder.toAbsolutePath())
                .contains("; the last: cannot read image " + folder.resolve("image-3.png"))
                .endsWith("; repair the data, or allow a larger share of bad images (--max-bad-images)");
        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("done: 1 steps");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("mim4j pretrain: --max-bad-images '150%' is not a percentage from 0%"
                + " to 100% (1% lets one image in a hundred of an epoch be unreadable)");
    }

    @Test
    void aWholeRecipeSpecIsTrainedWithTheSettingsOfAPresetNamedOnTheCommandLine() {
        Path run = dir.resolve("run");
        CommandRun noPreset = run("pretrain", "--spec", spec.toString(), "--data", images.toString(), "--output",
                run.toString());
        CommandRun unknown = run("pretrain", "--recipe", "beit", "--data", images.toString(), "--output",
                run.toString());

        assertThat(noPreset.code()).isEqualTo(2);
        assertThat(noPreset.err()).contains("holds a whole recipe; say which preset's optimiser settings and"
                + " augmentation it trains with: --recipe mae|maskfeat|simmim");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--recipe beit: no preset is called 'beit'; the presets are mae,"
                + " maskfeat, simmim");
    }

    @Test
    void aCheckpointThatRecordsNoPresetIsResumedWithThePresetNamedOnTheCommandLine() throws IOException {
        Path run = dir.resolve("run");
        IdxDataset stripes = IdxDataset.open(images, labels);
        Normalize normalization = new Normalize(new float[] {0.5f}, new float[] {0.25f});
        TrainingData data = new TrainingData(stripes, Transforms.maePretrain(8, normalization),
                Transforms.eval(8, normalization), normalization, BadImagePolicy.FAIL);
        Pretrainer.start(tinyMae(8, 1), TrainConfig.mae(1, 8).toBuilder().picturesEveryEpochs(0).build(), data, run)
                .run();

        CommandRun unnamed = resume(run, "--epochs", "2");
        CommandRun named = resume(run, "--epochs", "2", "--recipe", "mae");

        assertThat(unnamed.code()).isEqualTo(2);
        assertThat(unnamed.err()).contains("records no preset (it was written before mim4j recorded them, or by a"
                + " program that named none); say which preset's augmentation the resumed run takes: --recipe");
        assertThat(named.code()).as(named.err()).isZero();
        assertThat(Checkpoints.readPresetName(run)).contains("mae");
    }

    @Test
    void anOutputNeverReplacesACheckpointAFolderOrAnExistingFileWithoutForce() throws IOException {
        Path run = dir.resolve("run");
        assertThat(pretrain(run, "--epochs", "1").code()).isZero();
        Path checkpoint = Checkpoints.latest(run).orElseThrow();
        long size = Files.size(checkpoint);
        Path existing = Files.writeString(dir.resolve("notes.png"), "mine");
        String[] data = {"--data", images.toString(), "--labels", labels.toString()};

        CommandRun overCheckpoint = run(CommandRun.concat(new String[] {"features", "--checkpoint", run.toString(),
            "--output", checkpoint.toString(), "--force"}, data));
        CommandRun overFolder = run(CommandRun.concat(new String[] {"features", "--pixels", "--output",
            dir.toString()}, data));
        CommandRun overFile = run(CommandRun.concat(new String[] {"reconstruct", "--checkpoint", run.toString(),
            "--output", existing.toString()}, data));
        CommandRun forced = run(CommandRun.concat(new String[] {"reconstruct", "--checkpoint", run.toString(),
            "--output", existing.toString(), "--force"}, data));
        CommandRun newCheckpoint = run(CommandRun.concat(new String[] {"features", "--checkpoint", run.toString(),
            "--output", run.resolve("checkpoint-99999999.safetensors").toString()}, data));
        CommandRun overLabels = run("features", "--pixels", "--data", images.toString(), "--labels",
                labels.toString(), "--output", labels.toString(), "--force");
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), existing);
        CommandRun overLink = run(CommandRun.concat(new String[] {"reconstruct", "--checkpoint", run.toString(),
            "--output", link.toString(), "--force"}, data));

        assertThat(overCheckpoint.code()).isEqualTo(2);
        assertThat(overCheckpoint.err()).contains("--output " + checkpoint + " would be a checkpoint of the run "
                + run + ", which this command reads; give another path");
        assertThat(Files.size(checkpoint)).isEqualTo(size);
        assertThat(newCheckpoint.err()).contains("would be a checkpoint of the run " + run);
        assertThat(overLabels.err()).contains("--output " + labels + " is " + labels + ", which this command reads");
        assertThat(overFolder.code()).isEqualTo(2);
        assertThat(overFolder.err()).contains("--output " + dir + " is a folder");
        assertThat(overFile.code()).isEqualTo(2);
        assertThat(overFile.err()).contains("--output " + existing + " exists already; give a new path, or --force"
                + " to replace it");
        assertThat(overLink.code()).isEqualTo(2);
        assertThat(overLink.err()).contains("--output " + link + " exists and is not a regular file");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(ImageIO.read(existing.toFile())).isNotNull();
    }

    @Test
    void aRateNoOptimiserCanHoldAndAHeapTooSmallAreEachOneSentence() throws Exception {
        CommandRun huge = run("pretrain", "--lr", "1e300", "--output", dir.resolve("run").toString());
        CommandRun small = CommandRun.inNewJvm(List.of("-Xmx32m"), "pretrain", "--epochs", "1", "--output",
                dir.resolve("small").toString());

        assertThat(huge.code()).isEqualTo(2);
        assertThat(huge.err().strip()).isEqualTo("mim4j pretrain: base learning rate 1.0E300 gives a peak rate of"
                + " 1.0E300 for 256 images a step, more than the optimiser's float holds (3.4e38); give a rate such"
                + " as 1.5e-4 per 256 images");
        assertThat(small.code()).as(small.out()).isEqualTo(2);
        assertThat(small.out()).contains("mim4j: the Java heap ran out (").contains("give the JVM more memory")
                .doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    @Test
    void aFinishedRunSaysSoAndALargerEpochsExtendsIt() throws IOException {
        Path run = dir.resolve("run");
        assertThat(pretrain(run, "--epochs", "1").code()).isZero();

        CommandRun again = resume(run);
        CommandRun longer = resume(run, "--epochs", "3");

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out().strip()).isEqualTo(run.resolve("checkpoint-00000005.safetensors") + ": the run has"
                + " finished its 1 epochs (step 5); resume with --epochs larger than 1 to train longer");
        assertThat(longer.code()).as(longer.err()).isZero();
        assertThat(longer.out()).contains("done: 15 steps");
        assertThat(stepLines(run)).as("each step once").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L,
                12L, 13L, 14L, 15L);
        assertThat(Files.readString(run.resolve("metrics.jsonl")))
                .contains("{\"event\":\"override\",\"step\":5,\"setting\":\"--epochs\",\"from\":\"1\",\"to\":\"3\"}");
    }

    @Test
    void aDamagedCheckpointIsRefusedByItsReadersAndPassedOverByAResume() throws IOException {
        Path run = dir.resolve("run");
        assertThat(pretrain(run, "--epochs", "1", "--checkpoint-every", "2").code()).isZero();
        Path newest = run.resolve("checkpoint-00000005.safetensors");
        byte[] bytes = Files.readAllBytes(newest);
        Arrays.fill(bytes, bytes.length / 2, bytes.length / 2 + 64, (byte) 0x7f);
        Files.write(newest, bytes);

        CommandRun knn = run("knn", "--checkpoint", newest.toString(), "--train-data", images.toString(),
                "--train-labels", labels.toString());
        CommandRun resumed = resume(run, "--epochs", "2");

        assertThat(knn.code()).isEqualTo(2);
        assertThat(knn.err().strip()).startsWith("mim4j knn: " + newest + ": tensor '")
                .contains("does not match the checksum written with it")
                .contains("the file is damaged (changed after it was written, or a disk error");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("done: 10 steps");
        assertThat(run.resolve("checkpoint-00000005.safetensors.damaged")).hasBinaryContent(bytes);
    }

    @Test
    void aResumeWithOtherSettingsIsRefusedUnlessOverridden() throws IOException {
        Path run = dir.resolve("run");
        assertThat(pretrain(run, "--epochs", "2", "--checkpoint-every", "3").code()).isZero();
        Files.delete(run.resolve("checkpoint-00000010.safetensors"));
        Path otherImages = dir.resolve("other-images-idx3-ubyte");
        StripeImages.write(otherImages, dir.resolve("other-labels-idx1-ubyte"));

        CommandRun refused = resume(run, "--batch", "4", "--lr", "0.001");
        CommandRun otherData = run("pretrain", "--resume", run.toString(), "--data", otherImages.toString());
        CommandRun otherModel = resume(run, "--model", "Ti/2", "--override");
        CommandRun overridden = resume(run, "--batch", "4", "--override");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("mim4j pretrain: --batch 4 (the checkpoint's: 8), --lr 0.001 (the"
                + " checkpoint's: 1.5E-4): differ from the run in " + run.resolve("checkpoint-00000009.safetensors")
                + ", which --resume continues with its own settings and data; leave them out, pass --override to"
                + " change them (recorded in metrics.jsonl), or give a larger --epochs to train longer");
        assertThat(otherData.code()).isEqualTo(2);
        assertThat(otherData.err()).contains("--data IDX 40 images 8x8x1 from other-images-idx3-ubyte (the checkpoint's:"
                + " IDX 40 images 8x8x1 from images-idx3-ubyte");
        assertThat(otherModel.code()).isEqualTo(2);
        assertThat(otherModel.err()).contains("a resumed run keeps its model, whose weights the checkpoint holds (even"
                + " with --override)");
        assertThat(overridden.code()).as(overridden.err()).isZero();
        assertThat(Files.readString(run.resolve("metrics.jsonl")))
                .contains("{\"event\":\"override\",\"step\":9,\"setting\":\"--batch\",\"from\":\"8\",\"to\":\"4\"}");
    }

    @Test
    void mistakesInFilesAreOneSentence() throws IOException {
        Path outputFile = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path pth = Files.write(dir.resolve("weights.pth"), new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0});
        Path emptyIdx = Files.write(dir.resolve("empty-idx3-ubyte"), new byte[0]);

        CommandRun missingSpec = run("pretrain", "--spec", dir.resolve("missing.json").toString());
        CommandRun outputIsAFile = pretrain(outputFile, "--epochs", "1");
        CommandRun pthCheckpoint = run("knn", "--checkpoint", pth.toString(), "--train-data", images.toString(),
                "--train-labels", labels.toString(), "--split", "0.5");
        CommandRun empty = run("pretrain", "--data", emptyIdx.toString());

        assertThat(List.of(missingSpec, outputIsAFile, pthCheckpoint, empty)).allMatch(r -> r.code() == 2);
        assertThat(missingSpec.err().strip()).isEqualTo("mim4j pretrain: --spec " + dir.resolve("missing.json")
                + ": no such file; give a JSON file written by SpecJson (a MimRecipe or a backbone)");
        assertThat(outputIsAFile.err().strip()).isEqualTo("mim4j pretrain: the output folder " + outputFile + " is a"
                + " file; give a folder (it is created when missing) (--output)");
        assertThat(pthCheckpoint.err().strip()).startsWith("mim4j knn: " + pth + ": is a file written by torch.save"
                + " (a .pth: a zip archive or a pickle), not safetensors");
        assertThat(empty.err().strip()).isEqualTo("mim4j pretrain: " + emptyIdx + ": the IDX images file is empty"
                + " (0 bytes); a download or a copy was cut short");
    }

    @Test
    void refusalsSayWhatIsWrongAndFlagsThatWouldBeIgnoredAreRefused() throws IOException {
        Path checkpoint = oneEpochCheckpoint();
        Path fineTuning = dir.resolve("fine-tuning.safetensors");
        new SafetensorsWriter().metadata("mim4j.finetune.spec", "{}").add("model.head.weight", new float[4], 2, 2)
                .write(fineTuning);
        Path folder = Files.createDirectories(dir.resolve("folder/a"));
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", folder.resolve("0.png").toFile());
        Path huge = Files.writeString(dir.resolve("huge.json"), SpecJson.toJson(tinyMae(8, 1))
                .replace("\"height\": 8", "\"height\": 1048576").replace("\"width\": 8", "\"width\": 1048576"));
        String[] split = {"--train-data", images.toString(), "--train-labels", labels.toString(), "--split", "0.5"};

        CommandRun plotCheckpoint = run("plot", checkpoint.toString());
        CommandRun knnFineTuning = run(concat(new String[] {"knn", "--checkpoint", fineTuning.toString()}, split));
        CommandRun knnDevice = run(concat(new String[] {"knn", "--checkpoint", "/dev/zero"}, split));
        CommandRun idxFolder = run("pretrain", "--data", dir.resolve("folder").toString(), "--format", "idx");
        CommandRun folderLabels = run("pretrain", "--data", dir.resolve("folder").toString(), "--labels",
                labels.toString());
        CommandRun imageSize = run(concat(new String[] {"knn", "--checkpoint", checkpoint.toString(), "--image-size",
            "64"}, split));
        CommandRun threads = run(concat(new String[] {"knn", "--checkpoint", checkpoint.toString(), "--threads",
            "1000"}, split));
        CommandRun hugeImages = run("pretrain", "--recipe", "mae", "--spec", huge.toString());

        assertThat(List.of(plotCheckpoint, knnFineTuning, knnDevice, idxFolder, folderLabels, imageSize, threads,
                hugeImages)).allMatch(r -> r.code() == 2);
        assertThat(plotCheckpoint.err().strip()).isEqualTo("mim4j plot: " + checkpoint + ": not a metrics file: it is"
                + " not UTF-8 text (a run's metrics.jsonl holds one JSON object a line)");
        assertThat(knnFineTuning.err().strip()).isEqualTo("mim4j knn: " + fineTuning + ": a fine-tuning checkpoint,"
                + " not a pre-training one; give the checkpoint (or run folder) of the pre-training run");
        assertThat(knnDevice.err().strip()).isEqualTo("mim4j knn: /dev/zero: not a regular file (a device, a FIFO or a"
                + " socket); a checkpoint is a .safetensors file, or a run folder for its newest");
        assertThat(idxFolder.err().strip()).isEqualTo("mim4j pretrain: --data " + dir.resolve("folder") + " is a"
                + " folder, but --format idx reads an IDX images file; --format folder (or auto) reads a folder of"
                + " images");
        assertThat(folderLabels.err().strip()).isEqualTo("mim4j pretrain: --labels " + labels + " goes with IDX"
                + " images, but --data " + dir.resolve("folder") + " is read as folder data, which holds its own"
                + " labels (a folder's are its class sub-folders); leave it out");
        assertThat(imageSize.err().strip()).isEqualTo("mim4j knn: --image-size 64 does not fit the encoder, which"
                + " takes 8x8 images (--checkpoint); leave --image-size out: images are resized to the encoder's size");
        assertThat(threads.err().strip()).isEqualTo("mim4j knn: --threads 1000 must be from 1 to the "
                + Runtime.getRuntime().availableProcessors() + " cores this machine gives the JVM; more threads than"
                + " cores slow every step down");
        assertThat(hugeImages.err().strip()).startsWith("mim4j pretrain: --spec " + huge).contains("an image of 1048576"
                + " x 1048576 pixels with 1 channels holds 1,099,511,627,776 values, more than the 2,147,483,639 a"
                + " Java array of them can hold");
    }

    @Test
    void plotDrawsOverAnEarlierPlotOnlyWithForceAndNeverThroughALink() throws IOException {
        Path run = dir.resolve("run");
        assertThat(pretrain(run, "--epochs", "1").code()).isZero();

        CommandRun first = run("plot", run.toString());
        CommandRun again = run("plot", run.toString());
        CommandRun forced = run("plot", run.toString(), "--force");
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.txt"), "not a picture");
        Files.delete(run.resolve("loss.png"));
        Files.createSymbolicLink(run.resolve("loss.png"), elsewhere);
        CommandRun throughALink = run("plot", run.toString(), "--force");

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("mim4j plot: " + run.toAbsolutePath().resolve("loss.png")
                + " exists already (from an earlier plot); --force draws it again");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(throughALink.code()).isEqualTo(2);
        assertThat(throughALink.err()).contains("loss.png exists and is not a regular file (a device, a FIFO or a"
                + " link); give a new path");
        assertThat(elsewhere).hasContent("not a picture");
    }

    @Test
    void aCheckpointWithNonFiniteWeightsIsRefusedByTheEvaluations() throws IOException {
        Path checkpoint = oneEpochCheckpoint();
        Path diverged = dir.resolve("diverged.safetensors");
        poisonFirstWeight(checkpoint, diverged);

        List<String> split = List.of("--train-data", images.toString(), "--train-labels", labels.toString(), "--split",
                "0.5");
        List<String> data = List.of("--data", images.toString(), "--labels", labels.toString(), "--output",
                dir.resolve("features.safetensors").toString());
        for (String command : List.of("knn", "linprobe", "features")) {
            List<String> args = new ArrayList<>(List.of(command, "--checkpoint", diverged.toString()));
            args.addAll(command.equals("features") ? data : split);
            CommandRun refused = run(args.toArray(String[]::new));
            assertThat(refused.code()).as(command).isEqualTo(2);
            assertThat(refused.err()).as(command).contains(diverged + ": 1 tensor holds NaN or infinite values (",
                    "the weights were saved after training diverged; use an earlier checkpoint");
        }
    }

    /** A copy of {@code checkpoint} whose first model tensor is all NaN, as after a divergence. */
    private static void poisonFirstWeight(Path checkpoint, Path copy) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile file = SafetensorsFile.open(checkpoint)) {
            file.metadata().forEach(writer::metadata);
            boolean poisoned = false;
            for (TensorInfo tensor : file.tensors()) {
                if (tensor.dtype().name().startsWith("I")) {
                    writer.add(tensor.name(), file.readLongs(tensor.name()), tensor.shape());
                    continue;
                }
                float[] values = file.readFloats(tensor.name());
                if (!poisoned && tensor.name().startsWith("model.")) {
                    Arrays.fill(values, Float.NaN);
                    poisoned = true;
                }
                writer.add(tensor.name(), values, tensor.shape());
            }
        }
        writer.write(copy);
    }

    private static List<Long> stepLines(Path run) throws IOException {
        try (Stream<String> lines = Files.lines(run.resolve("metrics.jsonl"))) {
            return lines.filter(l -> l.contains("\"event\": \"step\""))
                    .map(l -> Long.parseLong(l.replaceAll(".*\"step\": (\\d+),.*", "$1"))).toList();
        }
    }
}
