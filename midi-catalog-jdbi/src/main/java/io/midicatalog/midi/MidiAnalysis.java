package io.midicatalog.midi;

import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.ValueSource;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every fact the catalog stores about one MIDI file, computed in one pass by {@link MidiAnalyzer}.
 *
 * @param format SMF format 0, 1 or 2
 * @param tracks number of MTrk chunks read
 * @param division ticks per quarter note, or for SMPTE files ticks per frame times frames per second
 * @param smpte true when the division is SMPTE time code
 * @param durationTicks tick of the last event of the longest track
 * @param durationSeconds duration through the tempo map
 * @param bpm the tempo that holds longest; 120 with {@code bpmSource == DEFAULT} when none is set
 * @param initialBpm the tempo in force at tick 0
 * @param bpmSource {@code META} when a Set Tempo event set it, {@code DEFAULT} otherwise
 * @param tempoChanges every Set Tempo event, in tick order (the tempo map)
 * @param timeSignature the first time signature, 4/4 when none
 * @param timeSignatureChanges every Time Signature event in tick order
 * @param keySignature the first Key Signature meta event, null when the file has none
 * @param keySignatureChanges every Key Signature event in tick order
 * @param detectedKey key detected from the notes (drum channel excluded); UNKNOWN with too few notes
 * @param keyConfidence 0..1, how sure the detection is
 * @param noteCount Note On events with velocity > 0, all channels
 * @param uniquePitches number of distinct MIDI pitches
 * @param pitchMin lowest pitch, -1 without notes
 * @param pitchMax highest pitch, -1 without notes
 * @param avgVelocity mean Note On velocity, 0 without notes
 * @param noteDensity notes per second of duration
 * @param polyphonyMax most notes sounding at once (drum channel excluded)
 * @param polyphonyAvg time-weighted mean of sounding notes while any sounds (drum channel excluded)
 * @param monophonic at most one pitched note at a time
 * @param percussive the file uses channel 10
 * @param hasChords three or more pitched notes start together somewhere
 * @param hasMelody a pitched single-note line long enough to be a melody
 * @param instruments one entry per (channel, program) that plays notes
 * @param gmFamilies bit set of {@link GmFamily#bit()} of the families that play notes
 * @param trackNames Sequence/Track Name events, decoded
 * @param copyright copyright notices, decoded
 * @param texts text events, decoded
 * @param lyrics lyrics (including .kar text lyrics), decoded
 * @param sha256 SHA-256 of the original bytes (32 bytes)
 * @param fingerprint equal for files with the same notes in the same order regardless of track
 *     layout, tempo events and text (near-duplicate detection)
 * @param warnings what the lenient reader forgave (missing End of Track, trailing garbage, ...)
 */
public record MidiAnalysis(
        int format,
        int tracks,
        int division,
        boolean smpte,
        long durationTicks,
        double durationSeconds,
        double bpm,
        double initialBpm,
        ValueSource bpmSource,
        List<TempoChange> tempoChanges,
        TimeSignature timeSignature,
        List<TimeSignatureChange> timeSignatureChanges,
        @Nullable MusicalKey keySignature,
        List<KeySignatureChange> keySignatureChanges,
        MusicalKey detectedKey,
        double keyConfidence,
        int noteCount,
        int uniquePitches,
        int pitchMin,
        int pitchMax,
        double avgVelocity,
        double noteDensity,
        int polyphonyMax,
        double polyphonyAvg,
        boolean monophonic,
        boolean percussive,
        boolean hasChords,
        boolean hasMelody,
        List<Instrument> instruments,
        int gmFamilies,
        List<String> trackNames,
        List<String> copyright,
        List<String> texts,
        List<String> lyrics,
        byte[] sha256,
        long fingerprint,
        List<String> warnings) {

    public MidiAnalysis {
        tempoChanges = List.copyOf(tempoChanges);
        timeSignatureChanges = List.copyOf(timeSignatureChanges);
        keySignatureChanges = List.copyOf(keySignatureChanges);
        instruments = List.copyOf(instruments);
        trackNames = List.copyOf(trackNames);
        copyright = List.copyOf(copyright);
        texts = List.copyOf(texts);
        lyrics = List.copyOf(lyrics);
        warnings = List.copyOf(warnings);
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Distinct GM programs that play notes on non-drum channels, ascending. */
    public List<Integer> programs() {
        return instruments.stream().filter(i -> i.channel() != 9).map(Instrument::program).distinct().sorted().toList();
    }

    /** A Set Tempo event. */
    public record TempoChange(long tick, double bpm) {}

    /** A Time Signature event. */
    public record TimeSignatureChange(long tick, TimeSignature timeSignature) {}

    /** A Key Signature event. */
    public record KeySignatureChange(long tick, MusicalKey key) {}

    /**
     * A (channel, program) pair that plays notes. {@code channel} is 0-based (9 is the GM drum
     * channel); {@code program} is the GM program 0-127 in force when the notes played (0 when
     * no Program Change came first).
     */
    public record Instrument(int channel, int program, GmFamily family, int noteCount) {}
}
