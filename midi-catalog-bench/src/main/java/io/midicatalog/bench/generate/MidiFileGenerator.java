package io.midicatalog.bench.generate;

import io.midicatalog.api.MusicalKey;
import io.midicatalog.bench.generate.LibraryModel.FileSpec;
import io.midicatalog.bench.generate.LibraryModel.Kind;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Writes a synthetic producer-pack library of real Standard MIDI Files, with
 * {@link MidiSystem#write} (so it shares no code with our reader), following {@link LibraryModel}:
 * drum loops on channel 10, bass lines, chord progressions, melodies, arps and multi-track
 * arrangements in known keys, tempos and meters. On top of the {@code N} distinct files: about
 * 15% byte-identical copies under other paths, about 3% near-duplicates (the same notes re-saved
 * with another track layout and a text event) and 0.5% corrupt files named .mid (truncated,
 * garbage, HTML, ZIP, empty). {@code manifest.csv} in the directory holds the ground truth of
 * every file written.
 *
 * <p>Deterministic for a seed. Files are built in memory and written with {@link Files#write}
 * on all cores, in chunks, so memory stays bounded whatever N is.
 */
public final class MidiFileGenerator {
    /** Manifest file name in the generated directory. */
    public static final String MANIFEST = "manifest.csv";
    private static final int CHUNK = 4096;
    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] MINOR = {0, 2, 3, 5, 7, 8, 10};

    private MidiFileGenerator() {}

    /** What was written. {@code total} counts every file (distinct + copies + near + corrupt). */
    public record Result(int distinct, int copies, int nearDuplicates, int corrupt, long bytes, Path manifest,
            double seconds) {
        public int total() {
            return distinct + copies + nearDuplicates + corrupt;
        }
    }

    /** What a corrupt file looks like. */
    enum Corruption { TRUNCATED, GARBAGE, HTML, ZIP, EMPTY }

    /**
     * Writes {@code files} distinct files (plus copies, near-duplicates, corrupt files) under
     * {@code directory} with {@code threads} writers.
     *
     * @throws IllegalArgumentException for a non-positive count or thread number
     * @throws UncheckedIOException when a file cannot be written
     */
    public static Result generate(Path directory, int files, long seed, int threads) {
        Objects.requireNonNull(directory, "directory");
        if (files <= 0) {
            throw new IllegalArgumentException("files must be positive: " + files);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        long started = System.nanoTime();
        LibraryModel model = new LibraryModel(seed);
        LibraryModel.Sequence sequence = model.sequence(files + files / 4);
        Set<Path> createdDirectories = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "midi-file-generator");
            t.setDaemon(true);
            return t;
        });
        int distinct = 0;
        int copies = 0;
        int near = 0;
        int corrupt = 0;
        long bytes = 0;
        Path manifest = directory.resolve(MANIFEST);
        try {
            Files.createDirectories(directory);
            try (BufferedWriter out = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8)) {
                out.write("path,kind,category,bpm,key,meter,duplicate_of,corrupt\n");
                for (int from = 0; from < files; from += CHUNK) {
                    List<Job> jobs = new ArrayList<>(CHUNK);
                    for (int i = from; i < Math.min(files, from + CHUNK); i++) {
                        jobs.add(job(model, sequence));
                    }
                    List<Future<Written>> done = new ArrayList<>(jobs.size());
                    int slice = Math.max(64, jobs.size() / (threads * 4));
                    for (int s = 0; s < jobs.size(); s += slice) {
                        List<Job> part = jobs.subList(s, Math.min(jobs.size(), s + slice));
                        done.add(pool.submit(() -> write(directory, part, createdDirectories)));
                    }
                    for (Future<Written> future : done) {
                        Written w = future.get();
                        out.write(w.manifest.toString());
                        bytes += w.bytes;
                    }
                    for (Job job : jobs) {
                        distinct++;
                        copies += job.copyPath != null ? 1 : 0;
                        near += job.nearPath != null ? 1 : 0;
                        corrupt += job.corruptPath != null ? 1 : 0;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the library under " + directory, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io;
            }
            throw new IllegalStateException("could not build a MIDI file: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating files", e);
        } finally {
            pool.shutdownNow();
        }
        return new Result(distinct, copies, near, corrupt, bytes, manifest, (System.nanoTime() - started) / 1e9);
    }

    /** One distinct file and the extra files derived from it, paths fixed in sequence order. */
    private record Job(FileSpec spec, String path, String copyPath, String nearPath, String corruptPath,
            Corruption corruption) {}

    private record Written(StringBuilder manifest, long bytes) {}

    private static Job job(LibraryModel model, LibraryModel.Sequence sequence) {
        FileSpec spec = sequence.next();
        SplittableRandom r = model.randomOf(spec.index() ^ 0x2545F4914F6CDD1DL);
        String path = spec.relativePath();
        String copy = null;
        if (spec.duplicated()) {
            String alternate = model.alternatePath(spec);
            copy = sequence.claim(alternate) ? alternate : null;
        }
        String near = null;
        if (spec.nearDuplicateOfPrevious()) {
            String candidate = path.substring(0, path.length() - 4) + " (resaved).mid";
            near = sequence.claim(candidate) ? candidate : null;
        }
        String corruptPath = null;
        Corruption corruption = null;
        if (r.nextInt(200) == 0) {
            corruption = Corruption.values()[r.nextInt(Corruption.values().length)];
            String candidate = path.substring(0, path.lastIndexOf('/') + 1) + "Broken_" + spec.index() + ".mid";
            corruptPath = sequence.claim(candidate) ? candidate : null;
        }
        return new Job(spec, path, copy, near, corruptPath, corruption);
    }

    private static Written write(Path root, List<Job> jobs, Set<Path> createdDirectories) {
        StringBuilder manifest = new StringBuilder(jobs.size() * 160);
        long bytes = 0;
        for (Job job : jobs) {
            FileSpec spec = job.spec;
            SplittableRandom r = new SplittableRandom(spec.variant());
            boolean format1 = spec.kind() == Kind.ARRANGEMENT || r.nextBoolean();
            byte[] content = midi(spec, r, format1, null);
            bytes += put(root, job.path, content, createdDirectories);
            manifestLine(manifest, job.path, spec, "", "");
            if (job.copyPath != null) {
                bytes += put(root, job.copyPath, content, createdDirectories);
                manifestLine(manifest, job.copyPath, spec, job.path, "");
            }
            if (job.nearPath != null) {
                // the same notes (same random stream) with the other layout and a text event
                SplittableRandom same = new SplittableRandom(spec.variant());
                same.nextBoolean();
                byte[] resaved = midi(spec, same, !format1, "re-saved copy");
                bytes += put(root, job.nearPath, resaved, createdDirectories);
                manifestLine(manifest, job.nearPath, spec, "near:" + job.path, "");
            }
            if (job.corruptPath != null) {
                byte[] broken = corrupt(job.corruption, content, r);
                bytes += put(root, job.corruptPath, broken, createdDirectories);
                manifest.append(csv(job.corruptPath)).append(",corrupt,,,,,,")
                        .append(job.corruption.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
            }
        }
        return new Written(manifest, bytes);
    }

    private static long put(Path root, String relative, byte[] content, Set<Path> createdDirectories) {
        Path file = root.resolve(relative);
        Path parent = file.getParent();
        try {
            // mark a directory only once it exists: a thread that saw it marked must find it
            // there (marking first let another thread write into a directory not yet created)
            if (!createdDirectories.contains(parent)) {
                Files.createDirectories(parent);
                createdDirectories.add(parent);
            }
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return content.length;
    }

    private static void manifestLine(StringBuilder out, String path, FileSpec spec, String duplicateOf, String corrupt) {
        out.append(csv(path)).append(',').append(spec.kind().name().toLowerCase(java.util.Locale.ROOT)).append(',')
                .append(csv(spec.category().label())).append(',').append((int) spec.bpm()).append(',')
                .append(spec.key().isKnown() ? spec.key().shortName() : "").append(',').append(spec.meter()).append(',')
                .append(csv(duplicateOf)).append(',').append(corrupt).append('\n');
    }

    private static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static byte[] corrupt(Corruption kind, byte[] content, SplittableRandom r) {
        return switch (kind) {
            case TRUNCATED -> Arrays.copyOf(content, Math.max(10, content.length * 3 / 5));
            case GARBAGE -> {
                byte[] junk = new byte[200 + r.nextInt(1800)];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) r.nextInt(256);
                }
                yield junk;
            }
            case HTML -> "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"
                    .getBytes(StandardCharsets.US_ASCII);
            case ZIP -> {
                byte[] zip = new byte[120];
                zip[0] = 'P';
                zip[1] = 'K';
                zip[2] = 3;
                zip[3] = 4;
                for (int i = 4; i < zip.length; i++) {
                    zip[i] = (byte) r.nextInt(256);
                }
                yield zip;
            }
            case EMPTY -> new byte[0];
        };
    }

    /** Builds the file; the same random stream gives the same notes whatever the layout. */
    static byte[] midi(FileSpec spec, SplittableRandom r, boolean format1, String text) {
        try {
            int tpq = spec.ticksPerQuarter();
            Sequence sequence = new Sequence(Sequence.PPQ, tpq);
            Track conductor = sequence.createTrack();
            int micros = (int) Math.round(60_000_000.0 / spec.bpm());
            conductor.add(meta(0x51, new byte[] {(byte) (micros >> 16), (byte) (micros >> 8), (byte) micros}, 0));
            int den = spec.meter().denominator();
            conductor.add(meta(0x58, new byte[] {(byte) spec.meter().numerator(),
                (byte) Integer.numberOfTrailingZeros(den), 24, 8}, 0));
            int keyMeta = r.nextInt(10);
            if (spec.key().isKnown() && keyMeta < 4) {
                conductor.add(meta(0x59, keySignature(spec.key()), 0));
            } else if (keyMeta < 7) {
                conductor.add(meta(0x59, new byte[] {0, 0}, 0)); // the usual default C major
            }
            String title = spec.fileName().substring(0, spec.fileName().length() - 4);
            conductor.add(meta(0x03, title.getBytes(StandardCharsets.UTF_8), 0));
            if (text != null) {
                conductor.add(meta(0x01, text.getBytes(StandardCharsets.UTF_8), 0));
            }
            long barTicks = (long) spec.meter().numerator() * tpq * 4 / den;
            long beatTicks = (long) tpq * 4 / den;
            int[] programs = spec.channelPrograms();
            for (int part = 0; part < programs.length; part++) {
                Track track = format1 ? sequence.createTrack() : conductor;
                int channel = programs[part] / 128;
                int program = programs[part] % 128;
                if (channel != 9) {
                    track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, channel, program, 0), 0));
                }
                Kind kind = spec.kind() == Kind.ARRANGEMENT
                        ? new Kind[] {Kind.DRUM_LOOP, Kind.BASS_LINE, Kind.CHORDS, Kind.MELODY}[part % 4] : spec.kind();
                notes(track, kind, spec, channel, r, barTicks, beatTicks);
            }
            // end of track at the end of the last bar, so the length in bars is exact
            long end = barTicks * spec.bars();
            for (Track track : sequence.getTracks()) {
                track.add(meta(0x2F, new byte[0], end));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 + spec.noteCount() * 10);
            MidiSystem.write(sequence, format1 ? 1 : 0, out);
            return out.toByteArray();
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("generated an invalid MIDI event: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void notes(Track track, Kind kind, FileSpec spec, int channel, SplittableRandom r, long barTicks,
            long beatTicks) throws InvalidMidiDataException {
        int bars = spec.bars();
        MusicalKey key = spec.key().isKnown() ? spec.key() : MusicalKey.A_MINOR;
        int tonic = key.tonic();
        int[] scale = key.isMinor() ? MINOR : MAJOR;
        switch (kind) {
            case DRUM_LOOP -> {
                long half = beatTicks / 2;
                long steps = barTicks * bars / half;
                for (long s = 0; s < steps; s++) {
                    long tick = s * half;
                    boolean onBeat = s % 2 == 0;
                    long beat = (tick % barTicks) / beatTicks;
                    switch (spec.category()) {
                        case KICK -> {
                            if (onBeat) {
                                note(track, 9, 36, r, tick, half);
                            }
                        }
                        case SNARE -> {
                            if (onBeat && beat % 2 == 1) {
                                note(track, 9, 38, r, tick, half);
                            }
                        }
                        case HIHAT -> note(track, 9, onBeat || r.nextInt(4) > 0 ? 42 : 46, r, tick, half);
                        case PERCUSSION -> note(track, 9, 60 + r.nextInt(5), r, tick, half);
                        default -> {
                            if (onBeat && beat % 2 == 0) {
                                note(track, 9, 36, r, tick, half);
                            }
                            if (onBeat && beat % 2 == 1) {
                                note(track, 9, 38, r, tick, half);
                            }
                            note(track, 9, 42, r, tick, half);
                        }
                    }
                }
            }
            case BASS_LINE -> {
                int[] degrees = {0, 0, 4, 0, 6, 0, 4, 2};
                long eighth = beatTicks / 2;
                for (long tick = 0, i = 0; tick < barTicks * bars; tick += eighth, i++) {
                    if (r.nextInt(4) == 0) {
                        continue;
                    }
                    int degree = degrees[(int) (i % degrees.length)];
                    int pitch = 36 + tonic + scale[degree % 7] + (degree >= 7 ? 12 : 0);
                    note(track, channel, pitch, r, tick, eighth);
                }
            }
            case CHORDS -> {
                int[] progression = key.isMinor() ? new int[] {0, 5, 2, 6} : new int[] {0, 4, 5, 3};
                for (int bar = 0; bar < bars; bar++) {
                    int root = progression[bar % progression.length];
                    for (int k = 0; k < 3; k++) {
                        int degree = root + 2 * k;
                        int pitch = 60 + tonic + scale[degree % 7] + 12 * (degree / 7) - 12;
                        note(track, channel, pitch, r, bar * barTicks, barTicks - beatTicks / 4);
                    }
                    note(track, channel, 48 + tonic + scale[root], r, bar * barTicks, barTicks - beatTicks / 4);
                }
            }
            case ARP -> {
                int[] progression = key.isMinor() ? new int[] {0, 5, 2, 6} : new int[] {0, 4, 5, 3};
                long sixteenth = beatTicks / 4;
                for (long tick = 0, i = 0; tick < barTicks * bars; tick += sixteenth, i++) {
                    int root = progression[(int) (tick / barTicks) % progression.length];
                    int degree = root + 2 * (int) (i % 3);
                    note(track, channel, 60 + tonic + scale[degree % 7] + 12 * (degree / 7), r, tick, sixteenth);
                }
            }
            default -> { // melody: a walk on the scale that starts and ends on the tonic
                int degree = 7;
                long tick = 0;
                long end = barTicks * bars;
                while (tick < end) {
                    long length = beatTicks / (1 + r.nextInt(2));
                    if (tick + length > end) {
                        length = end - tick;
                    }
                    int pitch = 60 + tonic + scale[degree % 7] + 12 * (degree / 7) - 12;
                    note(track, channel, pitch, r, tick, Math.max(1, length - 1));
                    tick += length;
                    degree = Math.max(3, Math.min(13, degree + r.nextInt(5) - 2));
                    if (tick + beatTicks >= end) {
                        degree = 7;
                    }
                }
            }
        }
    }

    private static void note(Track track, int channel, int pitch, SplittableRandom r, long tick, long length)
            throws InvalidMidiDataException {
        int velocity = 70 + r.nextInt(50);
        track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, pitch, velocity), tick));
        track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, pitch, 0), tick + Math.max(1, length)));
    }

    private static MidiEvent meta(int type, byte[] data, long tick) throws InvalidMidiDataException {
        return new MidiEvent(new MetaMessage(type, data, data.length), tick);
    }

    /** Key Signature meta data: sharps (+) or flats (-) and the mode. */
    static byte[] keySignature(MusicalKey key) {
        int majorTonic = key.isMinor() ? key.relative().tonic() : key.tonic();
        // circle of fifths position of the major tonic, as -6..+5 (F# major as 6 sharps)
        int fifths = Math.floorMod(majorTonic * 7, 12);
        if (fifths > 6) {
            fifths -= 12;
        }
        return new byte[] {(byte) fifths, (byte) (key.isMinor() ? 1 : 0)};
    }
}
