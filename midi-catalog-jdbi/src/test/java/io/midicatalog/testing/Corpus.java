package io.midicatalog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared corpus of real MIDI files ({@code ../shared/corpus} beside the checkout, or the
 * directory in env {@code MIDI_CATALOG_CORPUS}). Tests that need it are skipped, with a message
 * saying where it was looked for, when it is absent. Files are read in place, never copied.
 */
public final class Corpus {
    public static final String ENV = "MIDI_CATALOG_CORPUS";

    private Corpus() {}

    /** The corpus root, or skips the calling test. */
    public static Path root() {
        Path found = find();
        Assumptions.assumeTrue(found != null, "MIDI corpus not found at ../shared/corpus from any parent of "
                + Path.of(System.getProperty("user.dir")).toAbsolutePath() + " nor in env " + ENV);
        return found;
    }

    /** The corpus root, or null when it is absent (for code that must not skip, such as jqwik providers). */
    public static Path find() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Path dir = Path.of(env);
            return Files.isDirectory(dir) ? dir : null;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/corpus").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A folder of the corpus such as {@code groove-midi-dataset}, or skips. */
    public static Path folder(String name) {
        Path dir = root().resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "corpus folder not found: " + dir);
        return dir;
    }

    /** Every regular file under {@code dir}, sorted. */
    public static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files under {@code dir} that claim to be MIDI by name (.mid .midi .kar .rmi .midi2, any case). */
    public static List<Path> midiFiles(Path dir) {
        return files(dir).stream().filter(Corpus::isMidiName).toList();
    }

    public static boolean isMidiName(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".mid") || name.endsWith(".midi") || name.endsWith(".kar") || name.endsWith(".rmi")
                || name.endsWith(".midi2");
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
