package io.midicatalog.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Values escaped for PostgreSQL's COPY text format (importer and row generator). Not API. */
public final class CopyText {
    private CopyText() {}

    /**
     * Appends text escaped for COPY text format; drops NUL (PostgreSQL text cannot hold it) and
     * lone surrogates (not encodable in UTF-8).
     */
    public static StringBuilder text(StringBuilder b, String value) {
        for (int i = 0; i < value.length(); i++) {
            i = append(b, value, i);
        }
        return b;
    }

    /** Appends the char at i escaped (with its low surrogate, when paired); the last index used. */
    private static int append(StringBuilder b, String value, int i) {
        char c = value.charAt(i);
        switch (c) {
            case '\\' -> b.append("\\\\");
            case '\t' -> b.append("\\t");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\0' -> { }
            default -> {
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    b.append(c).append(value.charAt(++i));
                } else if (!Character.isSurrogate(c)) {
                    b.append(c);
                }
            }
        }
        return i;
    }

    /** Appends a text[] literal escaped for COPY text format. */
    public static StringBuilder textArray(StringBuilder b, List<String> values) {
        b.append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('"');
            String v = values.get(i);
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                // the array literal's backslash before " and \, then COPY's escape of every backslash
                if (c == '"') {
                    b.append("\\\\\"");
                } else if (c == '\\') {
                    b.append("\\\\\\\\");
                } else {
                    k = append(b, v, k);
                }
            }
            b.append('"');
        }
        return b.append('}');
    }

    /**
     * Appends a timestamptz in UTC ({@code 2026-11-28 06:43:14.288824+00}), microseconds kept,
     * without the formatter {@code Instant.toString()} runs (2% of an import's Java CPU).
     */
    public static StringBuilder timestamp(StringBuilder b, Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        if (d.getYear() < 1000 || d.getYear() > 9999) {
            return b.append(t); // ISO 8601, which PostgreSQL reads too
        }
        b.append(d.getYear()).append('-');
        two(b, d.getMonthValue()).append('-');
        two(b, d.getDayOfMonth()).append(' ');
        two(b, d.getHour()).append(':');
        two(b, d.getMinute()).append(':');
        two(b, d.getSecond()).append('.');
        String micros = Integer.toString(t.getNano() / 1000);
        b.append("000000", 0, 6 - micros.length()).append(micros);
        return b.append("+00");
    }

    private static StringBuilder two(StringBuilder b, int value) {
        return b.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
