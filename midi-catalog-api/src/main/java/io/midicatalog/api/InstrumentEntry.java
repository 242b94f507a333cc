package io.midicatalog.api;

import java.util.Objects;

/** One (channel, GM program) that plays notes in a file. */
public record InstrumentEntry(int channel, int program, GmFamily family, int noteCount) {
    public InstrumentEntry {
        if (channel < 0 || channel > 15) {
            throw new IllegalArgumentException("channel must be 0-15: " + channel);
        }
        if (program < 0 || program > 127) {
            throw new IllegalArgumentException("program must be 0-127: " + program);
        }
        Objects.requireNonNull(family, "family");
        if (noteCount < 0) {
            throw new IllegalArgumentException("noteCount must be >= 0: " + noteCount);
        }
    }
}
