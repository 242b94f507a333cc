package io.midicatalog.bench.profile;

import io.midicatalog.diagnostics.CacheStats;
import io.midicatalog.diagnostics.DatabaseStatistics;
import io.midicatalog.diagnostics.DiagnosticsReport;
import io.midicatalog.diagnostics.Finding;
import io.midicatalog.diagnostics.HealthScore;
import io.midicatalog.diagnostics.IndexStats;
import io.midicatalog.diagnostics.PoolMetrics;
import io.midicatalog.diagnostics.QueryPlan;
import io.midicatalog.diagnostics.Severity;
import io.midicatalog.diagnostics.StatementStats;
import io.midicatalog.diagnostics.TableStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link ProfileReport} as Markdown, sections in the order of the seed guide's Appendix A. */
public final class MarkdownReport {
    private final StringBuilder out = new StringBuilder();

    private MarkdownReport() {}

    public static String render(ProfileReport report) {
        MarkdownReport md = new MarkdownReport();
        md.write(report);
        return md.out.toString();
    }

    private void write(ProfileReport r) {
        DiagnosticsReport d = r.diagnostics();
        line("# midi-catalog profile");
        line("");
        line("Generated " + r.generatedAt() + " in " + fmt(r.durationSeconds()) + " s. Target: " + r.target().kind()
                + " `" + r.target().database() + "` (PostgreSQL " + r.target().serverVersion() + "), "
                + String.format(Locale.ROOT, "%,d", r.target().files()) + " files"
                + (r.target().createdByProfiler() ? ", created by the profiler." : ", profiled read-only (no data changed)."));
        line("");
        line("## 1. Executive summary");
        line("");
        Map<Severity, Integer> counts = HealthScore.counts(d.findings());
        line("**Health score: " + r.healthScore() + " / 100** (" + counts.get(Severity.CRITICAL) + " critical, "
                + counts.get(Severity.WARNING) + " warnings, " + counts.get(Severity.INFO) + " info).");
        line("");
        line("How it is computed: " + r.healthFormula());
        line("");
        r.summary().forEach(s -> line("- " + s));
        line("");
        if (!d.findings().isEmpty()) {
            line("| severity | area | subject | finding | recommendation | SQL |");
            line("|---|---|---|---|---|---|");
            for (Finding f : d.findings()) {
                line("| " + f.severity() + " | " + f.area() + " | " + cell(f.subject()) + " | " + cell(f.message()) + " | "
                        + cell(f.recommendation()) + " | " + (f.sql() == null ? "" : code(f.sql())) + " |");
            }
            line("");
        }

        DatabaseStatistics s = d.statistics();
        line("## 2. Database statistics");
        line("");
        line("Database `" + s.database() + "`: " + mib(s.sizeBytes()) + ". Connections by state: " + s.connectionsByState()
                + ". Statements running longer than the threshold: " + s.longRunning().size() + ".");
        line("");
        line("| table | live rows | dead rows | dead % | total size | heap | est. bloat | seq scans | index scans | last analyzed |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (TableStats t : s.tables()) {
            line("| " + cell(t.name()) + " | " + t.liveRows() + " | " + t.deadRows() + " | " + pct(t.deadRatio()) + " | "
                    + mib(t.totalBytes()) + " | " + mib(t.heapBytes()) + " | "
                    + (t.estimatedBloatRatio() < 0 ? "n/a" : pct(t.estimatedBloatRatio())) + " | " + t.seqScans() + " | "
                    + t.indexScans() + " | " + (t.lastAnalyzed() == null ? "never" : t.lastAnalyzed()) + " |");
        }
        line("");
        line("| index | table | size | scans | unique | est. bloat |");
        line("|---|---|---:|---:|---|---:|");
        for (IndexStats i : s.indexes()) {
            line("| " + cell(i.name()) + " | " + cell(i.table()) + " | " + mib(i.sizeBytes()) + " | " + i.scans() + " | "
                    + (i.unique() ? "yes" : "") + " | " + (i.estimatedBloatRatio() < 0 ? "n/a" : pct(i.estimatedBloatRatio()))
                    + " |");
        }
        line("");
        line("### Top statements (pg_stat_statements)");
        line("");
        line("Status: " + d.topStatements().status() + ". " + d.topStatements().note());
        line("");
        if (!d.topStatements().statements().isEmpty()) {
            line("| mean ms | stddev ms | calls | total ms | rows | query |");
            line("|---:|---:|---:|---:|---:|---|");
            for (StatementStats st : d.topStatements().statements()) {
                line("| " + fmt(st.meanMillis()) + " | " + fmt(st.stddevMillis()) + " | " + st.calls() + " | "
                        + fmt(st.totalMillis()) + " | " + st.rows() + " | " + code(st.query()) + " |");
            }
            line("");
        }

        line("## 3. Query-by-query analysis");
        line("");
        line("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of the SQL the library runs, in a read-only transaction"
                + " that is rolled back.");
        line("");
        line("| category | query | planning ms | execution ms | findings |");
        line("|---|---|---:|---:|---:|");
        for (QueryPlan p : d.plans()) {
            line("| " + cell(p.category()) + " | " + cell(p.name()) + " | " + fmt(p.planningMillis()) + " | "
                    + fmt(p.executionMillis()) + " | " + p.findings().size() + " |");
        }
        line("");
        for (QueryPlan p : d.plans()) {
            line("### " + p.category() + ": " + p.name());
            line("");
            line("```sql");
            line(p.sql().strip());
            line("```");
            line("");
            if (p.error() != null) {
                line("EXPLAIN failed: " + p.error());
            } else {
                line("```");
                p.planText().forEach(this::line);
                line("```");
            }
            line("");
            for (Finding f : p.findings()) {
                line("- **" + f.severity() + "** " + f.message() + ". " + f.recommendation()
                        + (f.sql() == null ? "" : " `" + f.sql() + "`"));
            }
            if (!p.findings().isEmpty()) {
                line("");
            }
        }

        line("## 4. Index recommendations");
        line("");
        if (r.target().createdByProfiler()) {
            line("Unused-index advice is left out: this database has seen only the load test. Profile a catalog in use"
                    + " (--database-url) for it.");
            line("");
        }
        if (r.indexRecommendations().isEmpty()) {
            line("None: no plan or statistic asks for an index change.");
        } else {
            line("Measure before adding: each index costs import speed.");
            line("");
            line("```sql");
            r.indexRecommendations().stream().map(f -> "-- " + f.subject() + ": " + f.message().replace('\n', ' ') + "\n" + f.sql())
                    .distinct().forEach(this::line);
            line("```");
        }
        line("");

        line("## 5. Connection pool");
        line("");
        PoolMetrics pool = d.pool();
        if (!pool.available()) {
            line("Not a HikariCP pool (" + pool.poolName() + "): no metrics.");
        } else {
            line("| pool | active | idle | waiting | total | max | min idle | acquire timeout ms |");
            line("|---|---:|---:|---:|---:|---:|---:|---:|");
            line("| " + cell(pool.poolName()) + " | " + pool.active() + " | " + pool.idle() + " | " + pool.waiting() + " | "
                    + pool.total() + " | " + pool.maxPoolSize() + " | " + pool.minIdle() + " | " + pool.acquireTimeoutMillis()
                    + " |");
        }
        line("");
        line("Server settings checked against " + (d.settings().sameMachine() ? "this machine" : "the client machine (the server is remote)")
                + ": " + d.settings().machineCores() + " cores, "
                + (d.settings().machineMemoryBytes() < 0 ? "unknown memory" : mib(d.settings().machineMemoryBytes()) + " memory")
                + "; pool max " + d.settings().poolMaxSize() + ".");
        line("");
        line("| setting | value |");
        line("|---|---|");
        d.settings().settings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> line("| " + cell(e.getKey()) + " | " + cell(e.getValue()) + " |"));
        line("");

