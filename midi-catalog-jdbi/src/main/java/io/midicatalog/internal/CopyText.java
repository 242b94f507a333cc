package io.midicatalog.internal;

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
        }
        return b;
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
            StringBuilder escaped = new StringBuilder(v.length() + 4);
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (c == '"' || c == '\\') {
                    escaped.append('\\');
                }
                escaped.append(c);
            }
            text(b, escaped.toString());
            b.append('"');
        }
        return b.append('}');
    }
}
