package io.midicatalog.importer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ImportOptions.deferIndexes}: while a deferring import runs, the non-unique indexes and the
 * cascading foreign keys of the tables it writes are dropped and the insert count triggers of files
 * disabled; at its end the triggers are enabled, the indexes rebuilt and the counts recounted from
 * every file, the keys validated and files and file_locations analysed (on two connections: the
 * machine is otherwise idle then).
 * Schema V6 describes the table that keeps the recipe.
 *
 * <p>Safety: every object is recorded in {@code import_deferred} in the transaction that drops or
 * disables it, and each is restored in a transaction that also deletes its row, so the catalog
 * always holds either the object or the statement that restores it. A deferring import holds a
 * shared advisory lock on a connection of its own for its whole run; a restore takes the exclusive
 * lock without waiting, so it never rebuilds under a deferring import that still writes: the last
 * deferring import to end restores, and a process that died lets go of its lock with its
 * connection, so the next import or {@code migrate()} restores. While objects are missing,
 * searches find the right files, only slower, and plan on counts that lag; unique indexes and
 * primary keys are never dropped, so duplicates stay out. A foreign key whose parent rows someone
 * deleted meanwhile is repaired as its ON DELETE action would have done (children deleted, or the
 * reference set to null) before it is added back.
 */
final class DeferredMaintenance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredMaintenance.class);
    /** How the connection holding a deferral shows in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "midi-catalog import deferral";
    private static final String LOCK = "hashtext('midi_catalog.import_deferred')";

    /** The tables an import writes. */
    private static final String TABLES =
            "('files'::regclass, 'file_locations'::regclass, 'musical_metadata'::regclass, 'file_categories'::regclass,"
            + " 'file_instruments'::regclass)";

    // not unique, not a key, not backing a constraint: duplicates stay out
    private static final String INDEXES = """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid IN %s
           AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
         ORDER BY c.relname""".formatted(TABLES);

    // single-column keys whose ON DELETE action (cascade, set null) can be caught up afterwards
    private static final String FOREIGN_KEYS = """
        SELECT k.conname, k.conrelid::regclass::text, pg_get_constraintdef(k.oid), k.confdeltype,
               a.attname, k.confrelid::regclass::text, r.attname
          FROM pg_constraint k
          JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
          JOIN pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
         WHERE k.contype = 'f' AND k.conrelid IN %s
           AND cardinality(k.conkey) = 1 AND k.confdeltype IN ('c', 'n')
         ORDER BY k.conname""".formatted(TABLES);

    /**
     * The insert count triggers of files (V2, V4), which run once per written batch, and the V6
     * functions that recount their tables from every file instead.
     */
    private static final List<List<String>> COUNT_TRIGGERS = List.of(
            List.of("files_search_counts_insert", "search_counts_rebuild"),
            List.of("files_browse_counts_insert", "browse_counts_rebuild"));

    /** Tables whose statistics a restore refreshes: the ones searches filter on (see ImportRun). */
    private static final List<String> ANALYZE = List.of("files", "file_locations");

    /** An index on files ({@code pg_get_indexdef} text), whose build takes a SHARE lock on it. */
    private static final java.util.regex.Pattern ON_FILES =
            java.util.regex.Pattern.compile(" ON (?:ONLY )?(?:[^ ]+\\.)?\"?files\"? USING ");
    /** A foreign key of files itself, whose check locks files as ANALYZE does. */
    private static final java.util.regex.Pattern OF_FILES =
            java.util.regex.Pattern.compile("^ALTER TABLE (?:[^ ]+\\.)?\"?files\"? ADD CONSTRAINT ");

    /**
     * One deferred object. Restored in this order: triggers (so that the recounts after them
     * replace whatever the triggers count meanwhile) and foreign keys added back unchecked (NOT
     * VALID, quick); the check of the keys of files itself (it locks files as ANALYZE does, so it
     * would only wait beside it); then, on two connections, the statistics of files and
     * file_locations beside the other key checks and the indexes of the other tables (none of
     * these locks out another: a key check locks its parent only against exclusive locks); then,
     * on two connections, the indexes of files and the recounts (they share files in SHARE mode,
     * which ANALYZE could not join).
     *
     * @param drop the statement that defers it (at the start only; a count has none)
     * @param repair for a foreign key: what its ON DELETE action would have done to rows whose
     *     parent went meanwhile
     */
    private record Deferred(String name, String kind, @Nullable String drop, String restore, @Nullable String repair) {
        int phase() {
            return switch (kind) {
                case "trigger" -> 0;
                case "foreign key" -> OF_FILES.matcher(restore).find() ? 1 : 2;
                case "analyze" -> 2;
                case "index" -> ON_FILES.matcher(restore).find() ? 3 : 2;
                default -> 3;
            };
        }

        /** Longest first within a parallel phase (statistics of files, recounts, GIN builds), as measured. */
        int weight() {
            if (kind.equals("analyze")) {
                return ANALYZE.indexOf(name.substring("ANALYZE ".length())) - ANALYZE.size();
            }
            return kind.equals("count") ? 0 : restore.contains(" USING gin ") ? 1 : 2;
        }

        /** The statement that checks a foreign key added back NOT VALID. */
        String validate() {
            return restore.substring(0, restore.indexOf(" ADD CONSTRAINT ")) + " VALIDATE CONSTRAINT " + quote(name);
        }
    }

    private final DataSource dataSource;
    private final Connection session;
    private boolean analysed;

    private DeferredMaintenance(DataSource dataSource, Connection session) {
        this.dataSource = dataSource;
        this.session = session;
    }

    /**
     * Starts deferring on a connection of its own (held until {@link #close()}): takes the shared
     * lock, then drops what is not dropped yet (another deferring import may have done it).
     */
    static DeferredMaintenance begin(DataSource dataSource) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                // named so that whoever looks at pg_stat_activity or pg_locks sees who holds the lock
                s.execute("SET application_name = '" + APPLICATION_NAME + "'");
                s.execute("SELECT pg_advisory_lock_shared(" + LOCK + ")");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // one deferral or restore at a time changes the schema
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ", 1)");
                List<Deferred> deferred = deferrable(c, s);
                try (PreparedStatement record = c.prepareStatement(
                        // a row left by a restore that died keeps its recipe
                        "INSERT INTO import_deferred (name, kind, restore, repair) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    for (Deferred d : deferred) {
                        record.setString(1, d.name());
                        record.setString(2, d.kind());
                        record.setString(3, d.restore());
                        record.setString(4, d.repair());
                        record.executeUpdate();
                        if (d.drop() != null) {
                            s.execute(d.drop());
                        }
                    }
                }
                c.commit();
                LOG.info("deferring {} indexes, foreign keys and counts until the import ends", deferred.size());
            }
            return new DeferredMaintenance(dataSource, c);
        } catch (SQLException | RuntimeException e) {
            try (c) {
                // a pooled connection keeps session locks and settings: give them back first
                c.rollback();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock_shared(" + LOCK + ")");
                    s.execute("RESET application_name");
                }
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** What is there to defer now: indexes, keys and enabled count triggers. */
    private static List<Deferred> deferrable(Connection c, Statement s) throws SQLException {
        List<Deferred> deferred = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(INDEXES)) {
            while (rs.next()) {
                deferred.add(new Deferred(rs.getString(1), "index", "DROP INDEX " + quote(rs.getString(1)),
                        rs.getString(2), null));
            }
        }
        try (ResultSet rs = s.executeQuery(FOREIGN_KEYS)) {
            while (rs.next()) {
                String name = quote(rs.getString(1));
                String table = rs.getString(2);
                String column = quote(rs.getString(5));
                String orphans = " WHERE " + column + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + rs.getString(6)
                        + " p WHERE p." + quote(rs.getString(7)) + " = " + table + "." + column + ")";
                String repair = rs.getString(4).equals("c") ? "DELETE FROM " + table + orphans
                        : "UPDATE " + table + " SET " + column + " = NULL" + orphans;
                deferred.add(new Deferred(rs.getString(1), "foreign key", "ALTER TABLE " + table + " DROP CONSTRAINT " + name,
                        "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + rs.getString(3), repair));
            }
        }
        try (PreparedStatement p = c.prepareStatement("""
                SELECT 1 FROM pg_trigger WHERE tgrelid = 'files'::regclass AND tgname = ? AND tgenabled <> 'D'""")) {
            for (List<String> trigger : COUNT_TRIGGERS) {
                p.setString(1, trigger.get(0));
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        String name = quote(trigger.get(0));
                        deferred.add(new Deferred(trigger.get(0), "trigger", "ALTER TABLE files DISABLE TRIGGER " + name,
                                "ALTER TABLE files ENABLE TRIGGER " + name, null));
                        deferred.add(new Deferred(trigger.get(1), "count", null, "SELECT " + trigger.get(1) + "()", null));
                    }
                }
            }
        }
        return deferred;
    }

    /**
     * Ends this import's deferral: lets go of the shared lock and restores, unless another
     * deferring import still runs (it restores when it ends).
     *
     * @throws SQLException when the restore fails (what is not restored stays for the next import)
     */
    @Override
    public void close() throws SQLException {
        try (Connection c = session) {
            c.rollback();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_unlock_shared(" + LOCK + ")");
            }
            analysed = restore(dataSource, c);
            try (Statement s = c.createStatement()) {
                s.execute("RESET application_name"); // the connection may go back to a pool
            }
        }
    }

    /** {@link #close()} restored, and so analysed files and file_locations (no need to again). */
    boolean analysed() {
        return analysed;
    }

    /**
     * Restores whatever {@code import_deferred} lists, unless a deferring import runs. Does nothing
     * on a schema older than the table (a new database before its first migration).
     */
    static void restoreLeftovers(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT to_regclass('import_deferred') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM import_deferred)")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            restore(dataSource, c);
        }
    }

    /**
     * Restores everything if the exclusive lock is free; c is in auto-commit and holds the lock
     * meanwhile. True when it restored something, and so analysed files and file_locations.
     */
    private static boolean restore(DataSource dataSource, Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    LOG.info("a deferring import still runs; it restores the deferred indexes when it ends");
                    return false;
                }
            }
            try {
                long start = System.nanoTime();
                List<Deferred> all = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT name, kind, restore, repair FROM import_deferred")) {
                    while (rs.next()) {
                        all.add(new Deferred(rs.getString(1), rs.getString(2), null, rs.getString(3), rs.getString(4)));
                    }
                }
                for (Deferred d : all.stream().filter(d -> d.phase() == 0).toList()) {
                    restoreOne(c, d);
                }
                for (Deferred d : all.stream().filter(d -> d.kind().equals("foreign key")).toList()) {
                    addUnchecked(c, d);
                }
                boolean analyse = !all.isEmpty();
                if (analyse) {
                    // a deferred load leaves the statistics behind: refreshed here, beside the key checks
                    for (String table : ANALYZE) {
                        all.add(new Deferred("ANALYZE " + table, "analyze", null,
                                table.equals("files") ? ImportRun.ANALYZE_FILES : "ANALYZE " + table, null));
                    }
                }
                for (int phase = 1; phase <= 3; phase++) {
                    int p = phase;
                    List<Deferred> now = new ArrayList<>(all.stream().filter(d -> d.phase() == p).toList());
                    now.sort(Comparator.comparingInt(Deferred::weight).thenComparing(Deferred::name));
                    if (now.size() > 1) {
                        inParallel(dataSource, c, now);
                    } else {
                        for (Deferred d : now) {
                            restoreOne(c, d);
                        }
                    }
                }
                if (analyse) {
                    LOG.info("restored {} deferred indexes, foreign keys and counts, and analysed, in {} s",
                            all.size() - ANALYZE.size(),
                            String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
                }
                return analyse;
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        }
    }

    /**
     * Adds a foreign key back without checking the rows (quick; checked in the parallel phase by
     * {@link Deferred#validate}), unless a restore that died did so already. Its row stays.
     */
    private static void addUnchecked(Connection c, Deferred d) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_constraint WHERE conname = ? AND contype = 'f'")) {
            p.setString(1, d.name());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute(d.restore() + " NOT VALID");
        }
    }

    /** Restores on c and on a second connection at once (on c alone when none is to be had). */
    private static void inParallel(DataSource dataSource, Connection c, List<Deferred> work) throws SQLException {
        Queue<Deferred> queue = new ConcurrentLinkedQueue<>(work);
        AtomicReference<@Nullable SQLException> failure = new AtomicReference<>();
        Thread helper = new Thread(() -> {
            try (Connection second = dataSource.getConnection()) {
                second.setAutoCommit(true);
                drain(second, queue, failure);
            } catch (SQLException e) {
                LOG.debug("no second connection for the restore; one does it all", e);
            }
        }, "midi-import-restore");
        helper.setDaemon(true);
        helper.start();
        drain(c, queue, failure);
        try {
            helper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while restoring deferred indexes", "57014", e);
        }
        SQLException first = failure.get();
        if (first != null) {
            throw first;
        }
    }

    private static void drain(Connection c, Queue<Deferred> queue, AtomicReference<@Nullable SQLException> failure) {
        for (Deferred d = queue.poll(); d != null && failure.get() == null; d = queue.poll()) {
            try {
                restoreOne(c, d);
            } catch (SQLException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /**
     * Restores one object in a transaction that also deletes its row. A recount holds off writers
     * to files meanwhile; a foreign key that finds orphans (23503) is repaired and added again.
     */
    private static void restoreOne(Connection c, Deferred d) throws SQLException {
        long start = System.nanoTime();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            if (d.kind().equals("count")) {
                s.execute("LOCK TABLE files IN SHARE MODE");
            }
            // a foreign key is there already, unchecked (see addUnchecked)
            String sql = d.kind().equals("foreign key") ? d.validate() : d.restore();
            if (d.repair() == null) {
                s.execute(sql);
            } else {
                s.execute("SAVEPOINT restore_key");
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    if (!"23503".equals(e.getSQLState())) {
                        throw e;
                    }
                    s.execute("ROLLBACK TO SAVEPOINT restore_key");
                    int repaired = s.executeUpdate(d.repair());
                    LOG.info("{} rows lost their parent while {} was deferred; repaired as its ON DELETE action would",
                            repaired, d.name());
                    s.execute(sql);
                }
            }
            try (PreparedStatement done = c.prepareStatement("DELETE FROM import_deferred WHERE name = ?")) {
                done.setString(1, d.name());
                done.executeUpdate();
            }
            c.commit();
            LOG.debug("restored {} in {} ms", d.name(), (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
