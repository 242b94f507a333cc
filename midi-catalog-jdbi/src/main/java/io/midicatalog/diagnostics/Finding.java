package io.midicatalog.diagnostics;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing diagnostics noticed, with what to do about it.
 *
 * @param severity how much it matters
 * @param area where: {@code statistics}, {@code statements}, {@code plan}, {@code settings},
 *     {@code pool}, {@code cache}, {@code maintenance}
 * @param subject what it is about (a table, an index, a query probe, a setting)
 * @param message what was seen, with the numbers
 * @param recommendation what to do
 * @param sql the statement that does it, when one applies
 */
public record Finding(Severity severity, String area, String subject, String message, String recommendation,
                      @Nullable String sql) {
    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recommendation, "recommendation");
    }
}
