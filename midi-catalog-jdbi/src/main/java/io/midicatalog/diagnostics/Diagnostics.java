package io.midicatalog.diagnostics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.midicatalog.api.CatalogException;
import io.midicatalog.diagnostics.internal.PlanAnalyzer;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * Diagnostics of one catalog: {@code catalog.diagnostics()}. Every method reads statistics views
 * or runs EXPLAIN ANALYZE of read queries in a read-only transaction that is rolled back, so it
 * never changes data; the maintenance methods ({@link #analyze()}, {@link #reindexBloated(double)},
 * {@link #vacuum(String)}) are the only ones that act, and only when called.
 * Thread-safe. Each call costs a few catalog queries (a full {@link #report} about a second on a
 * 20,000-file catalog, most of it the EXPLAINs).
 */
public final class Diagnostics {
    private static final List<String> SETTINGS = List.of("shared_buffers", "work_mem", "maintenance_work_mem",
            "effective_cache_size", "max_connections", "random_page_cost", "max_parallel_workers_per_gather",
            "max_parallel_workers", "max_worker_processes", "plan_cache_mode", "shared_preload_libraries",
            "synchronous_commit", "autovacuum");
    private static final long MIB = 1024L * 1024;

    private final Jdbi jdbi;
    private final Jdbi readJdbi;
    private final DataSource dataSource;
    private final Supplier<List<QueryCategory>> categories;
    private final Supplier<List<CacheStats>> caches;
    private final @Nullable SlowQueryLog slowQueryLog;

    /**
     * Wiring for MidiCatalog; applications get the instance from {@code catalog.diagnostics()}.
     *
     * @param categories the catalog's query categories, asked at each report (parts of the library add theirs)
     * @param caches the catalog's cache statistics, empty when it has no cache
     */
    public Diagnostics(Jdbi jdbi, Jdbi readJdbi, DataSource dataSource, Supplier<List<QueryCategory>> categories,
                       Supplier<List<CacheStats>> caches, @Nullable SlowQueryLog slowQueryLog) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.readJdbi = Objects.requireNonNull(readJdbi, "readJdbi");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.categories = Objects.requireNonNull(categories, "categories");
        this.caches = Objects.requireNonNull(caches, "caches");
        this.slowQueryLog = slowQueryLog;
    }

    /**
     * The whole report: statistics, top statements, EXPLAIN of every query category, pool, caches,
     * settings, every finding and the health score.
     *
     * @throws CatalogException when the database cannot be read
     */
    public DiagnosticsReport report(DiagnosticsOptions options) {
        Objects.requireNonNull(options, "options");
        DatabaseStatistics statistics = statistics(options.longRunningThreshold());
        TopStatements top = topStatements(options.topStatements(), options.installPgStatStatements());
        List<QueryPlan> plans = new ArrayList<>();
        if (options.explain()) {
            List<QueryCategory> all = new ArrayList<>(categories.get());
            all.addAll(options.extraCategories());
            for (QueryProbe probe : probes(all, samples())) {
                plans.add(explain(probe, options.largeTableRows()));
            }
        }
        PoolMetrics pool = pool();
        List<CacheStats> cacheStats = caches.get();
        ServerSettings settings = settings();

        List<Finding> findings = new ArrayList<>(statisticsFindings(statistics, options.largeTableRows()));
        findings.addAll(statementFindings(top));
        plans.forEach(p -> findings.addAll(p.findings()));
        findings.addAll(poolFindings(pool));
        findings.addAll(cacheFindings(cacheStats));
        findings.addAll(settingsFindings(settings));
        findings.sort(Comparator.comparing(Finding::severity).reversed());
        return new DiagnosticsReport(Instant.now(), HealthScore.of(findings), HealthScore.FORMULA, statistics, top,
                plans, pool, cacheStats, settings, findings);
    }

    /** Size, tables, indexes, connections and statements running longer than {@code longRunning}. */
    public DatabaseStatistics statistics(Duration longRunning) {
        Objects.requireNonNull(longRunning, "longRunning");
        return withHandle(jdbi, "read database statistics", handle -> {
            String database = handle.createQuery("SELECT current_database()").mapTo(String.class).one();
            long size = handle.createQuery("SELECT pg_database_size(current_database())").mapTo(Long.class).one();
            List<TableStats> tables = handle.createQuery("""
                    SELECT s.relname, s.n_live_tup, s.n_dead_tup, pg_total_relation_size(s.relid) AS total,
                           pg_relation_size(s.relid) AS heap, coalesce(s.seq_scan, 0) AS seq_scan,
                           coalesce(s.idx_scan, 0) AS idx_scan, c.reltuples,
                           to_char(greatest(s.last_analyze, s.last_autoanalyze) AT TIME ZONE 'UTC',
                                   'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_analyzed,
                           (SELECT sum(st.avg_width) FROM pg_stats st
                             WHERE st.schemaname = s.schemaname AND st.tablename = s.relname) AS row_width
                      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
                     WHERE s.schemaname = current_schema()
                     ORDER BY total DESC, s.relname""")
                    .map((rs, ctx) -> {
                        long live = rs.getLong("n_live_tup");
                        long dead = rs.getLong("n_dead_tup");
                        long heap = rs.getLong("heap");
                        double width = rs.getDouble("row_width");
                        boolean known = !rs.wasNull() && heap >= 10 * 8192L && rs.getDouble("reltuples") > 0;
                        // heap tuple: 23-byte header + alignment, 4-byte line pointer, ~24 bytes page header per 8 kB
                        double expected = rs.getDouble("reltuples") * (width + 28) * 8192.0 / (8192 - 24);
                        double bloat = known ? Math.max(0, 1 - expected / heap) : -1;
                        return new TableStats(rs.getString("relname"), live, dead,
                                live + dead == 0 ? 0 : (double) dead / (live + dead), rs.getLong("total"), heap,
                                rs.getLong("seq_scan"), rs.getLong("idx_scan"), bloat, rs.getString("last_analyzed"));
                    }).list();
            List<IndexStats> indexes = handle.createQuery("""
                    SELECT s.relname, s.indexrelname, pg_relation_size(s.indexrelid) AS size,
                           coalesce(s.idx_scan, 0) AS idx_scan, i.indisunique OR i.indisprimary AS uniq,
                           pg_get_indexdef(s.indexrelid) AS def, c.reltuples, am.amname,
                           0 = ANY (i.indkey::int2[]) OR i.indexprs IS NOT NULL AS has_expression,
                           (SELECT sum(st.avg_width) FROM pg_attribute a
                              JOIN pg_stats st ON st.schemaname = s.schemaname AND st.tablename = s.relname
                                               AND st.attname = a.attname
                             WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])) AS key_width
                      FROM pg_stat_user_indexes s
                      JOIN pg_index i ON i.indexrelid = s.indexrelid
                      JOIN pg_class c ON c.oid = s.indexrelid
                      JOIN pg_am am ON am.oid = c.relam
                     WHERE s.schemaname = current_schema()
                     ORDER BY size DESC, s.indexrelname""")
                    .map((rs, ctx) -> {
                        long bytes = rs.getLong("size");
                        double width = rs.getDouble("key_width");
                        boolean known = !rs.wasNull() && "btree".equals(rs.getString("amname"))
                                && !rs.getBoolean("has_expression") && bytes >= 64 * 8192L;
                        // btree leaf tuple: 8-byte header + 4-byte line pointer, leaves filled to 90 %
                        double expected = rs.getDouble("reltuples") * (width + 12) / 0.9;
                        double bloat = known ? Math.max(0, 1 - expected / bytes) : -1;
                        return new IndexStats(rs.getString("relname"), rs.getString("indexrelname"), bytes,
                                rs.getLong("idx_scan"), rs.getBoolean("uniq"), bloat, rs.getString("def"));
                    }).list();
            Map<String, Integer> connections = new LinkedHashMap<>();
            handle.createQuery("""
                    SELECT coalesce(state, 'unknown') AS state, count(*) AS n FROM pg_stat_activity
                     WHERE datname = current_database() GROUP BY 1 ORDER BY 1""")
                    .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getInt("n")))
                    .forEach(e -> connections.put(e.getKey(), e.getValue()));
            List<RunningQuery> running = handle.createQuery("""
                    SELECT pid, coalesce(state, 'unknown') AS state,
                           (extract(epoch FROM clock_timestamp() - query_start) * 1000)::bigint AS millis,
                           left(coalesce(query, ''), 200) AS query
                      FROM pg_stat_activity
                     WHERE datname = current_database() AND state IS DISTINCT FROM 'idle'
                       AND pid <> pg_backend_pid() AND query_start < clock_timestamp() - :threshold * interval '1 millisecond'
                     ORDER BY millis DESC LIMIT 20""")
                    .bind("threshold", longRunning.toMillis())
                    .map((rs, ctx) -> new RunningQuery(rs.getInt("pid"), rs.getString("state"), rs.getLong("millis"),
                            rs.getString("query"))).list();
            return new DatabaseStatistics(database, size, tables, indexes, connections, running);
        });
    }

    /**
     * The slowest statements by mean time from {@code pg_stat_statements}, or why they cannot be read.
     *
     * @param install create the extension when it is preloaded but missing: only for a database you
     *     created (it changes the database)
     */
    public TopStatements topStatements(int limit, boolean install) {
        if (limit < 0 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 0-1000: " + limit);
        }
        return withHandle(jdbi, "read pg_stat_statements", handle -> {
            // pg_settings hides shared_preload_libraries from roles without pg_read_all_settings
            // (current_setting would fail the whole report): unknown then, and reading the view decides.
            Optional<String> libraries = handle.createQuery(
                    "SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'").mapTo(String.class).findOne();
            boolean preloaded = libraries.map(l -> l.contains("pg_stat_statements")).orElse(true);
            boolean installed = installed(handle);
            if (!preloaded) {
                return new TopStatements(TopStatements.Status.NOT_PRELOADED,
                        "pg_stat_statements is not preloaded: add shared_preload_libraries = 'pg_stat_statements' to"
                                + " postgresql.conf (or ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'),"
                                + " restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements; in this database",
                        List.of());
            }
            if (!installed && install) {
                try {
                    handle.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                    installed = installed(handle);
                } catch (JdbiException e) {
                    return new TopStatements(TopStatements.Status.NO_PERMISSION,
                            "could not create the extension (" + e.getMessage().lines().findFirst().orElse("")
                                    + "): ask a database owner to run CREATE EXTENSION pg_stat_statements;", List.of());
                }
            }
            if (!installed) {
                return new TopStatements(TopStatements.Status.NOT_INSTALLED,
                        (libraries.isPresent() ? "pg_stat_statements is preloaded but not installed in this database: run"
                                : "pg_stat_statements is not installed in this database (whether it is preloaded is"
                                        + " hidden from this role, which lacks pg_read_all_settings): run")
                                + " CREATE EXTENSION pg_stat_statements; as its owner (the profiler does this only"
                                + " for databases it created, or when asked to)", List.of());
            }
            try {
                List<StatementStats> rows = handle.createQuery("""
                        SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 200) AS query, calls,
                               total_exec_time, mean_exec_time, stddev_exec_time, rows
                          FROM pg_stat_statements
                         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                         ORDER BY mean_exec_time DESC
                         LIMIT :limit""")
                        .bind("limit", limit)
                        .map((rs, ctx) -> new StatementStats(rs.getString("query"), rs.getLong("calls"),
                                rs.getDouble("total_exec_time"), rs.getDouble("mean_exec_time"),
                                rs.getDouble("stddev_exec_time"), rs.getLong("rows"))).list();
                return new TopStatements(TopStatements.Status.AVAILABLE,
                        "since the last pg_stat_statements_reset(); statements of all users of this database", rows);
            } catch (JdbiException e) {
                String reason = e.getMessage().lines().findFirst().orElse("");
                // installed but not preloaded (the setting was hidden): object_not_in_prerequisite_state,
                // whatever language the server's messages are in
                if (e.getCause() instanceof java.sql.SQLException sql && "55000".equals(sql.getSQLState())) {
                    return new TopStatements(TopStatements.Status.NOT_PRELOADED, "pg_stat_statements is installed but"
                            + " not preloaded: add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf"
                            + " and restart PostgreSQL", List.of());
                }
                return new TopStatements(TopStatements.Status.NO_PERMISSION, "pg_stat_statements could not be read: "
                        + reason, List.of());
            }
        });
    }

    private static boolean installed(Handle handle) {
        return handle.createQuery("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")
                .mapTo(Integer.class).one() > 0;
    }

    /** The probes of the catalog's own query categories for these samples (a load test can replay them). */
    public List<QueryProbe> probes(ProbeSamples samples) {
        return probes(categories.get(), samples);
    }

    private static List<QueryProbe> probes(List<QueryCategory> categories, ProbeSamples samples) {
        Objects.requireNonNull(samples, "samples");
        List<QueryProbe> probes = new ArrayList<>();
        for (QueryCategory category : categories) {
            probes.addAll(category.probes(samples));
        }
        return probes;
    }

    /** Real values to probe with: ids from the middle of the table, a hash, frequent and rare words, a tag. */
    public ProbeSamples samples() {
        return withHandle(readJdbi, "sample probe values", handle -> {
            long count = handle.createQuery("SELECT count(*) FROM files").mapTo(Long.class).one();
            List<Long> ids = handle.createQuery("""
                    SELECT id FROM files WHERE id >= (SELECT (min(id) + max(id)) / 2 FROM files) ORDER BY id LIMIT 100""")
                    .mapTo(Long.class).list();
            byte[] hash = ids.isEmpty() ? null : handle.createQuery("SELECT content_hash FROM files WHERE id = :id")
                    .bind("id", ids.get(0)).mapTo(byte[].class).findOne().orElse(null);
            List<String> words = handle.createQuery("""
                    SELECT w FROM (SELECT unnest(string_to_array(name_words, ' ')) AS w FROM files LIMIT 5000) s
                     WHERE length(w) > 2 GROUP BY w ORDER BY count(*) DESC, w""").mapTo(String.class).list();
            Long tag = handle.createQuery("SELECT tag_id FROM file_tags GROUP BY tag_id ORDER BY count(*) DESC, tag_id LIMIT 1")
                    .mapTo(Long.class).findOne().orElse(null);
            return new ProbeSamples(ids, hash, words.isEmpty() ? null : words.get(0),
                    words.isEmpty() ? null : words.get(words.size() - 1), tag, count);
        });
    }

    /**
     * {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)} of one read query with its findings, run in a
     * read-only transaction that is rolled back, under the probe's planner settings (set locally
     * in that transaction). A query that fails yields a plan with its error.
     */
    public QueryPlan explain(QueryProbe probe, long largeTableRows) {
        Objects.requireNonNull(probe, "probe");
        if (largeTableRows < 1) {
            throw new IllegalArgumentException("largeTableRows must be positive: " + largeTableRows);
        }
        String json;
        try (Handle handle = readJdbi.open()) {
            handle.begin();
            try {
                handle.execute("SET TRANSACTION READ ONLY");
                for (var setting : probe.settings().entrySet()) {
                    handle.createQuery("SELECT set_config(:name, :value, true)")
                            .bind("name", setting.getKey()).bind("value", setting.getValue()).mapTo(String.class).one();
                }
                json = handle.createQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + probe.sql())
                        .bindMap(probe.bindings()).mapTo(String.class).one();
            } finally {
                handle.rollback();
            }
        } catch (JdbiException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            Finding failed = new Finding(Severity.CRITICAL, "plan", probe.name(), "EXPLAIN failed: " + message,
                    "the query the library runs does not work on this database: is the schema current (migrate)?",
                    null);
            return new QueryPlan(probe.category(), probe.name(), probe.sql(), 0, 0, List.of(), List.of(failed), "[]",
                    message);
        }
        PlanAnalyzer.Result result = PlanAnalyzer.analyze(probe.name(), json, largeTableRows);
        return new QueryPlan(probe.category(), probe.name(), probe.sql(), result.planningMillis(),
                result.executionMillis(), result.nodes(), result.findings(), json, null);
    }

    /** HikariCP pool state now (available only when the catalog's DataSource is a HikariCP pool). */
    public PoolMetrics pool() {
        if (!(dataSource instanceof HikariDataSource hikari)) {
            return PoolMetrics.unavailable(dataSource.getClass().getName());
        }
        HikariPoolMXBean bean = hikari.getHikariPoolMXBean();
        if (bean == null) {
            return PoolMetrics.unavailable(String.valueOf(hikari.getPoolName()));
        }
        return new PoolMetrics(true, String.valueOf(hikari.getPoolName()), bean.getActiveConnections(),
                bean.getIdleConnections(), bean.getThreadsAwaitingConnection(), bean.getTotalConnections(),
                hikari.getMaximumPoolSize(), hikari.getMinimumIdle(), hikari.getConnectionTimeout());
    }

    /** The catalog's cache statistics (empty without a cache). */
    public List<CacheStats> caches() {
        return caches.get();
    }

    /** Statements the slow-query log has logged since the catalog was built (0 without one). */
    public long slowStatements() {
        return slowQueryLog == null ? 0 : slowQueryLog.slowStatements();
    }

    /** The settings that matter, and this JVM's machine (cores, memory) to check them against. */
    public ServerSettings settings() {
        return withHandle(jdbi, "read server settings", handle -> {
            Map<String, String> values = new LinkedHashMap<>();
            handle.createQuery("SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY(:names) ORDER BY name")
                    .bind("names", SETTINGS.toArray(new String[0]))
                    .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("value")))
                    .forEach(e -> values.put(e.getKey(), e.getValue()));
            String version = handle.createQuery("SELECT current_setting('server_version')").mapTo(String.class).one();
            boolean local = handle.createQuery("""
                    SELECT inet_server_addr() IS NULL OR host(inet_server_addr()) IN ('127.0.0.1', '::1')""")
                    .mapTo(Boolean.class).one();
            int pool = dataSource instanceof HikariDataSource h ? h.getMaximumPoolSize() : 0;
            return new ServerSettings(version, values, Runtime.getRuntime().availableProcessors(), machineMemory(),
                    local, pool);
        });
    }

    /** Runs ANALYZE on every table of the catalog's schema; returns their names. Takes seconds on large catalogs. */
    public List<String> analyze() {
        return withHandle(jdbi, "analyze the catalog's tables", handle -> {
            List<String> tables = handle.createQuery("""
                    SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY relname""")
                    .mapTo(String.class).list();
            for (String table : tables) {
                handle.execute("ANALYZE " + quote(table));
            }
            return tables;
        });
    }

    /**
     * {@code REINDEX INDEX CONCURRENTLY} of every index whose estimated bloat is at least {@code minBloatRatio}
     * (0-1; 0.5 is a sensible value). Needs PostgreSQL 12+, must run outside a transaction, and takes
     * as long as building the index again, without blocking reads or writes. Returns the indexes rebuilt.
     */
    public List<String> reindexBloated(double minBloatRatio) {
        if (!(minBloatRatio > 0 && minBloatRatio < 1)) {
            throw new IllegalArgumentException("minBloatRatio must be between 0 and 1: " + minBloatRatio);
        }
        List<String> bloated = statistics(Duration.ofHours(1)).indexes().stream()
                .filter(i -> i.estimatedBloatRatio() >= minBloatRatio).map(IndexStats::name).toList();
        return withHandle(jdbi, "reindex bloated indexes", handle -> {
            for (String index : bloated) {
                handle.execute("REINDEX INDEX CONCURRENTLY " + quote(index));
            }
            return bloated;
        });
    }

    /** Tables where dead tuples pile up (over 20 % and 1,000 rows), each with the VACUUM statement to run. */
    public List<Finding> vacuumRecommendations() {
        return statistics(Duration.ofHours(1)).tables().stream()
                .filter(t -> t.deadRatio() > 0.2 && t.deadRows() > 1000)
                .map(Diagnostics::vacuumFinding).toList();
    }

    /** {@code VACUUM (ANALYZE)} of one table of the catalog's schema (outside a transaction). */
    public void vacuum(String table) {
        Objects.requireNonNull(table, "table");
        withHandle(jdbi, "vacuum " + table, handle -> {
            boolean exists = handle.createQuery("""
                    SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = :t""")
                    .bind("t", table).mapTo(Integer.class).one() > 0;
            if (!exists) {
                throw new IllegalArgumentException("not a table of the catalog: " + table);
            }
            handle.execute("VACUUM (ANALYZE) " + quote(table));
            return null;
        });
    }

    // ---- findings ----

    static List<Finding> statisticsFindings(DatabaseStatistics stats, long largeTableRows) {
        List<Finding> findings = new ArrayList<>();
        for (TableStats t : stats.tables()) {
            if (t.deadRatio() > 0.2 && t.deadRows() > 1000) {
                findings.add(vacuumFinding(t));
            }
            if (t.lastAnalyzed() == null && t.liveRows() >= 1000) {
                findings.add(new Finding(Severity.WARNING, "statistics", t.name(),
                        "never analyzed, " + t.liveRows() + " rows: the planner guesses its row counts",
                        "run ANALYZE after large imports (autovacuum will, later)", "ANALYZE " + t.name() + ";"));
            }
            if (t.estimatedBloatRatio() > 0.5 && t.heapBytes() > 10 * MIB) {
                findings.add(new Finding(Severity.WARNING, "statistics", t.name(),
                        String.format(Locale.ROOT, "about %.0f%% of the heap (%d MiB) holds no live rows",
                                t.estimatedBloatRatio() * 100, t.heapBytes() / MIB),
                        "VACUUM makes the space reusable; VACUUM FULL (exclusive lock) or pg_repack returns it",
                        "VACUUM (ANALYZE) " + t.name() + ";"));
            }
            if (t.liveRows() >= largeTableRows && t.seqScans() > 100 && t.seqScans() > 10 * t.indexScans()) {
                findings.add(new Finding(Severity.INFO, "statistics", t.name(),
                        t.seqScans() + " sequential scans vs " + t.indexScans() + " index scans on " + t.liveRows()
                                + " rows", "see the query analysis for which query scans it", null));
            }
        }
        for (IndexStats i : stats.indexes()) {
            if (i.estimatedBloatRatio() > 0.5 && i.sizeBytes() > MIB) {
                findings.add(new Finding(Severity.WARNING, "maintenance", i.name(),
                        String.format(Locale.ROOT, "index about %.0f%% bloated (%d MiB)", i.estimatedBloatRatio() * 100,
                                i.sizeBytes() / MIB),
                        "rebuild it without blocking: catalog.diagnostics().reindexBloated(0.5)",
                        "REINDEX INDEX CONCURRENTLY " + i.name() + ";"));
            }
            if (i.scans() == 0 && !i.unique() && i.sizeBytes() >= MIB) {
                findings.add(new Finding(Severity.INFO, "statistics", i.name(),
                        "never scanned since statistics were reset (" + i.sizeBytes() / 1024 + " kB) on " + i.table(),
                        "if a representative workload ran and it stays unused, drop it: every index costs import speed",
                        "DROP INDEX CONCURRENTLY " + i.name() + ";"));
            }
        }
        for (RunningQuery q : stats.longRunning()) {
            findings.add(new Finding(Severity.WARNING, "statistics", "pid " + q.pid(),
                    "running for " + q.durationMillis() + " ms (" + q.state() + "): " + q.query(),
                    "find out who runs it; pg_cancel_backend(pid) stops it", null));
        }
        return findings;
    }

    private static Finding vacuumFinding(TableStats t) {
        return new Finding(Severity.WARNING, "maintenance", t.name(),
                String.format(Locale.ROOT, "%d dead tuples (%.0f%% of the table)", t.deadRows(), t.deadRatio() * 100),
                "VACUUM it now, and let autovacuum run more often on it (lower autovacuum_vacuum_scale_factor)",
                "VACUUM (ANALYZE) " + t.name() + ";");
    }

    static List<Finding> statementFindings(TopStatements top) {
        List<Finding> findings = new ArrayList<>();
        if (top.status() != TopStatements.Status.AVAILABLE) {
            findings.add(new Finding(Severity.INFO, "statements", "pg_stat_statements",
                    "statement statistics unavailable (" + top.status() + ")", top.note(), null));
        }
        for (StatementStats s : top.statements()) {
            if (s.meanMillis() > 500 && s.calls() >= 3) {
                findings.add(new Finding(Severity.WARNING, "statements", s.query(),
                        String.format(Locale.ROOT, "mean %.1f ms over %d calls", s.meanMillis(), s.calls()),
                        "EXPLAIN (ANALYZE, BUFFERS) it with typical values and see the plan findings", null));
            }
        }
        return findings;
    }

    static List<Finding> poolFindings(PoolMetrics pool) {
        if (pool.available() && pool.waiting() > 0) {
            return List.of(new Finding(Severity.WARNING, "pool", pool.poolName(),
                    pool.waiting() + " threads waiting for a connection (" + pool.active() + " of " + pool.maxPoolSize()
                            + " busy)", "find long transactions first; then raise maxPoolSize a little", null));
        }
        return List.of();
    }

    static List<Finding> cacheFindings(List<CacheStats> caches) {
        List<Finding> findings = new ArrayList<>();
        for (CacheStats c : caches) {
            if (c.hits() + c.misses() >= 1000 && c.hitRate() < 0.5) {
                findings.add(new Finding(Severity.INFO, "cache", c.name(),
                        String.format(Locale.ROOT, "hit rate %.0f%% over %d requests, %d evictions", c.hitRate() * 100,
                                c.hits() + c.misses(), c.evictions()),
                        c.evictions() > c.hits() / 10 ? "the cache evicts often: raise its maximum size"
                                : "the workload rarely repeats: this cache saves little", null));
            }
        }
        return findings;
    }

    static List<Finding> settingsFindings(ServerSettings s) {
        List<Finding> findings = new ArrayList<>();
        long memory = s.machineMemoryBytes();
        String machine = s.sameMachine() ? "this machine" : "the client machine (the server is remote; check its own memory)";
        long sharedBuffers = bytes(s.settings().get("shared_buffers"));
        long workMem = bytes(s.settings().get("work_mem"));
        long maintenance = bytes(s.settings().get("maintenance_work_mem"));
        long cacheSize = bytes(s.settings().get("effective_cache_size"));
        int maxConnections = (int) number(s.settings().get("max_connections"), 100);
        if (memory > 0 && sharedBuffers > 0 && sharedBuffers < memory / 10) {
            findings.add(new Finding(Severity.WARNING, "settings", "shared_buffers",
                    String.format(Locale.ROOT, "%d MiB is %.0f%% of %d MiB on %s", sharedBuffers / MIB,
                            100.0 * sharedBuffers / memory, memory / MIB, machine),
                    "about 25% of RAM keeps the catalog's hot pages in PostgreSQL (restart needed)",
                    "ALTER SYSTEM SET shared_buffers = '" + memory / 4 / MIB + "MB';"));
        }
        if (memory > 0 && sharedBuffers > memory * 2 / 5) {
            findings.add(new Finding(Severity.INFO, "settings", "shared_buffers",
                    sharedBuffers / MIB + " MiB is over 40% of RAM on " + machine,
                    "leave room for the OS cache and work_mem", "ALTER SYSTEM SET shared_buffers = '" + memory / 4 / MIB + "MB';"));
        }
        if (memory > 0 && cacheSize > 0 && cacheSize < memory / 4) {
            findings.add(new Finding(Severity.INFO, "settings", "effective_cache_size",
                    cacheSize / MIB + " MiB is under 25% of RAM on " + machine,
                    "set it to 50-75% of RAM so the planner trusts index scans",
                    "ALTER SYSTEM SET effective_cache_size = '" + memory * 5 / 8 / MIB + "MB';"));
        }
        if (memory > 0 && workMem > 0 && workMem * maxConnections > memory) {
            findings.add(new Finding(Severity.INFO, "settings", "work_mem",
                    String.format(Locale.ROOT, "work_mem %d MiB x max_connections %d = %d MiB, over the %d MiB of %s",
                            workMem / MIB, maxConnections, workMem * maxConnections / MIB, memory / MIB, machine),
                    "each sort or hash may use work_mem: with every connection busy the server could run out of memory;"
                            + " lower max_connections to what the pools need, or work_mem", null));
        } else if (workMem > 0 && workMem < 4 * MIB) {
            findings.add(new Finding(Severity.INFO, "settings", "work_mem", workMem / 1024 + " kB is small",
                    "4-16 MB avoids disk sorts for tag counts and facets", "ALTER SYSTEM SET work_mem = '16MB';"));
        }
        if (maintenance > 0 && maintenance < 64 * MIB) {
            findings.add(new Finding(Severity.INFO, "settings", "maintenance_work_mem",
                    maintenance / MIB + " MiB makes CREATE INDEX and VACUUM after large imports slow",
                    "256 MB-1 GB for a catalog of a million files", "ALTER SYSTEM SET maintenance_work_mem = '256MB';"));
        }
        if (s.poolMaxSize() > 0 && s.poolMaxSize() > maxConnections * 0.8) {
            findings.add(new Finding(s.poolMaxSize() >= maxConnections ? Severity.CRITICAL : Severity.WARNING, "settings",
                    "max_connections", "the pool may open " + s.poolMaxSize() + " connections of the server's "
                            + maxConnections, "lower maxPoolSize, or raise max_connections (restart needed)", null));
        }
        if (s.poolMaxSize() > 4 * s.machineCores()) {
            findings.add(new Finding(Severity.INFO, "pool", "maxPoolSize",
                    "pool of " + s.poolMaxSize() + " on " + s.machineCores() + " cores of " + machine,
                    "more active connections than 2-4 per core queue inside PostgreSQL instead of in the pool;"
                            + " a smaller pool is usually faster", null));
        }
        if (number(s.settings().get("random_page_cost"), 4) >= 4) {
            findings.add(new Finding(Severity.INFO, "settings", "random_page_cost",
                    "random_page_cost " + s.settings().get("random_page_cost") + " assumes spinning disks",
                    "on SSD or a cached catalog, 1.1 lets the planner choose index scans it should",
                    "ALTER SYSTEM SET random_page_cost = 1.1;"));
        }
        if (number(s.settings().get("max_parallel_workers_per_gather"), 0) > 0 && s.machineCores() <= 2) {
            findings.add(new Finding(Severity.INFO, "settings", "max_parallel_workers_per_gather",
                    "parallel query on " + s.machineCores() + " cores",
                    "on 2 cores parallel workers added 5-20 ms to small queries in our measurements: turn them off",
                    "ALTER SYSTEM SET max_parallel_workers_per_gather = 0;"));
        }
        if ("auto".equals(s.settings().get("plan_cache_mode"))) {
            findings.add(new Finding(Severity.INFO, "settings", "plan_cache_mode",
                    "auto: after 5 runs a prepared statement may switch to a generic plan",
                    "the catalog's search sets plan_cache_mode on its own connections; other clients of this database"
                            + " keep the server default", null));
        }
        return findings;
    }

    /** Bytes of a memory setting as SHOW prints it ({@code 128MB}, {@code 4GB}, {@code 8kB}); 0 when unknown. */
    static long bytes(@Nullable String value) {
        if (value == null) {
            return 0;
        }
        var m = java.util.regex.Pattern.compile("^(\\d+)\\s*(B|kB|MB|GB|TB)?$").matcher(value.trim());
        if (!m.matches()) {
            return 0;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return switch (unit) {
            case "kB" -> n * 1024;
            case "MB" -> n * MIB;
            case "GB" -> n * MIB * 1024;
            case "TB" -> n * MIB * 1024 * 1024;
            default -> n;
        };
    }

    private static double number(@Nullable String value, double otherwise) {
        try {
            return value == null ? otherwise : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static long machineMemory() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return -1;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static <T> T withHandle(Jdbi jdbi, String doing, Function<Handle, T> work) {
        try (Handle handle = jdbi.open()) {
            return work.apply(handle);
        } catch (JdbiException e) {
            throw new CatalogException("could not " + doing + ": " + e.getMessage(), e);
        }
    }
}
