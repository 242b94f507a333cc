package io.midicatalog.api;

import java.util.Locale;
import java.util.Optional;

/**
 * What a file is, in the words of producers' packs. Stored as a {@code smallint} {@link #code()};
 * codes are stable: new categories are appended, never renumbered.
 */
public enum Category {
    UNKNOWN("unknown"),
    DRUMS("drums"),
    KICK("kick"),
    SNARE("snare"),
    HIHAT("hihat"),
    CYMBAL("cymbal"),
    PERCUSSION("percussion"),
    BASS("bass"),
    CHORDS("chords"),
    PAD("pad"),
    LEAD("lead"),
    MELODY("melody"),
    ARP("arp"),
    KEYS("keys"),
    PIANO("piano"),
    GUITAR("guitar"),
    STRINGS("strings"),
    BRASS("brass"),
    WOODWIND("woodwind"),
    SYNTH("synth"),
    PLUCK("pluck"),
    FX("fx"),
    VOCAL("vocal"),
    FULL_MIX("full mix");

    private static final Category[] VALUES = values();
    private final String label;

    Category(String label) {
        this.label = label;
    }

    public short code() {
        return (short) ordinal();
    }

    /** Lower-case label as stored in {@code categories.name}: {@code "full mix"}, {@code "hihat"}. */
    public String label() {
        return label;
    }

    public static Category fromCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("category code must be 0-" + (VALUES.length - 1) + ": " + code);
        }
        return VALUES[code];
    }

    /** Parses a label or constant name, any case, with spaces, dashes or underscores. */
    public static Optional<Category> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String norm = text.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
        for (Category c : VALUES) {
            if (c.label.equals(norm) || c.label.replace(" ", "").equals(norm.replace(" ", ""))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
