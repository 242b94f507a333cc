package io.midicatalog.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.MidiCatalog;
import io.midicatalog.provision.PostgresServer;
import io.midicatalog.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {
    private static MidiCatalog catalog;
    private static Jdbi jdbi;

    @BeforeAll
    static void fill() {
        catalog = TestDatabases.migratedCatalog(DiagnosticsTest.class);
        jdbi = Jdbi.create(catalog.dataSource());
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO files (filepath, filename, original_filename, file_size_bytes, content_hash, bpm,
                                       key_code, category, note_count, name_words, manufacturer, collection)
                    SELECT '/lib/p' || (g % 20) || '/f' || g || '.mid', 'f' || g || '.mid', 'f' || g || '.mid',
                           1000 + g, sha256(g::text::bytea), 60 + g % 140, g % 25, g % 24, g % 500,
                           (ARRAY['deep','bass','loop','drum'])[1 + g % 4] || ' w' || g, 'maker' || g % 5, 'pack' || g % 30
                      FROM generate_series(1, 3000) g""");
            h.execute("INSERT INTO tags (name) VALUES ('dark'), ('warm')");
            h.execute("INSERT INTO file_tags (file_id, tag_id) SELECT id, (SELECT min(id) FROM tags) FROM files WHERE id % 3 = 0");
        });
    }

    @AfterAll
    static void close() {
        catalog.close();
    }

    @Test
    void report_v1Categories_explainsEveryProbeWithoutErrors() {
        DiagnosticsReport report = catalog.diagnostics().report(DiagnosticsOptions.builder().largeTableRows(1000).build());

        assertThat(report.plans()).extracting(QueryPlan::category)
                .contains("count", "dedupe", "track", "details", "tags", "search");
        assertThat(report.plans()).allSatisfy(p -> {
            assertThat(p.error()).isNull();
            assertThat(p.nodes()).isNotEmpty();
            assertThat(p.executionMillis()).isPositive();
        });
        assertThat(report.statistics().tables()).extracting(TableStats::name).contains("files", "file_tags", "tags");
        assertThat(report.statistics().indexes()).extracting(IndexStats::name).contains("files_content_hash");
        assertThat(report.healthScore()).isBetween(0, 100).isEqualTo(HealthScore.of(report.findings()));
        assertThat(report.settings().settings()).containsKeys("shared_buffers", "work_mem", "max_connections");
    }

    @Test
    void report_filterOnUnindexedColumn_findsSequentialScanAndRecommendsIndex() {
        QueryCategory unindexed = new QueryCategory() {
            @Override
            public String name() {
                return "extra";
            }

            @Override
            public List<QueryProbe> probes(ProbeSamples samples) {
                return List.of(new QueryProbe("extra", "note count filter",
                        "SELECT count(*) FROM files WHERE note_count > :n", Map.of("n", 10)));
            }
        };
        DiagnosticsReport report = catalog.diagnostics().report(DiagnosticsOptions.builder().largeTableRows(1000)
                .addCategory(unindexed).build());

        QueryPlan plan = report.plans().stream().filter(p -> p.name().equals("note count filter")).findFirst().orElseThrow();
        assertThat(plan.findings()).anySatisfy(f -> {
            assertThat(f.message()).contains("sequential scan of files");
            assertThat(f.sql()).isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS files_note_count ON files (note_count);");
        });
    }

    @Test
    void explain_readOnlyTransaction_rejectsWritesInsideFunctions() {
        long before = jdbi.withHandle(h -> h.createQuery("SELECT last_value FROM files_id_seq").mapTo(Long.class).one());

        QueryPlan plan = catalog.diagnostics().explain(new QueryProbe("test", "sneaky write",
                "SELECT nextval('files_id_seq')", Map.of()), 1000);

        assertThat(plan.error()).contains("read-only");
        long after = jdbi.withHandle(h -> h.createQuery("SELECT last_value FROM files_id_seq").mapTo(Long.class).one());
        assertThat(after).isEqualTo(before);
    }

    /** The library plans some queries under its own settings; the profile must show those plans. */
    @Test
    void explain_probeSettings_governThePlanShown() {
        String sql = "SELECT id FROM files WHERE id > :id";
        QueryPlan free = catalog.diagnostics().explain(new QueryProbe("test", "free", sql, Map.of("id", 0L)), 1000);
        QueryPlan pinned = catalog.diagnostics().explain(new QueryProbe("test", "no seq scan", sql, Map.of("id", 0L),
                Map.of("enable_seqscan", "off", "enable_bitmapscan", "off")), 1000);

        assertThat(free.nodes()).anySatisfy(n -> assertThat(n.nodeType()).isEqualTo("Seq Scan"));
        assertThat(pinned.error()).isNull();
        assertThat(pinned.nodes()).noneSatisfy(n -> assertThat(n.nodeType()).isEqualTo("Seq Scan"))
                .anySatisfy(n -> assertThat(n.nodeType()).contains("Index"));
        assertThatThrownBy(() -> new QueryProbe("x", "y", sql, Map.of(), Map.of("enable_seqscan'; --", "off")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a setting");
    }

    @Test
    void searchProbes_carryTheSettingsTheRepositoryPlansThemUnder() {
        var probes = new io.midicatalog.jdbi.search.SearchQueryCategory().probes(catalog.diagnostics().samples());
        assertThat(probes).isNotEmpty().allSatisfy(p ->
                assertThat(p.settings()).containsEntry("plan_cache_mode", "force_custom_plan")
                        .containsEntry("max_parallel_workers_per_gather", "0"));
        assertThat(probes).anySatisfy(p -> {
            assertThat(p.name()).endsWith("first page, collect and sort");
            assertThat(p.settings()).containsEntry("enable_indexscan", "off").containsEntry("enable_seqscan", "off");
        });
        for (QueryProbe p : probes) {
            assertThat(catalog.diagnostics().explain(p, 1000).error()).as(p.name()).isNull();
        }
    }

    @Test
    void probe_writeStatement_isRejected() {
        assertThatThrownBy(() -> new QueryProbe("x", "y", "DELETE FROM files", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only read queries");
        assertThatThrownBy(() -> new QueryProbe("x", "y", "WITH d AS (DELETE FROM files RETURNING id) SELECT * FROM d", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topStatements_withoutOptIn_neverCreatesTheExtension() {
        try (MidiCatalog untouched = TestDatabases.migratedCatalog(DiagnosticsTest.class)) {
            Jdbi own = Jdbi.create(untouched.dataSource());
            TopStatements top = untouched.diagnostics().topStatements(5, false);
            assertThat(top.status()).isIn(TopStatements.Status.NOT_INSTALLED, TopStatements.Status.NOT_PRELOADED);
            assertThat(top.note()).contains("CREATE EXTENSION pg_stat_statements");
            int installed = own.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'").mapTo(Integer.class).one());
            assertThat(installed).isZero();
        }
    }

    @Test
    void topStatements_optInOnPreloadedServer_readsStatements() {
        TopStatements top = catalog.diagnostics().topStatements(5, true);
        boolean preloaded = jdbi.withHandle(h -> h.createQuery("SELECT current_setting('shared_preload_libraries')")
                .mapTo(String.class).one()).contains("pg_stat_statements");
        if (preloaded) {
            assertThat(top.status()).isEqualTo(TopStatements.Status.AVAILABLE);
            assertThat(catalog.diagnostics().topStatements(5, false).statements()).isNotEmpty();
        } else {
            assertThat(top.status()).isEqualTo(TopStatements.Status.NOT_PRELOADED);
        }
    }

    @Test
    void report_roleWithoutSettingsPrivilege_completesAndSaysWhatItCouldNotRead() throws Exception {
        PostgresServer server = TestDatabases.server();
        String database = server.createDatabase("t_diag_reader");
        try (MidiCatalog owner = new MidiCatalog(server.dataSource(database))) {
            owner.migrate();
        }
        Jdbi admin = Jdbi.create(server.dataSource(database));
        admin.useHandle(h -> {
            h.execute("""
                    DO $$BEGIN
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'diag_reader') THEN
                        CREATE ROLE diag_reader LOGIN PASSWORD 'diag';
                      END IF;
                    END$$""");
            h.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO diag_reader");
        });
        PGSimpleDataSource reader = new PGSimpleDataSource();
        reader.setUrl(server.jdbcUrl(database));
        reader.setUser("diag_reader");
        reader.setPassword("diag");
        try (MidiCatalog catalog = new MidiCatalog(reader)) {
            // An ordinary role cannot read shared_preload_libraries; that must not cost the report.
            DiagnosticsReport report = catalog.diagnostics().report(DiagnosticsOptions.builder().largeTableRows(1000).build());

            assertThat(report.topStatements().status()).isNotEqualTo(TopStatements.Status.NOT_PRELOADED);
            assertThat(report.topStatements().note()).isNotBlank();
            assertThat(report.plans()).isNotEmpty().allSatisfy(plan -> assertThat(plan.error()).isNull());
        }
    }

    @Test
    void vacuumRecommendations_afterMassUpdate_nameTheTableWithVacuumSql() {
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE churn AS SELECT g AS id, 'x' AS v FROM generate_series(1, 5000) g");
        });
        jdbi.useHandle(h -> {
            h.execute("ALTER TABLE churn SET (autovacuum_enabled = off)");
            h.execute("UPDATE churn SET v = 'y'");
            h.execute("SELECT pg_stat_force_next_flush()");
        });
        List<Finding> recommendations = catalog.diagnostics().vacuumRecommendations();
        assertThat(recommendations).anySatisfy(f -> {
            assertThat(f.subject()).isEqualTo("churn");
            assertThat(f.sql()).isEqualTo("VACUUM (ANALYZE) churn;");
        });
        catalog.diagnostics().vacuum("churn");
        assertThatThrownBy(() -> catalog.diagnostics().vacuum("no_such_table")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reindexBloated_afterMassDelete_rebuildsTheBloatedIndexSmaller() {
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE shrink AS SELECT g AS id, g * 7 AS v FROM generate_series(1, 100000) g");
            h.execute("CREATE INDEX shrink_v ON shrink (v)");
            h.execute("DELETE FROM shrink WHERE id % 10 <> 0");
            h.execute("VACUUM ANALYZE shrink");
        });
        IndexStats before = index("shrink_v");
        assertThat(before.estimatedBloatRatio()).isGreaterThan(0.5);

        assertThat(catalog.diagnostics().reindexBloated(0.5)).contains("shrink_v");

        assertThat(index("shrink_v").sizeBytes()).isLessThan(before.sizeBytes() / 2);
    }

    private static IndexStats index(String name) {
        return catalog.diagnostics().statistics(Duration.ofSeconds(5)).indexes().stream()
                .filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void statistics_statementRunningLongerThanThreshold_isListed() throws Exception {
        Thread sleeper = new Thread(() -> jdbi.useHandle(h -> h.execute("SELECT pg_sleep(3)")));
        sleeper.start();
        try {
            List<RunningQuery> running = List.of();
            for (int i = 0; i < 25 && running.isEmpty(); i++) {
                Thread.sleep(100);
                running = catalog.diagnostics().statistics(Duration.ofMillis(200)).longRunning();
            }
            assertThat(running).anySatisfy(q -> assertThat(q.query()).contains("pg_sleep"));
        } finally {
            sleeper.join();
        }
    }

    @Test
    void analyze_catalogTables_analyzesFiles() {
        assertThat(catalog.diagnostics().analyze()).contains("files", "tags");
        assertThat(catalog.diagnostics().statistics(Duration.ofSeconds(5)).tables())
                .filteredOn(t -> t.name().equals("files")).singleElement()
                .satisfies(t -> assertThat(t.lastAnalyzed()).isNotNull());
    }
}
