package io.midicatalog.diagnostics.internal;

import io.midicatalog.diagnostics.QueryCategory;
import io.midicatalog.diagnostics.QueryProbe;
import java.util.List;
import java.util.Map;

/**
 * Probes written against schema V1 for the categories whose code is not merged yet: count (search,
 * issue 5) and dedupe check (importer, issue 4). When it lands, its own category (built from the SQL
 * it runs) replaces the one here; see MidiCatalog's queryCategories().
 * Not API.
 */
public final class V1Categories {
    private V1Categories() {}

    public static QueryCategory count() {
        return RepositoryCategories.category("count", s -> List.of(
                new QueryProbe("count", "count, no filter", "SELECT count(*) FROM files", Map.of()),
                new QueryProbe("count", "count, bpm 120-130", """
                        SELECT count(*) FROM files WHERE bpm BETWEEN :low AND :high""", Map.of("low", 120f, "high", 130f))));
    }

    public static QueryCategory dedupe() {
        return RepositoryCategories.category("dedupe", s -> {
            byte[] hash = s.contentHash();
            byte[] probe = hash != null ? hash : new byte[32];
            return List.of(new QueryProbe("dedupe", "dedupe check by content hash", """
                    SELECT id FROM files WHERE content_hash = :hash""", Map.of("hash", probe)));
        });
    }

    /** All V1 categories in report order. */
    public static List<QueryCategory> all() {
        return List.of(count(), dedupe());
    }
}
