package io.midicatalog.api;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of favorites, newest first; {@code nextCursor} (opaque) asks for the next page and is
 * null on the last one.
 */
public record FavoritePage(List<Favorite> items, @Nullable String nextCursor) {
    public FavoritePage {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }
}
