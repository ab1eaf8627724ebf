package dev.mim4j.models;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file through a temporary file beside it and a rename, atomic where the file system allows: a reader
 * sees the old file or the new one, never half of one, and a failed write leaves the old file as it was and no
 * temporary file. The temporary file ({@code .name.1f2e3d.tmp}: hidden, out of {@code *.png} and
 * {@code *.safetensors} globs) is created with the permissions any new file gets, which the renamed file keeps;
 * {@code Files.createTempFile}'s owner-only ones would carry over.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** What fills the temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    /**
     * Writes {@code target} with {@code content}, creating its folder when missing.
     *
     * @throws IOException whatever the content or the rename threw; {@code target} is then left as it was
     */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            content.writeTo(temporary);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /**
     * Why {@code failure} happened, in words: the file systems' exceptions often carry only a path as their
     * message ("/proc/self/x"), which says nothing of what went wrong.
     */
    public static String reason(IOException failure) {
        if (failure instanceof FileSystemException fs) {
            String why = fs.getReason() != null ? fs.getReason()
                    : fs instanceof AccessDeniedException ? "permission denied"
                    : fs instanceof NoSuchFileException ? "no such file or folder"
                    : fs instanceof FileAlreadyExistsException ? "a file exists there already"
                    : fs instanceof NotDirectoryException ? "not a folder"
                    : fs instanceof DirectoryNotEmptyException ? "a folder that is not empty"
                    : fs.getClass().getSimpleName();
            return fs.getFile() == null ? why : why + ": " + fs.getFile();
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    }
}
