package io.midicatalog.jdbi.internal;

import io.midicatalog.api.CollectionCount;
import io.midicatalog.api.NameCount;
import io.midicatalog.api.RecentFile;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Browse lists: sums of the delta rows of browse_counts (V4; browse_counts_dimension serves each). Not API. */
@RegisterConstructorMapper(NameCount.class)
@RegisterConstructorMapper(CollectionCount.class)
@RegisterConstructorMapper(BrowseDao.CodeCount.class)
@RegisterConstructorMapper(BrowseDao.MeterCount.class)
@RegisterConstructorMapper(RecentFile.class)
public interface BrowseDao {
    record CodeCount(int code, long files) {}

    record MeterCount(int numerator, int denominator, long files) {}

    @SqlQuery("""
            SELECT a AS name, sum(files)::bigint AS files FROM browse_counts
             WHERE dimension = 'manufacturer' GROUP BY a HAVING sum(files) > 0 ORDER BY a""")
    List<NameCount> manufacturers();

    @SqlQuery("""
            SELECT nullif(a, '') AS manufacturer, b AS collection, sum(files)::bigint AS files FROM browse_counts
             WHERE dimension = 'collection' GROUP BY a, b HAVING sum(files) > 0 ORDER BY a, b""")
    List<CollectionCount> collections();

    @SqlQuery("""
            SELECT a AS manufacturer, b AS collection, sum(files)::bigint AS files FROM browse_counts
             WHERE dimension = 'collection' AND a = :manufacturer GROUP BY a, b HAVING sum(files) > 0 ORDER BY b""")
    List<CollectionCount> collections(String manufacturer);

    @SqlQuery("""
            SELECT a::int AS code, sum(files)::bigint AS files FROM browse_counts
             WHERE dimension = :dimension GROUP BY a HAVING sum(files) > 0 ORDER BY a::int""")
    List<CodeCount> codes(String dimension);

    @SqlQuery("""
            SELECT a::int AS numerator, b::int AS denominator, sum(files)::bigint AS files FROM browse_counts
             WHERE dimension = 'time_signature' GROUP BY a, b HAVING sum(files) > 0
             ORDER BY files DESC, a::int, b::int""")
    List<MeterCount> timeSignatures();

    // serves by files_created (created_at, id), read backwards
    @SqlQuery("""
            SELECT id, filepath AS path, filename, manufacturer, collection, created_at AS imported_at
              FROM files ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<RecentFile> recent(int limit);
}
