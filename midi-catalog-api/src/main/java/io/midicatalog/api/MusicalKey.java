package io.midicatalog.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The 24 major and minor keys plus {@link #UNKNOWN}, one canonical spelling per pitch class
 * (major: C Db D Eb E F F# G Ab A Bb B; minor: C C# D Eb E F F# G G# A Bb B).
 *
 * <p>Stored in PostgreSQL as a {@code smallint} {@link #code()}: 0-11 major by tonic pitch class,
 * 12-23 minor, 24 unknown (table {@code musical_keys} names them).
 */
public enum MusicalKey {
    C_MAJOR, D_FLAT_MAJOR, D_MAJOR, E_FLAT_MAJOR, E_MAJOR, F_MAJOR,
    F_SHARP_MAJOR, G_MAJOR, A_FLAT_MAJOR, A_MAJOR, B_FLAT_MAJOR, B_MAJOR,
    C_MINOR, C_SHARP_MINOR, D_MINOR, E_FLAT_MINOR, E_MINOR, F_MINOR,
    F_SHARP_MINOR, G_MINOR, G_SHARP_MINOR, A_MINOR, B_FLAT_MINOR, B_MINOR,
    UNKNOWN;

    private static final String[] MAJOR_TONICS = {"C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    private static final String[] MINOR_TONICS = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"};
    private static final MusicalKey[] VALUES = values();

    /** The stored code: 0-11 major, 12-23 minor, 24 unknown. */
    public short code() {
        return (short) ordinal();
    }

    public static MusicalKey fromCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("key code must be 0-24: " + code);
        }
        return VALUES[code];
    }

    public static MusicalKey of(int tonicPitchClass, boolean minor) {
        int pc = Math.floorMod(tonicPitchClass, 12);
        return VALUES[(minor ? 12 : 0) + pc];
    }

    public boolean isKnown() {
        return this != UNKNOWN;
    }

    public boolean isMinor() {
        return isKnown() && ordinal() >= 12;
    }

    /** Tonic pitch class 0 (C) to 11 (B); -1 for {@link #UNKNOWN}. */
    public int tonic() {
        return isKnown() ? ordinal() % 12 : -1;
    }

    /** Canonical tonic spelling such as {@code F#} or {@code Bb}; empty for {@link #UNKNOWN}. */
    public String tonicName() {
        if (!isKnown()) {
            return "";
        }
        return isMinor() ? MINOR_TONICS[tonic()] : MAJOR_TONICS[tonic()];
    }

    /** {@code "F# minor"}, {@code "Bb major"}, or {@code "unknown"}. */
    public String displayName() {
        return isKnown() ? tonicName() + (isMinor() ? " minor" : " major") : "unknown";
    }

    /** Short form as in producers' file names: {@code F#m}, {@code Bb}. */
    public String shortName() {
        return isKnown() ? tonicName() + (isMinor() ? "m" : "") : "";
    }

    /** Relative major of a minor key and relative minor of a major key. */
    public MusicalKey relative() {
        if (!isKnown()) {
            return UNKNOWN;
        }
        return isMinor() ? of(tonic() + 3, false) : of(tonic() + 9, true);
    }

    /**
     * This key, its relative, and the keys a fifth above and below in the same mode (with their
     * relatives): the neighbours on the circle of fifths a DJ or producer would call compatible.
     */
    public List<MusicalKey> compatibleKeys() {
        if (!isKnown()) {
            return List.of(UNKNOWN);
        }
        List<MusicalKey> keys = new ArrayList<>(6);
        for (int shift : new int[] {0, 7, 5}) {
            MusicalKey k = of(tonic() + shift, isMinor());
            keys.add(k);
            keys.add(k.relative());
        }
        return List.copyOf(keys);
    }

    /**
     * Parses {@code "A minor"}, {@code "Am"}, {@code "a min"}, {@code "F#m"}, {@code "Gb major"},
     * {@code "Bbmaj"}, {@code "C"}, {@code "unknown"}: any spelling, case-insensitive.
     */
    public static Optional<MusicalKey> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.equalsIgnoreCase("unknown")) {
            return Optional.of(UNKNOWN);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        int pc = switch (Character.toUpperCase(s.charAt(0))) {
            case 'C' -> 0;
            case 'D' -> 2;
            case 'E' -> 4;
            case 'F' -> 5;
            case 'G' -> 7;
            case 'A' -> 9;
            case 'B' -> 11;
            default -> -1;
        };
        if (pc < 0) {
            return Optional.empty();
        }
        int i = 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '#' || c == '\u266F') {
                pc++;
            } else if ((c == 'b' || c == '\u266D') && !rest(s, i).toLowerCase(Locale.ROOT).startsWith("b")) {
                pc--;
            } else {
                break;
            }
            i++;
        }
        String mode = s.substring(i).trim().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        boolean minor;
        if (mode.isEmpty() || mode.equals("maj") || mode.equals("major") || mode.equals("dur")) {
            minor = false;
        } else if (mode.equals("m") || mode.equals("min") || mode.equals("minor") || mode.equals("moll")) {
            minor = true;
        } else {
            return Optional.empty();
        }
        // "m" alone after an upper-case tonic is minor; "M" (upper) is major in some notations.
        if (mode.equals("m") && s.substring(i).trim().equals("M")) {
            minor = false;
        }
        return Optional.of(of(pc, minor));
    }

    private static String rest(String s, int from) {
        return from + 1 < s.length() ? s.substring(from + 1) : "";
    }

    @Override
    public String toString() {
        return displayName();
    }
}
