package dev.mim4j.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.mim4j.dsl.Mim4jException;

/**
 * An exclusive lock on a run's output folder ({@code .mim4j.lock}), held while the run goes on, so
 * that a second run on the same folder is refused instead of overwriting the first one's checkpoints
 * and interleaving its metrics. The operating system releases the lock when the process ends, so a
 * lock left by a killed run never blocks; the file keeps the holder's pid for the refusal's sentence.
 */
final class OutputLock implements AutoCloseable {

    static final String FILE = ".mim4j.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code folder}, creating both if needed.
     *
     * @throws IllegalArgumentException naming the folder and the other run's pid, when another run
     *     holds it
     */
    static OutputLock take(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process, by another run
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new Mim4jException(Mim4jException.OUTPUT, folder + " is the output folder of a run that is still"
                    + " going (pid " + holder + "): wait for it to end, or choose another output folder");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)),
                0);
        channel.force(false);
        return new OutputLock(channel, lock);
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        int read = channel.read(buffer, 0);
        String pid = read <= 0 ? "" : new String(buffer.array(), 0, read, StandardCharsets.UTF_8).strip();
        return pid.isEmpty() ? "unknown" : pid;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
