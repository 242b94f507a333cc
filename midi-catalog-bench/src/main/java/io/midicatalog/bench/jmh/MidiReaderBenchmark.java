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
 * alone: the part of ours that no reader can make faster. {@code -p impl=floor} is the least any
 * reader that computes the catalog's facts can do: the SHA-256, plus one pass over every event
 * of every track (delta times, running status, meta and SysEx lengths) that counts Note Ons in
 * a channel x pitch table and analyses nothing. Its ratio to {@code guide} bounds how many times
 * faster than javax any analyser can be on this machine.
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
            case "floor" -> 3;
            default -> throw new IllegalArgumentException("impl " + impl + " is not ours, guide, sha256 or floor");
        };
    }

    @Benchmark
    public Object read() throws Exception {
        byte[] file = files[next];
        next = next + 1 == files.length ? 0 : next + 1;
        return switch (mode) {
            case 0 -> MidiAnalyzer.analyze(file);
            case 1 -> MidiSystem.getSequence(new ByteArrayInputStream(file));
            case 2 -> MessageDigest.getInstance("SHA-256").digest(file);
            default -> scan(file, histogram) + MessageDigest.getInstance("SHA-256").digest(file)[0];
        };
    }

    private final int[] histogram = new int[16 * 128];

    /**
     * The floor's pass: walks every MTrk chunk event by event with the SMF grammar's framing and
     * counts Note Ons, without the checks, warnings or analysis of a real reader (it assumes a
     * well-formed file, which every benchmarked file is). Returns the notes plus the last tick,
     * so nothing can be optimised away.
     */
    static long scan(byte[] b, int[] histogram) {
        int p = 0;
        while (p + 4 <= b.length && !(b[p] == 'M' && b[p + 1] == 'T' && b[p + 2] == 'h' && b[p + 3] == 'd')) {
            p++; // RIFF RMID: the SMF sits inside
        }
        long result = 0;
        if (p + 22 <= b.length && b[p + 14] == 'M' && b[p + 15] == 'T' && b[p + 16] == 'r' && b[p + 17] == 'k') {
            p += 14; // the first track right after a 6-byte header, whatever length the header claims
        }
        while (p + 8 <= b.length) {
            long length = ((b[p + 4] & 0xFFL) << 24) | ((b[p + 5] & 0xFF) << 16) | ((b[p + 6] & 0xFF) << 8) | (b[p + 7] & 0xFF);
            int start = p + 8;
            int end = (int) Math.min(b.length, start + length);
            if (b[p] == 'M' && b[p + 1] == 'T' && b[p + 2] == 'r' && b[p + 3] == 'k') {
                result += scanTrack(b, start, end, histogram);
            }
            p = end;
        }
        return result;
    }

    private static long scanTrack(byte[] b, int p, int end, int[] histogram) {
        long now = 0;
        long notes = 0;
        int status = 0;
        while (p < end) {
            int c = b[p++];
            long delta = c & 0x7F;
            while (c < 0 && p < end) {
                c = b[p++];
                delta = delta << 7 | (c & 0x7F);
            }
            now += delta;
            if (p >= end) {
                break;
            }
            int eventStatus = b[p] & 0xFF;
            if (eventStatus >= 0x80) {
                p++;
            } else {
                eventStatus = status;
            }
            if (eventStatus < 0xF0) {
                int length = (eventStatus & 0xE0) == 0xC0 ? 1 : 2;
                if (p + length > end) {
                    break;
                }
                status = eventStatus;
                if (eventStatus >> 4 == 0x9 && b[p + 1] > 0) {
                    histogram[(eventStatus & 0x0F) << 7 | b[p]]++;
                    notes++;
                }
                p += length;
            } else {
                if (eventStatus == 0xFF) {
                    p++;
                }
                long length = 0;
                while (p < end) {
                    c = b[p++];
                    length = length << 7 | (c & 0x7F);
                    if (c >= 0) {
                        break;
                    }
                }
                p = (int) Math.min(end, p + length);
            }
        }
        return notes + now;
    }

    /** The corpus files javax and we both accept, in path order. */
    public static List<byte[]> loadCorpus() {
        Path root = corpusRoot();
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                if (!MidiAnalyzer.isMidiFileName(path)) {
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
