package io.midicatalog.diagnostics.internal;

import io.midicatalog.diagnostics.ProbeSamples;
import io.midicatalog.diagnostics.QueryCategory;
import io.midicatalog.diagnostics.QueryProbe;
import io.midicatalog.jdbi.internal.BrowseDao;
import io.midicatalog.jdbi.internal.DetailsDao;
import io.midicatalog.jdbi.internal.TagDao;
import io.midicatalog.jdbi.internal.TrackDao;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Probes of the tracks, details, tags and browse repositories, their SQL read from the DAOs'
 * {@code @SqlQuery} annotations ({@link DaoSql}) and bound under the DAOs' parameter names. Not API.
 */
public final class RepositoryCategories {
    private RepositoryCategories() {}

    public static QueryCategory tracks() {
        return category("track", s -> List.of(
                new QueryProbe("track", "track single", DaoSql.of(TrackDao.class, "load"), Map.of("id", s.firstId())),
                new QueryProbe("track", "track batch of 10", DaoSql.of(TrackDao.class, "loadAll"),
                        Map.of("ids", s.ids(10))),
                new QueryProbe("track", "track batch of 100", DaoSql.of(TrackDao.class, "loadAll"),
                        Map.of("ids", s.ids(100)))));
    }

    public static QueryCategory details() {
        return category("details", s -> List.of(new QueryProbe("details", "details of one file",
                DaoSql.of(DetailsDao.class, "get"), Map.of("id", s.firstId()))));
    }

    public static QueryCategory tags() {
        return category("tags", s -> List.of(
                new QueryProbe("tags", "tags with counts", DaoSql.of(TagDao.class, "withCounts"), Map.of()),
                new QueryProbe("tags", "tags of one file", DaoSql.of(TagDao.class, "tagsOf"), Map.of("fileId", s.firstId())),
                new QueryProbe("tags", "tag autocomplete by prefix", DaoSql.of(TagDao.class, "byPrefix"),
                        Map.of("pattern", "d%", "limit", 20)),
                new QueryProbe("tags", "tag autocomplete by similarity", DaoSql.of(TagDao.class, "similar"),
                        Map.of("text", "drum", "limit", 20))));
    }

    public static QueryCategory browse() {
        return category("browse", s -> List.of(
                new QueryProbe("browse", "manufacturers with counts", DaoSql.of(BrowseDao.class, "manufacturers"), Map.of()),
                new QueryProbe("browse", "recent files", DaoSql.of(BrowseDao.class, "recent"), Map.of("limit", 50))));
    }

    static QueryCategory category(String name, Function<ProbeSamples, List<QueryProbe>> probes) {
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
