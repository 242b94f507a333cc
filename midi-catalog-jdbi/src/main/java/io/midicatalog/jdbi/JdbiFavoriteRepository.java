package io.midicatalog.jdbi;

import static io.midicatalog.jdbi.internal.Checks.db;

import io.midicatalog.api.Favorite;
import io.midicatalog.api.FavoritePage;
import io.midicatalog.api.FavoriteRepository;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.jdbi.internal.Checks;
import io.midicatalog.jdbi.internal.FavoriteDao;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * {@link FavoriteRepository} over PostgreSQL. Pages are keyset pages over (created_at, file_id):
 * the cursor holds the last row's position, so page 1000 costs what page 1 costs.
 */
public final class JdbiFavoriteRepository implements FavoriteRepository {
    private static final String CURSOR_PREFIX = "fav1:";

    private final FavoriteDao writes;
    private final FavoriteDao reads;
    private final CatalogChanges changes;

    public JdbiFavoriteRepository(Jdbi jdbi, Jdbi readJdbi, CatalogChanges changes) {
        this.writes = jdbi.onDemand(FavoriteDao.class);
        this.reads = readJdbi.onDemand(FavoriteDao.class);
        this.changes = changes;
    }

    @Override
    public boolean add(long fileId) {
        Checks.id(fileId);
        boolean added = db("add file " + fileId + " to favorites", () -> writes.add(fileId)) > 0;
        if (added) {
            changes.favoritesChanged(new long[] {fileId});
        }
        return added;
    }

    @Override
    public boolean remove(long fileId) {
        Checks.id(fileId);
        boolean removed = db("remove file " + fileId + " from favorites", () -> writes.remove(fileId)) > 0;
        if (removed) {
            changes.favoritesChanged(new long[] {fileId});
        }
        return removed;
    }

    @Override
    public FavoritePage list(int pageSize) {
        Checks.limit(pageSize, MAX_PAGE_SIZE);
        return page(db("list favorites", () -> reads.first(pageSize + 1)), pageSize);
    }

    @Override
    public FavoritePage list(String cursor, int pageSize) {
        Checks.limit(pageSize, MAX_PAGE_SIZE);
        Position after = decode(cursor);
        return page(db("list favorites", () -> reads.after(after.addedAt(), after.fileId(), pageSize + 1)), pageSize);
    }

    @Override
    public Set<Long> favoritesAmong(Collection<Long> fileIds) {
        long[] ids = Checks.ids(fileIds);
        long[] favorites = db("look up favorites among " + ids.length + " files", () -> reads.among(ids));
        Set<Long> result = new HashSet<>(favorites.length * 2);
        for (long id : favorites) {
            result.add(id);
        }
        return Set.copyOf(result);
    }

    @Override
    public boolean isFavorite(long fileId) {
        Checks.id(fileId);
        return db("look up favorite " + fileId, () -> reads.isFavorite(fileId));
    }

    /** One row more than the page is read to know whether there is a next page. */
    private static FavoritePage page(List<Favorite> rows, int pageSize) {
        if (rows.size() <= pageSize) {
            return new FavoritePage(rows, null);
        }
        List<Favorite> items = rows.subList(0, pageSize);
        return new FavoritePage(items, encode(items.get(pageSize - 1)));
    }

    private static String encode(Favorite last) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, last.addedAt());
        String raw = CURSOR_PREFIX + micros + ":" + last.fileId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Where a page ended: the last row's time and file. */
    private record Position(OffsetDateTime addedAt, long fileId) {}

    private static Position decode(@Nullable String cursor) {
        if (cursor == null) {
            throw new IllegalArgumentException("cursor must not be null");
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith(CURSOR_PREFIX)) {
                String[] parts = raw.substring(CURSOR_PREFIX.length()).split(":");
                if (parts.length == 2) {
                    return new Position(Checks.timestamp(Long.parseLong(parts[0]), "cursor time"),
                            Checks.id(Long.parseLong(parts[1])));
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the one message below (NumberFormatException is one too)
        }
        throw new IllegalArgumentException("not a favorites cursor: '" + cursor + "'");
    }
}
