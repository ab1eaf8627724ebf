package dev.mim4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * The rule of a file a command writes on request (--output): a new path, or with --force an existing regular
 * file; never a folder, a device, a FIFO or a link, and never a file the command reads. The writers write through
 * a temporary file and a rename, so a failed write leaves the old file whole.
 */
final class OutputFileOptions {

    @Option(names = "--force", description = "Replace an existing --output file (never a folder, a device, a"
            + " link, or a file the command reads).")
    boolean force;

    /**
     * Refuses {@code output} unless it can be written under the rule.
     *
     * @param inputs the files (or run folders) the command reads, which the output must not be (nor a
     *     safetensors file in such a folder); null entries are skipped
     * @throws IllegalArgumentException naming the path and what would be accepted
     */
    void check(Path output, Path... inputs) throws IOException {
        check("--output " + output, output, force, inputs);
    }

    /**
     * As {@link #check(Path, Path...)}, for a file a command writes under a name of its own ({@code loss.png}),
     * which {@code label} names in the refusals.
     */
    static void check(String label, Path output, boolean force, Path... inputs) throws IOException {
        if (Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(label + " is a folder; give the path of a file to write");
        }
        for (Path input : inputs) {
            if (input != null && Files.isDirectory(input) && inRunFolder(output, input)) {
                throw new IllegalArgumentException(label + " would be a checkpoint of the run "
                        + input + ", which this command reads; give another path");
            }
        }
        if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(label + " exists and is not a regular file (a device,"
                    + " a FIFO or a link); give a new path");
        }
        for (Path input : inputs) {
            if (input != null && Files.isRegularFile(input) && Files.isSameFile(output, input)) {
                throw new IllegalArgumentException(label + " is " + input + ", which this command"
                        + " reads; give another path");
            }
        }
        if (!force) {
            throw new IllegalArgumentException(label + " exists already; give a new path, or --force to replace it");
        }
    }

    /** Whether {@code output} is a safetensors file (a checkpoint, or one posing as one) in the run folder. */
    private static boolean inRunFolder(Path output, Path runFolder) throws IOException {
        Path folder = output.toAbsolutePath().getParent();
        return folder != null && Files.isDirectory(folder) && Files.isSameFile(folder, runFolder)
                && output.getFileName().toString().endsWith(".safetensors");
    }
}
