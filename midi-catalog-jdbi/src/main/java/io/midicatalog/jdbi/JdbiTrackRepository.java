package io.midicatalog.jdbi;

import static io.midicatalog.jdbi.internal.Checks.db;

import io.midicatalog.api.TrackEntry;
import io.midicatalog.api.TrackRepository;
import io.midicatalog.jdbi.internal.TrackDao;
import io.midicatalog.jdbi.internal.TrackEntryMapper;
import io.midicatalog.jdbi.internal.TrackLoading;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** {@link TrackRepository} over PostgreSQL: primary key lookups, batches with {@code = ANY}. */
public final class JdbiTrackRepository extends TrackLoading {
    private static final TrackEntryMapper MAPPER = new TrackEntryMapper();

    private final Jdbi readJdbi;
    private final TrackDao dao;

    /** @param readJdbi where reads go (a replica if configured) */
    public JdbiTrackRepository(Jdbi readJdbi) {
        this.readJdbi = readJdbi;
        this.dao = readJdbi.onDemand(TrackDao.class);
    }

    /** Fluent API, not the SqlObject proxy: the hottest call of all (see JdbiFileDetailsRepository). */
    @Override
    protected Optional<TrackEntry> loadOne(long id) {
        return db("load file " + id, () -> readJdbi.withHandle(handle ->
                handle.createQuery(TrackDao.BY_ID).bind("id", id).map(MAPPER).findOne()));
    }

    @Override
    protected Collection<TrackEntry> loadDistinct(Set<Long> ids) {
        long[] distinct = ids.stream().mapToLong(Long::longValue).toArray();
        return db("load " + distinct.length + " files", () -> dao.loadAll(distinct));
    }
}
