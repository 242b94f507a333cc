package io.midicatalog.jdbi.internal;

import io.midicatalog.api.TrackBatch;
import io.midicatalog.api.TrackEntry;
import io.midicatalog.api.TrackRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every {@link TrackRepository} shares: argument checks, each id once in asked order, and the
 * answer in asked order with the missing ids named. Implementations load. Not API.
 */
public abstract class TrackLoading implements TrackRepository {
    @Override
    public final Optional<TrackEntry> load(long id) {
        return loadOne(Checks.id(id));
    }

    @Override
    public final TrackBatch load(long... ids) {
        return answer(Checks.ids(ids));
    }

    @Override
    public final TrackBatch load(Collection<Long> ids) {
        return answer(Checks.ids(ids));
    }

    /** One valid id. */
    protected abstract Optional<TrackEntry> loadOne(long id);

    /** Valid ids, each once; returns the entries found, in any order. */
    protected abstract Collection<TrackEntry> loadDistinct(Set<Long> ids);

    private TrackBatch answer(long[] ids) {
        Set<Long> asked = new LinkedHashSet<>();
        for (long id : ids) {
            asked.add(id);
        }
        Collection<TrackEntry> rows = loadDistinct(asked);
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
