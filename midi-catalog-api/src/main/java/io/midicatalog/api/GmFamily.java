package io.midicatalog.api;

/**
 * The 16 General MIDI instrument families (8 programs each) plus {@link #DRUMS} for channel 10.
 * A file's families are stored as a bit set ({@link #bit()}) so a search can filter on them
 * without a join.
 */
public enum GmFamily {
    PIANO, CHROMATIC_PERCUSSION, ORGAN, GUITAR, BASS, STRINGS, ENSEMBLE, BRASS,
    REED, PIPE, SYNTH_LEAD, SYNTH_PAD, SYNTH_EFFECTS, ETHNIC, PERCUSSIVE, SOUND_EFFECTS,
    DRUMS;

    private static final GmFamily[] VALUES = values();

    /** Family of a GM program number 0-127. */
    public static GmFamily ofProgram(int program) {
        if (program < 0 || program > 127) {
            throw new IllegalArgumentException("GM program must be 0-127: " + program);
        }
        return VALUES[program / 8];
    }

    public int bit() {
        return 1 << ordinal();
    }

    /**
     * The family named {@code text}, ignoring case, spaces, '-' and '_' ("synth lead",
     * "Synth-Lead", "SYNTH_LEAD"), or empty.
     */
    public static java.util.Optional<GmFamily> parse(String text) {
        if (text == null) {
            return java.util.Optional.empty();
        }
        String norm = text.trim().toUpperCase(java.util.Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (GmFamily f : VALUES) {
            if (f.name().equals(norm) || f.name().replace("_", "").equals(norm.replace("_", ""))) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }

    public static GmFamily fromOrdinal(int ordinal) {
        if (ordinal < 0 || ordinal >= VALUES.length) {
            throw new IllegalArgumentException("GM family must be 0-" + (VALUES.length - 1) + ": " + ordinal);
        }
        return VALUES[ordinal];
    }
}
