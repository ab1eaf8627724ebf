package dev.mim4j.models.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that {@link SafetensorsWriter} validates its input and replaces files atomically. */
class SafetensorsWriterTest {

    @TempDir
    Path dir;

    private Path target;
    private byte[] previous;

    @BeforeEach
    void writePreviousVersion() throws IOException {
        target = dir.resolve("model.safetensors");
        new SafetensorsWriter().add("old", new float[] {1f, 2f}, 2).write(target);
        previous = Files.readAllBytes(target);
    }

    @Test
    void aFailingSourceLeavesThePreviousFileAndNoTemporaryFile() {
        SafetensorsWriter writer = new SafetensorsWriter()
                .add("a", new float[] {1f}, 1)
                .add("b", DType.F32, new long[] {1024}, out -> {
                    out.write(ByteBuffer.allocate(100));
                    throw new IOException("disk on fire");
                });
        assertThatThrownBy(() -> writer.write(target)).isInstanceOf(IOException.class).hasMessage(target.toAbsolutePath()
                + ": could not be written (disk on fire); a file already there under this name is left as it was");
        assertUntouched();
    }

    @Test
    void aTargetThatCannotBeWrittenSaysWhy() throws IOException {
        Path aFile = Files.writeString(dir.resolve("a-file"), "in the way");
        Path under = aFile.resolve("model.safetensors");

        assertThatThrownBy(() -> new SafetensorsWriter().add("a", new float[] {1f}, 1).write(under))
                .isInstanceOf(IOException.class).hasMessage(under + ": could not be written (a file exists there"
                        + " already: " + aFile + "); a file already there under this name is left as it was");
    }

    @Test
    void aSourceThrowingAnUncheckedExceptionAlsoLeavesThePreviousFile() {
        SafetensorsWriter writer = new SafetensorsWriter().add("a", DType.U8, new long[] {4}, out -> {
            throw new UncheckedIOException(new IOException("gone"));
        });
        assertThatThrownBy(() -> writer.write(target)).isInstanceOf(UncheckedIOException.class);
        assertUntouched();
    }

    @Test
    void aSourceWritingTooFewBytesIsNamed() {
        SafetensorsWriter writer = new SafetensorsWriter()
                .add("short", DType.F32, new long[] {2, 3}, out -> out.write(ByteBuffer.allocate(20)));
        assertThatThrownBy(() -> writer.write(target))
                .isInstanceOf(IOException.class)
                .hasMessage(target + ": tensor 'short' (F32 [2, 3]) declares 24 bytes, but its source wrote 20");
        assertUntouched();
    }

    @Test
    void aSourceWritingTooManyBytesIsNamed() {
        SafetensorsWriter writer = new SafetensorsWriter()
                .add("long", DType.BF16, new long[] {2}, out -> out.write(ByteBuffer.allocate(6)));
        assertThatThrownBy(() -> writer.write(target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("tensor 'long' (BF16 [2]) declares 4 bytes, but its source wrote 6");
        assertUntouched();
    }

    @Test
    void aSuccessfulWriteReplacesTheFile() throws IOException {
        new SafetensorsWriter().add("new", new long[] {7}).write(target);
        try (SafetensorsFile file = SafetensorsFile.open(target)) {
            assertThat(file.names()).containsExactly("new");
        }
        assertThat(listing()).containsExactly(target);
    }

    @Test
    void aSourceMayCloseItsChannelWithoutClosingTheFile() throws IOException {
        new SafetensorsWriter()
                .add("a", DType.U8, new long[] {1}, out -> {
                    out.write(ByteBuffer.wrap(new byte[] {5}));
                    out.close();
                })
                .add("b", DType.U8, new long[] {1}, out -> out.write(ByteBuffer.wrap(new byte[] {6})))
                .write(target);
        try (SafetensorsFile file = SafetensorsFile.open(target)) {
            assertThat(file.readLongs("a")).containsExactly(5);
            assertThat(file.readLongs("b")).containsExactly(6);
        }
    }

    @Test
    void theWrittenFileGetsDefaultPermissionsNotThoseOfATemporaryFile() throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(expected);
    }

    @Test
    void invalidTensorsAreRefusedWhenAdded() {
        SafetensorsWriter writer = new SafetensorsWriter().add("x", new float[] {1f});
        assertThatThrownBy(() -> writer.add("x", new float[] {2f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tensor 'x' was already added");
        assertThatThrownBy(() -> writer.add("__metadata__", new float[] {2f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> writer.add("neg", DType.F32, new long[] {2, -1}, out -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'neg': dimension 1 of shape [2, -1] is negative");
        assertThatThrownBy(() -> writer.add("w", new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'w': shape [2, 3] has 6 elements, but the array has 5");
        assertThatThrownBy(() -> writer.add("ids", new long[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'ids': shape [] has 1 elements, but the array has 5");
    }

    @Test
    void aReadTensorCanBeCopiedIntoAnotherFile() throws IOException {
        Path copy = dir.resolve("copy.safetensors");
        try (SafetensorsFile file = SafetensorsFile.open(target)) {
            TensorInfo old = file.info("old").orElseThrow();
            ByteBuffer data = file.data("old");
            new SafetensorsWriter().add("renamed", old.dtype(), old.shape(), TensorSource.of(data)).write(copy);
            assertThat(data.position()).isZero();
        }
        try (SafetensorsFile file = SafetensorsFile.open(copy)) {
            assertThat(file.readFloats("renamed")).containsExactly(1f, 2f);
        }
    }

    private void assertUntouched() {
        try {
            assertThat(Files.readAllBytes(target)).isEqualTo(previous);
            assertThat(listing()).containsExactly(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