        line("## 6. Cache");
        line("");
        if (d.caches().isEmpty()) {
            line("The catalog reports no cache statistics (no cache configured in this build).");
        } else {
            line("| cache | hits | misses | hit rate | loads | evictions | size |");
            line("|---|---:|---:|---:|---:|---:|---:|");
            for (CacheStats c : d.caches()) {
                line("| " + cell(c.name()) + " | " + c.hits() + " | " + c.misses() + " | " + pct(c.hitRate()) + " | "
                        + c.loads() + " | " + c.evictions() + " | " + c.size() + " |");
            }
        }
        line("");
        r.cacheRecommendations().forEach(c -> line("- " + c));
        line("");

        line("## 7. Load tests");
        line("");
        if (r.loadTestsSkipped() != null) {
            line("Skipped: " + r.loadTestsSkipped());
        } else {
            line("Mixed read workload (search shapes, track loads, details), each user a thread with its own connection"
                    + " from the catalog's pool; latencies include the pool wait. Paced: the users together send that"
                    + " many requests/s on a schedule and a latency counts from the scheduled start; closed loop: each"
                    + " user sends its next request when its last returns.");
            line("");
            line("| users | paced at /s | seconds | operations | QPS | p50 ms | p95 ms | p99 ms | max ms | errors | pool waiting max / avg | acquire timeouts |");
            line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
            for (LoadTestResult t : r.loadTests()) {
                line("| " + t.users() + " | " + (t.targetRate() > 0 ? fmt(t.targetRate()) : "closed loop") + " | " + fmt(t.seconds()) + " | " + t.operations() + " | " + fmt(t.qps()) + " | "
                        + fmt(t.p50Millis()) + " | " + fmt(t.p95Millis()) + " | " + fmt(t.p99Millis()) + " | "
                        + fmt(t.maxMillis()) + " | " + t.errors() + " | " + t.poolWaitingMax() + " / "
                        + fmt(t.poolWaitingAvg()) + " | " + t.acquireTimeouts() + " |");
            }
            line("");
            for (LoadTestResult t : r.loadTests()) {
                line("<details><summary>" + t.users() + " users by operation</summary>");
                line("");
                line("| operation | count | p50 ms | p95 ms | p99 ms | errors |");
                line("|---|---:|---:|---:|---:|---:|");
                for (LoadTestResult.OperationStats o : t.operationsByKind()) {
                    line("| " + cell(o.name()) + " | " + o.count() + " | " + fmt(o.p50Millis()) + " | " + fmt(o.p95Millis())
                            + " | " + fmt(o.p99Millis()) + " | " + o.errors() + " |");
                }
                line("");
                line("</details>");
                line("");
            }
        }
        line("");
        line("## 8. Import throughput");
        line("");
        ImportThroughput it = r.importThroughput();
        if (it == null) {
            line("Not measured: the profiler did not fill this catalog.");
        } else {
            line(String.format(Locale.ROOT, "**%,.0f files/s** (%s): %,d files in %.2f s. %s", it.filesPerSecond(), it.method(),
                    it.files(), it.seconds(), it.note()));
        }
        line("");
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    /** Text for a table cell: a pipe would end the cell and a line break the row. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /** A table cell as inline code; a backtick inside gets a double-backtick span around it. */
    private static String code(String s) {
        String text = cell(s);
        return text.contains("`") ? "`` " + text + " ``" : "`" + text + "`";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    private static String mib(long bytes) {
        return bytes >= 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%d kB", bytes / 1024);
    }

    static List<String> sections() {
        return List.of("## 1. Executive summary", "## 2. Database statistics", "## 3. Query-by-query analysis",
                "## 4. Index recommendations", "## 5. Connection pool", "## 6. Cache", "## 7. Load tests",
                "## 8. Import throughput");
    }
}
