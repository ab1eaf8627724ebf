package dev.mim4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features as values: checked when made, saved to safetensors and read back; raw pixels as features. */
class FeaturesTest {

    @Test
    void aSavedFileReadsBackTheSame(@TempDir Path dir) throws Exception {
        Natives.threads(1);
        Path path = dir.resolve("features.safetensors");
        try (Features features = new Features(Tensors.floats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2),
                new int[] {2, 0, -1}, Pooling.MEAN)) {
            features.save(path);
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.info("features").orElseThrow().dtype().code()).isEqualTo("F32");
            assertThat(file.info("labels").orElseThrow().dtype().code()).isEqualTo("I64");
            assertThat(file.metadata()).containsEntry("pooling", "mean");
        }
        try (Features loaded = Features.load(path)) {
            assertThat(Tensors.shape(loaded.values())).containsExactly(3, 2);
            assertThat(Tensors.toFloats(loaded.values())).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(loaded.labels()).containsExactly(2, 0, -1);
            assertThat(loaded.pooling()).isEqualTo(Pooling.MEAN);
            assertThat(loaded.classCount()).isEqualTo(3);
        }
    }

    @Test
    void pixelFeaturesKeepTheirKind(@TempDir Path dir) throws Exception {
        Natives.threads(1);
        Path path = dir.resolve("pixels.safetensors");
        new Features(Tensors.floats(new float[] {1, 2}, 1, 2), new int[] {0}, null).save(path);
        assertThat(Features.load(path).pooling()).isNull();
    }

    @Test
    void provenanceGoesIntoTheMetadataBesideThePooling(@TempDir Path dir) throws Exception {
        Natives.threads(1);
        Path path = dir.resolve("features.safetensors");
        try (Features features = new Features(Tensors.floats(new float[] {1, 2}, 1, 2), new int[] {0}, Pooling.CLS)) {
            features.save(path, Map.of("block", "4", "features", "checkpoint run/mae"));
            assertThatThrownBy(() -> features.save(dir.resolve("other.safetensors"), Map.of("pooling", "mean")))
                    .hasMessage("the provenance of saved features names 'pooling' (mean); that metadata key is the"
                            + " file's own, use another name");
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.metadata()).containsEntry("block", "4").containsEntry("features", "checkpoint run/mae")
                    .containsEntry("pooling", "cls");
        }
    }

    @Test
    void otherFilesAreNamed(@TempDir Path dir) throws Exception {
        Natives.threads(1);
        Path path = dir.resolve("weights.safetensors");
        SafetensorsExport.write(Map.of("w", Tensors.floats(new float[] {1}, 1)), path, Map.of());
        assertThatThrownBy(() -> Features.load(path))
                .hasMessage(path + ": no 'features' tensor; not a features file written by Features.save");
    }

    @Test
    void shapesAndLabelsAreChecked() {
        Natives.threads(1);
        assertThatThrownBy(() -> new Features(Tensors.floats(new float[] {1, 2}, 2), new int[] {0, 0}, null))
                .hasMessage("feature values have shape [2]; expected [images, width]");
        assertThatThrownBy(() -> new Features(Tensors.floats(new float[] {1, 2}, 2, 1), new int[] {0}, null))
                .hasMessage("features have 2 rows but 1 labels");
        assertThatThrownBy(() -> new Features(Tensors.floats(new float[] {1, 2}, 2, 1), new int[] {0, -2}, null))
                .hasMessage("label -2 of row 1 is negative; labels are classes from 0, or -1 for none");
        assertThatThrownBy(() -> new Features(Tensors.longs(new long[] {1, 2}, 2, 1), new int[] {0, 1}, null))
                .hasMessage("feature values are Long on the CPU; expected float32 on the CPU");
    }

    @Test
    void pixelFeaturesAreTheNormalisedPixelsOfEachImage() throws Exception {
        Natives.threads(1);
        SyntheticDataset dataset = SyntheticDataset.of(5, new ImageSize(3, 8, 8), 6);
        Normalize normalize = Normalize.IMAGENET;
        try (Features features = PixelFeatures.of(new ModuloLabels(dataset, 5), Transforms.eval(8, normalize))) {
            assertThat(Tensors.shape(features.values())).containsExactly(5, 3 * 8 * 8);
            assertThat(features.pooling()).isNull();
            float[] values = Tensors.toFloats(features.values());
            int[] labels = features.labels();
            for (int row = 0; row < 5; row++) {
                float[] expected = normalize.apply(dataset.read(labels[row]), null).pixels();
                for (int j = 0; j < expected.length; j++) {
                    assertThat(values[row * expected.length + j]).isEqualTo(expected[j]);
                }
            }
            assertThat(labels).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        }
    }

    @Test
    void aRangeIsPartOfADatasetInOrder() throws Exception {
        SyntheticDataset dataset = SyntheticDataset.of(10, new ImageSize(1, 4, 4), 7);
        DatasetRange last = DatasetRange.of(dataset, 8, 10);
        assertThat(last.size()).isEqualTo(2);
        assertThat(last.label(1)).isEqualTo(dataset.label(9));
        assertThat(last.read(0).pixels()).containsExactly(dataset.read(8).pixels());
        assertThat(last.describe()).isEqualTo("images [8, 10) of " + dataset.describe());
        assertThatThrownBy(() -> DatasetRange.of(dataset, 8, 11))
                .hasMessage("dataset range [8, 11) is not within the 10 images of " + dataset.describe());
        assertThatThrownBy(() -> last.read(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
