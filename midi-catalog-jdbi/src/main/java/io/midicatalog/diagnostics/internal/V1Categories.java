package io.midicatalog.diagnostics.internal;

import io.midicatalog.diagnostics.ProbeSamples;
import io.midicatalog.diagnostics.QueryCategory;
import io.midicatalog.diagnostics.QueryProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Probes written against schema V1 for the categories whose repositories are not merged yet:
 * count, dedupe check, track single and batch, details, tags with counts. When a repository lands,
 * its own category (built from its DAO text) replaces the one here; see MidiCatalog's construction.
 * Not API.
 */
public final class V1Categories {
    private V1Categories() {}

    public static QueryCategory count() {
        return category("count", s -> List.of(
                new QueryProbe("count", "count, no filter", "SELECT count(*) FROM files", Map.of()),
                new QueryProbe("count", "count, bpm 120-130", """
                        SELECT count(*) FROM files WHERE bpm BETWEEN :low AND :high""", Map.of("low", 120f, "high", 130f))));
    }

    public static QueryCategory dedupe() {
        return category("dedupe", s -> {
            byte[] hash = s.contentHash();
            byte[] probe = hash != null ? hash : new byte[32];
            return List.of(new QueryProbe("dedupe", "dedupe check by content hash", """
                    SELECT id FROM files WHERE content_hash = :hash""", Map.of("hash", probe)));
        });
    }

    public static QueryCategory tracks() {
        return category("track", s -> {
            List<QueryProbe> probes = new ArrayList<>();
            probes.add(new QueryProbe("track", "track single", """
                    SELECT id, filepath, filename FROM files WHERE id = :id""", Map.of("id", s.firstId())));
            probes.add(new QueryProbe("track", "track batch of 10", """
                    SELECT id, filepath, filename FROM files WHERE id = ANY(:ids) ORDER BY id""",
                    Map.of("ids", s.ids(10))));
            probes.add(new QueryProbe("track", "track batch of 100", """
                    SELECT id, filepath, filename FROM files WHERE id = ANY(:ids) ORDER BY id""",
                    Map.of("ids", s.ids(100))));
            return probes;
        });
    }

    public static QueryCategory details() {
        return category("details", s -> List.of(new QueryProbe("details", "details of one file", """
                SELECT f.id, f.filename, f.filepath, f.file_size_bytes, f.manufacturer, f.collection, f.bpm,
                       f.key_code, f.time_sig_num, f.time_sig_den, f.category, f.note_count, f.percussive,
                       mm.bpm_source, mm.key_source, fc.secondary_category,
                       (fav.file_id IS NOT NULL) AS favorite,
                       ARRAY(SELECT t.name FROM file_tags ft JOIN tags t ON t.id = ft.tag_id
                              WHERE ft.file_id = f.id ORDER BY lower(t.name)) AS tags
                  FROM files f
                  LEFT JOIN musical_metadata mm ON mm.file_id = f.id
                  LEFT JOIN file_categories fc ON fc.file_id = f.id
                  LEFT JOIN favorites fav ON fav.file_id = f.id
                 WHERE f.id = :id""", Map.of("id", s.firstId()))));
    }

    public static QueryCategory tags() {
        return category("tags", s -> {
            List<QueryProbe> probes = new ArrayList<>();
            probes.add(new QueryProbe("tags", "tags with counts (top 100)", """
                    SELECT t.id, t.name, count(ft.file_id) AS files
                      FROM tags t LEFT JOIN file_tags ft ON ft.tag_id = t.id
                     GROUP BY t.id, t.name
                     ORDER BY files DESC, lower(t.name)
                     LIMIT 100""", Map.of()));
            probes.add(new QueryProbe("tags", "files with a tag (first 50)", """
                    SELECT file_id FROM file_tags WHERE tag_id = :tag ORDER BY file_id LIMIT 50""",
                    Map.of("tag", s.tagId() != null ? s.tagId() : 1L)));
            return probes;
        });
    }

    /** All V1 categories in report order. */
    public static List<QueryCategory> all() {
        return List.of(count(), dedupe(), tracks(), details(), tags());
    }

    private static QueryCategory category(String name, java.util.function.Function<ProbeSamples, List<QueryProbe>> probes) {
        return new QueryCategory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<QueryProbe> probes(ProbeSamples samples) {
                return probes.apply(samples);
            }
        };
    }
}
