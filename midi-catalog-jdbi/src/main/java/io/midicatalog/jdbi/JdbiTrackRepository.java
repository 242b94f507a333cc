package io.midicatalog.jdbi;

import static io.midicatalog.jdbi.internal.Checks.db;

import io.midicatalog.api.TrackBatch;
import io.midicatalog.api.TrackEntry;
import io.midicatalog.api.TrackRepository;
import io.midicatalog.jdbi.internal.Checks;
import io.midicatalog.jdbi.internal.TrackDao;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** {@link TrackRepository} over PostgreSQL: primary key lookups, batches with {@code = ANY}. */
public final class JdbiTrackRepository implements TrackRepository {
    private final TrackDao dao;

    /** @param readJdbi where reads go (a replica if configured) */
    public JdbiTrackRepository(Jdbi readJdbi) {
        this.dao = readJdbi.onDemand(TrackDao.class);
    }

    @Override
    public Optional<TrackEntry> load(long id) {
        Checks.id(id);
        return db("load file " + id, () -> dao.load(id));
    }

    @Override
    public TrackBatch load(long... ids) {
        return loadChecked(Checks.ids(ids));
    }

    @Override
    public TrackBatch load(Collection<Long> ids) {
        return loadChecked(Checks.ids(ids));
    }

    private TrackBatch loadChecked(long[] ids) {
        Set<Long> asked = new LinkedHashSet<>();
        for (long id : ids) {
            asked.add(id);
        }
        long[] distinct = asked.stream().mapToLong(Long::longValue).toArray();
        List<TrackEntry> rows = db("load " + distinct.length + " files", () -> dao.loadAll(distinct));
        return inAskedOrder(asked, rows);
    }

    /** Puts rows in the order of the ids asked and names the ids with no row. */
    public static TrackBatch inAskedOrder(Collection<Long> asked, Collection<TrackEntry> rows) {
        Map<Long, TrackEntry> byId = new HashMap<>(rows.size() * 2);
        for (TrackEntry row : rows) {
            byId.put(row.id(), row);
        }
        List<TrackEntry> found = new ArrayList<>(rows.size());
        List<Long> missing = new ArrayList<>();
        for (Long id : asked) {
            TrackEntry entry = byId.get(id);
            if (entry != null) {
                found.add(entry);
            } else {
                missing.add(id);
            }
        }
        return new TrackBatch(found, missing);
    }
}
