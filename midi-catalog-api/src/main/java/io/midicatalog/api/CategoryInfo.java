package io.midicatalog.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A file's category and how it was decided.
 *
 * @param primary the searched category
 * @param secondary a second category when the file fits two, else null
 * @param source where the category came from
 * @param confidence 0..1, null when unknown
 * @param manual set by a person; a re-import keeps it
 */
public record CategoryInfo(Category primary, @Nullable Category secondary, ValueSource source,
        @Nullable Double confidence, boolean manual) {
    public CategoryInfo {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(source, "source");
    }
}
