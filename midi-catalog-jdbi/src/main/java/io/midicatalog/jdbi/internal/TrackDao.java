package io.midicatalog.jdbi.internal;

import io.midicatalog.api.TrackEntry;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Track entries by primary key. Not API. */
@RegisterRowMapper(TrackEntryMapper.class)
public interface TrackDao {
    /** The columns {@link TrackEntryMapper} reads, in its order. */
    String COLUMNS = """
            id, filepath AS path, filename, format, num_tracks AS tracks, ticks_per_quarter AS division,
            smpte, duration_seconds, duration_ticks, missing_since IS NOT NULL AS missing""";

    /** One track by id; the repository runs it through the fluent API (see there why). */
    String BY_ID = "SELECT " + COLUMNS + " FROM files WHERE id = :id";

    @SqlQuery(BY_ID)
    Optional<TrackEntry> load(long id);

    /** Rows in no particular order; the repository puts them in the order asked. */
    @SqlQuery("SELECT " + COLUMNS + " FROM files WHERE id = ANY(:ids)")
    List<TrackEntry> loadAll(long[] ids);
}
