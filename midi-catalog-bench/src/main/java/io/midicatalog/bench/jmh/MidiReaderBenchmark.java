package io.midicatalog.bench.jmh;

import io.midicatalog.api.MidiFormatException;
import io.midicatalog.midi.MidiAnalyzer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading throughput of {@link MidiAnalyzer#analyze} (every fact of the catalog, SHA-256 included)
 * against {@code javax.sound.midi.MidiSystem.getSequence} (parsing only) on the same in-memory
 * corpus files: those of {@code ../shared/corpus} (or {@code $MIDI_CATALOG_CORPUS}) that both
 * accept (one corrupted file javax reads, we reject). One operation reads one file, so the score is files/s; the setup prints the mean file
 * size, and MB/s = files/s x mean size. {@code impl=guide} is javax, so {@code bench-compare}
 * prints how many times faster ours is. {@code -p impl=sha256} measures the SHA-256 of the bytes
 * alone: the part of ours that no reader can make faster.
 *
 * <pre>
 * mvn -B -q -pl midi-catalog-api,midi-catalog-jdbi,midi-catalog-bench package -DskipTests
 * java -jar midi-catalog-bench/target/benchmarks.jar MidiReaderBenchmark -rf json -rff midi-reader.json
 * java -jar midi-catalog-bench/target/midi-catalog.jar bench-compare midi-reader.json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MidiReaderBenchmark {
    @Param({"ours", "guide"})
    public String impl;

    private byte[][] files;
    private int next;
    private int mode;

    @Setup(Level.Trial)
    public void load() {
        files = loadCorpus().toArray(byte[][]::new);
        long bytes = 0;
        for (byte[] file : files) {
            bytes += file.length;
        }
        System.out.printf(Locale.ROOT, "%n%d files, %.2f MB, mean %.1f KB per file (MB/s = files/s x %.5f)%n",
                files.length, bytes / 1e6, bytes / 1e3 / files.length, bytes / 1e6 / files.length);
        mode = switch (impl) {
            case "ours" -> 0;
            case "guide" -> 1;
            case "sha256" -> 2;
            default -> throw new IllegalArgumentException("impl " + impl + " is not ours, guide or sha256");
        };
    }

    @Benchmark
    public Object read() throws Exception {
        byte[] file = files[next];
        next = next + 1 == files.length ? 0 : next + 1;
        return switch (mode) {
            case 0 -> MidiAnalyzer.analyze(file);
            case 1 -> MidiSystem.getSequence(new ByteArrayInputStream(file));
            default -> MessageDigest.getInstance("SHA-256").digest(file);
        };
    }

    /** The corpus files javax and we both accept, in path order. */
    public static List<byte[]> loadCorpus() {
        Path root = corpusRoot();
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!name.endsWith(".mid") && !name.endsWith(".midi") && !name.endsWith(".kar") && !name.endsWith(".rmi")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(path);
                if (javaxAccepts(bytes) && oursAccepts(bytes)) {
                    files.add(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no MIDI files javax accepts under " + root);
        }
        return files;
    }

    private static boolean javaxAccepts(byte[] bytes) {
        try {
            Sequence sequence = MidiSystem.getSequence(new ByteArrayInputStream(bytes));
            return sequence != null;
        } catch (InvalidMidiDataException | IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean oursAccepts(byte[] bytes) {
        try {
            MidiAnalyzer.analyze(bytes);
            return true;
        } catch (MidiFormatException e) {
            return false;
        }
    }

    static Path corpusRoot() {
        String env = System.getenv("MIDI_CATALOG_CORPUS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/corpus").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("MIDI corpus not found at ../shared/corpus from " + Path.of("").toAbsolutePath()
                + "; set MIDI_CATALOG_CORPUS");
    }
}
