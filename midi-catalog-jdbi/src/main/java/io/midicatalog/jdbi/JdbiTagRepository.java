package io.midicatalog.jdbi;

import static io.midicatalog.jdbi.internal.Checks.db;

import io.midicatalog.api.CatalogException;
import io.midicatalog.api.TagCount;
import io.midicatalog.api.TagMatch;
import io.midicatalog.api.TagRepository;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.jdbi.internal.Checks;
import io.midicatalog.jdbi.internal.TagDao;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jspecify.annotations.Nullable;

/** {@link TagRepository} over PostgreSQL; writes report to {@link CatalogChanges} after commit. */
public final class JdbiTagRepository implements TagRepository {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final int ATTEMPTS = 3;

    private final Jdbi jdbi;
    private final TagDao reads;
    private final CatalogChanges changes;

    public JdbiTagRepository(Jdbi jdbi, Jdbi readJdbi, CatalogChanges changes) {
        this.jdbi = jdbi;
        this.reads = readJdbi.onDemand(TagDao.class);
        this.changes = changes;
    }

    @Override
    public int add(Collection<Long> fileIds, Collection<String> tags) {
        long[] ids = Checks.ids(fileIds);
        String[] names = Checks.tags(tags).toArray(String[]::new);
        long[] changed = db("add tags " + Arrays.toString(names) + " to " + ids.length + " files",
                () -> inTransaction(handle -> {
                    TagDao dao = handle.attach(TagDao.class);
                    return dao.addPairs(ids, existingLocked(dao, names));
                }));
        if (changed.length > 0) {
            changes.fileTagsChanged(distinct(changed));
        }
        return changed.length;
    }

    @Override
    public int add(long fileId, String... tags) {
        return add(List.of(Checks.id(fileId)), tagList(tags));
    }

    @Override
    public int remove(Collection<Long> fileIds, Collection<String> tags) {
        long[] ids = Checks.ids(fileIds);
        String[] names = Checks.tags(tags).toArray(String[]::new);
        long[] changed = db("remove tags " + Arrays.toString(names) + " from " + ids.length + " files",
                () -> inTransaction(handle -> {
                    TagDao dao = handle.attach(TagDao.class);
                    long[] tagIds = dao.lockIds(names);
                    return tagIds.length == 0 ? new long[0] : dao.removePairs(ids, tagIds);
                }));
        if (changed.length > 0) {
            changes.fileTagsChanged(distinct(changed));
        }
        return changed.length;
    }

    @Override
    public int remove(long fileId, String... tags) {
        return remove(List.of(Checks.id(fileId)), tagList(tags));
    }

    @Override
    public List<String> tagsOf(long fileId) {
        Checks.id(fileId);
        return db("list the tags of file " + fileId, () -> reads.tagsOf(fileId));
    }

    @Override
    public List<TagCount> withCounts() {
        return db("list tags with counts", reads::withCounts);
    }

    @Override
    public List<TagCount> autocomplete(String prefix, int limit) {
        // a trailing space is typed ("deep " asks for "deep house", not "deeper"); no tag starts with one
        String text = Checks.exact(prefix, "prefix").stripLeading();
        Checks.limit(limit, MAX_LIMIT);
        String pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db("autocomplete tags for '" + text + "'", () -> reads.byPrefix(pattern, limit));
    }

    @Override
    public List<TagMatch> similar(String text, int limit) {
        String value = Checks.text(text, "text");
        Checks.limit(limit, MAX_LIMIT);
        return db("find tags similar to '" + value + "'", () -> reads.similar(value, limit));
    }

    @Override
    public boolean rename(String from, String to) {
        String source = Checks.tag(from);
        String target = Checks.tag(to);
        int renamed;
        try {
            renamed = inTransaction(handle -> handle.attach(TagDao.class).rename(source, target));
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new IllegalArgumentException("a tag named '" + target + "' exists already; merge '"
                        + source + "' into it instead", e);
            }
            throw new CatalogException("could not rename tag '" + source + "': " + e.getMessage(), e);
        } catch (JdbiException e) {
            throw new CatalogException("could not rename tag '" + source + "': " + e.getMessage(), e);
        }
        if (renamed > 0) {
            changes.tagNamesChanged();
        }
        return renamed > 0;
    }

    @Override
    public int merge(Collection<String> sources, String target) {
        List<String> from = Checks.tags(sources);
        String into = Checks.tag(target);
        String lowerInto = into.toLowerCase(Locale.ROOT);
        String[] names = from.stream().filter(s -> !s.toLowerCase(Locale.ROOT).equals(lowerInto)).toArray(String[]::new);
        if (names.length == 0) {
            return 0;
        }
        long @Nullable [] gained = db("merge tags " + from + " into '" + into + "'", () -> inTransaction(handle -> {
            TagDao dao = handle.attach(TagDao.class);
            long[] sourceIds = dao.idsOf(names, into);   // locked first: see there why
            long id = existingLocked(dao, new String[] {into})[0];
            if (sourceIds.length == 0) {
                return null;   // nothing to merge: nothing changed that a reader could see
            }
            long[] copied = dao.copyToTarget(sourceIds, id);
            dao.delete(sourceIds);
            return copied;
        }));
        if (gained == null) {
            return 0;
        }
        if (gained.length > 0) {
            changes.fileTagsChanged(distinct(gained));
        }
        // the source tags vanished from every file that had them
        changes.tagNamesChanged();
        return gained.length;
    }

    /**
     * Runs a write transaction, and again (at most {@value #ATTEMPTS} times in all) when PostgreSQL
     * aborted it to break a deadlock. Writes that lock tags in different orders deadlock now and
     * then (two merges into each other, a merge and an add of its new target, a merge and a
     * rename); the transaction the server picked has rolled back, and the other has gone on, so
     * running it again finishes it.
     */
    private <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(work);
            } catch (JdbiException e) {
                if (attempt == ATTEMPTS || !deadlock(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean deadlock(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && DEADLOCK_DETECTED.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ids of the named tags, created when missing and locked until commit (see
     * {@link TagDao#lockIds}). A merge or rename that commits between the create and the lock
     * takes a tag away; the loop creates it again, so the caller's pairs are never written to a
     * tag that is gone (which dropped them: an add returned 0, or failed on the foreign key).
     */
    private static long[] existingLocked(TagDao dao, String[] names) {
        for (int attempt = 1; ; attempt++) {
            dao.createMissing(names);
            long[] ids = dao.lockIds(names);
            if (ids.length >= names.length || ids.length >= dao.distinctNames(names)) {
                return ids;
            }
            if (attempt == 10) {
                throw new CatalogException("tags " + Arrays.toString(names) + " were deleted as fast as they were"
                        + " created, " + attempt + " times");
            }
        }
    }

    private static List<String> tagList(String[] tags) {
        if (tags == null) {
            throw new IllegalArgumentException("tags must not be null");
        }
        return Arrays.asList(tags);
    }

    private static long[] distinct(long[] ids) {
        return Arrays.stream(ids).distinct().toArray();
    }
}
