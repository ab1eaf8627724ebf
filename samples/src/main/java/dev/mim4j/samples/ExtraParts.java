package dev.mim4j.samples;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import dev.mim4j.models.compile.Parts;
import dev.mim4j.training.preset.Presets;

/**
 * The {@code --parts JAR[:JAR...]} of the tool (separated by ';' on Windows): jars or class folders of one's own, loaded before the command
 * line is parsed, so that their part and preset providers are found by every command (a checkpoint holding their
 * parts is read, their presets are names for --recipe). Given before or after the command's name.
 */
final class ExtraParts {

    static final String FLAG = "--parts";

    /** What --parts loaded in this process, for the processes {@code launch} starts. */
    private static final List<Path> LOADED = new ArrayList<>();

    private ExtraParts() {
    }

    /**
     * Loads the jars and folders of every --parts in {@code args} and returns the other arguments.
     *
     * @throws IllegalArgumentException naming a path that is not a jar or a folder, or a --parts without a value
     */
    static String[] load(String[] args) throws IOException {
        List<String> rest = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value;
            if (args[i].equals("--")) { // what follows is positional, --parts included
                rest.addAll(List.of(args).subList(i, args.length));
                break;
            } else if (args[i].equals(FLAG)) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(FLAG + " needs jars or class folders, separated by '"
                            + File.pathSeparator + "'");
                }
                value = args[++i];
            } else if (args[i].startsWith(FLAG + "=")) {
                value = args[i].substring(FLAG.length() + 1);
            } else {
                rest.add(args[i]);
                continue;
            }
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    paths.add(checked(Path.of(entry)));
                }
            }
        }
        if (!paths.isEmpty()) {
            URL[] urls = new URL[paths.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = url(paths.get(i));
            }
            LOADED.addAll(paths);
            ClassLoader loader = new URLClassLoader(urls, ExtraParts.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            Parts.discover(loader);
            Presets.discover(loader);
        }
        return rest.toArray(String[]::new);
    }

    /** The jars and folders every --parts of this process loaded, in order. */
    static List<Path> loaded() {
        return List.copyOf(LOADED);
    }

    private static Path checked(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return path;
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(FLAG + " " + path + ": no such jar or folder");
        }
        try (ZipFile jar = new ZipFile(path.toFile())) {
            return path;
        } catch (ZipException e) {
            throw new IllegalArgumentException(FLAG + " " + path + " is not a jar (not a zip archive); give jars or"
                    + " folders of classes", e);
        }
    }

    private static URL url(Path path) {
        try {
            return path.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(FLAG + " " + path + ": " + e.getMessage(), e);
        }
    }
}
