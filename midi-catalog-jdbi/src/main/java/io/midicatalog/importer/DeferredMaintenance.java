package io.midicatalog.importer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ImportOptions.deferIndexes}: while a deferring import runs, the non-unique indexes and the
 * cascading foreign keys of the tables it writes are dropped; at its end they are rebuilt and
 * validated in one transaction (schema V6 describes the table that keeps the recipe).
 *
 * <p>Safety: every dropped object is recorded in {@code import_deferred} in the transaction that
 * drops it, so the catalog always holds either the object or the statement that restores it. A
 * deferring import holds a shared advisory lock on a connection of its own for its whole run; a
 * restore takes the exclusive lock without waiting, so it never rebuilds under a deferring import
 * that still writes: the last deferring import to end restores, and a process that died lets go of
 * its lock with its connection, so the next import or {@code migrate()} restores. While objects are
 * missing, searches answer correctly, only slower; unique indexes and primary keys are never
 * dropped, so duplicates stay out. A foreign key whose parent rows were deleted meanwhile by
 * someone else is repaired as its ON DELETE action would have done (children deleted, or the
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

    /** One dropped object: how to drop it, restore it and, for a foreign key, repair its rows. */
    private record Deferred(String name, String kind, String drop, String restore, @Nullable String repair) {}

    private final Connection session;

    private DeferredMaintenance(Connection session) {
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
                List<Deferred> deferred = new ArrayList<>();
                try (ResultSet rs = s.executeQuery(INDEXES)) {
                    while (rs.next()) {
                        String name = quote(rs.getString(1));
                        deferred.add(new Deferred(rs.getString(1), "index", "DROP INDEX " + name, rs.getString(2), null));
                    }
                }
                try (ResultSet rs = s.executeQuery(FOREIGN_KEYS)) {
                    while (rs.next()) {
                        String name = quote(rs.getString(1));
                        String table = rs.getString(2);
                        String column = quote(rs.getString(5));
                        String orphans = " WHERE " + column + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                                + rs.getString(6) + " p WHERE p." + quote(rs.getString(7)) + " = " + table + "." + column + ")";
                        String repair = rs.getString(4).equals("c") ? "DELETE FROM " + table + orphans
                                : "UPDATE " + table + " SET " + column + " = NULL" + orphans;
                        deferred.add(new Deferred(rs.getString(1), "foreign key",
                                "ALTER TABLE " + table + " DROP CONSTRAINT " + name,
                                "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + rs.getString(3), repair));
                    }
                }
                try (PreparedStatement record = c.prepareStatement(
                        "INSERT INTO import_deferred (name, kind, restore, repair) VALUES (?, ?, ?, ?)")) {
                    for (Deferred d : deferred) {
                        record.setString(1, d.name());
                        record.setString(2, d.kind());
                        record.setString(3, d.restore());
                        record.setString(4, d.repair());
                        record.executeUpdate();
                        s.execute(d.drop());
                    }
                }
                c.commit();
                LOG.info("deferring {} indexes and foreign keys until the import ends", deferred.size());
            }
            return new DeferredMaintenance(c);
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

    /**
     * Ends this import's deferral: lets go of the shared lock and restores, unless another
     * deferring import still runs (it restores when it ends).
     *
     * @throws SQLException when the restore fails (the recipe stays for the next import)
     */
    @Override
    public void close() throws SQLException {
        try (Connection c = session) {
            c.rollback();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_unlock_shared(" + LOCK + ")");
            }
            restore(c);
            try (Statement s = c.createStatement()) {
                s.execute("RESET application_name"); // the connection may go back to a pool
            }
        }
    }

    /** Restores whatever {@code import_deferred} lists, unless a deferring import runs. */
    static void restoreLeftovers(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM import_deferred)")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            restore(c);
        }
    }

    /** Restores in one transaction if the exclusive lock is free; c is in auto-commit. */
    private static void restore(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    LOG.info("a deferring import still runs; it restores the deferred indexes when it ends");
                    return;
                }
            }
            try {
                c.setAutoCommit(false);
                long start = System.nanoTime();
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ", 1)");
                // reads go on; writes wait until the indexes and keys are back
                s.execute("LOCK TABLE files, file_locations, musical_metadata, file_categories, file_instruments"
                        + " IN SHARE MODE");
                List<String[]> restores = new ArrayList<>();
                // indexes first: the foreign keys' checks then run on complete tables
                try (ResultSet rs = s.executeQuery(
                        "DELETE FROM import_deferred RETURNING kind = 'index', name, restore, repair")) {
                    while (rs.next()) {
                        restores.add(new String[] {rs.getBoolean(1) ? "0" : "1", rs.getString(2), rs.getString(3),
                                rs.getString(4)});
                    }
                }
                restores.sort((a, b) -> (a[0] + a[1]).compareTo(b[0] + b[1]));
                for (String[] r : restores) {
                    restoreOne(c, s, r[2], r[3]);
                }
                c.commit();
                if (!restores.isEmpty()) {
                    LOG.info("restored {} deferred indexes and foreign keys in {} s", restores.size(),
                            String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        }
    }

    /** Runs a restore; a foreign key that finds orphans (23503) is repaired and added again. */
    private static void restoreOne(Connection c, Statement s, String restore, @Nullable String repair)
            throws SQLException {
        if (repair == null) {
            s.execute(restore);
            return;
        }
        s.execute("SAVEPOINT restore_key");
        try {
            s.execute(restore);
        } catch (SQLException e) {
            if (!"23503".equals(e.getSQLState())) {
                throw e;
            }
            s.execute("ROLLBACK TO SAVEPOINT restore_key");
            int repaired = s.executeUpdate(repair);
            LOG.info("{} rows lost their parent while a foreign key was deferred; repaired ({})", repaired, repair);
            s.execute(restore);
        }
        s.execute("RELEASE SAVEPOINT restore_key");
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
