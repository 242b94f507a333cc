package io.midicatalog.midi;

import io.midicatalog.api.MidiFormatException;

/**
 * Reads a Standard MIDI File (format 0, 1, 2; RIFF RMID unwrapped; .kar) from bytes and computes
 * every fact of {@link MidiAnalysis} in one pass. Thread-safe and stateless.
 */
public final class MidiAnalyzer {
    private MidiAnalyzer() {}

    /**
     * Analyses one file.
     *
     * @throws MidiFormatException when the bytes are not a readable MIDI file; never anything else
     */
    public static MidiAnalysis analyze(byte[] bytes) {
        throw new MidiFormatException("MIDI reader not implemented yet", -1);
    }
}
