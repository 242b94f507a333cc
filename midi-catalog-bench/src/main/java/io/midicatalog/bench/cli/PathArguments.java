package io.midicatalog.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Checks on the PATH arguments of the commands that walk folders, made before any work starts. */
final class PathArguments {
    private PathArguments() {}

    /**
     * What is wrong with the first bad path, or null when every one exists. An empty argument
     * (an unset shell variable) would be the current folder: refused rather than walked.
     */
    static @Nullable String problem(List<Path> paths) {
        for (Path path : paths) {
            if (path.toString().isBlank()) {
                return "empty PATH argument (an unset variable?): give a folder or file";
            }
            if (!Files.exists(path)) {
                return "no such file or folder: " + path;
            }
        }
        return null;
    }
}
