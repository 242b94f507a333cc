package io.midicatalog.diagnostics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.diagnostics.Finding;
import org.junit.jupiter.api.Test;

class PlanAnalyzerTest {

    private static String plan(String root) {
        return "[{\"Plan\": " + root + ", \"Planning Time\": 0.2, \"Execution Time\": 12.5}]";
    }

    @Test
    void analyze_seqScanWithFilterOnLargeTable_recommendsIndexOnFilteredColumns() {
        String json = plan("""
                {"Node Type": "Seq Scan", "Relation Name": "files", "Plan Rows": 100, "Actual Rows": 90,
                 "Actual Loops": 1, "Actual Total Time": 10.0, "Rows Removed by Filter": 49910,
                 "Filter": "((bpm >= '120'::real) AND (key_code = 9))", "Shared Hit Blocks": 10, "Shared Read Blocks": 0}""");

        PlanAnalyzer.Result result = PlanAnalyzer.analyze("probe", json, 10_000);

        assertThat(result.executionMillis()).isEqualTo(12.5);
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("sequential scan of files read 50000 rows");
            assertThat(f.sql()).isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS files_bpm_key_code ON files (bpm, key_code);");
        });
    }

    @Test
    void analyze_seqScanOnFullTextMatch_recommendsAGinIndex() {
        String json = plan("""
                {"Node Type": "Seq Scan", "Relation Name": "files", "Plan Rows": 100, "Actual Rows": 90,
                 "Actual Loops": 1, "Actual Total Time": 10.0, "Rows Removed by Filter": 49910,
                 "Filter": "(doc_tsv @@ '''bass'''::tsquery)", "Shared Hit Blocks": 10, "Shared Read Blocks": 0}""");

        assertThat(PlanAnalyzer.analyze("probe", json, 10_000).findings()).singleElement().satisfies(f ->
                assertThat(f.sql()).isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS files_doc_tsv_gin ON files USING gin (doc_tsv);"));
    }

    @Test
    void analyze_smallSeqScan_isNoFinding() {
        String json = plan("""
                {"Node Type": "Seq Scan", "Relation Name": "tags", "Plan Rows": 20, "Actual Rows": 20, "Actual Loops": 1}""");
        assertThat(PlanAnalyzer.analyze("probe", json, 10_000).findings()).isEmpty();
    }

    @Test
    void analyze_diskSortManyReadsAndMisestimate_reportsEach() {
        String json = plan("""
                {"Node Type": "Sort", "Plan Rows": 50, "Actual Rows": 80000, "Actual Loops": 1,
                 "Sort Key": ["created_at DESC"], "Sort Method": "external merge", "Sort Space Type": "Disk",
                 "Sort Space Used": 9000, "Shared Hit Blocks": 5, "Shared Read Blocks": 4000,
                 "Plans": [{"Node Type": "Index Scan", "Relation Name": "files", "Index Name": "files_created",
                            "Plan Rows": 80000, "Actual Rows": 80000, "Actual Loops": 1}]}""");

        PlanAnalyzer.Result result = PlanAnalyzer.analyze("probe", json, 10_000);

        assertThat(result.nodes()).hasSize(2);
        assertThat(result.nodes().get(1).depth()).isEqualTo(1);
        assertThat(result.findings()).extracting(Finding::message)
                .anySatisfy(m -> assertThat(m).startsWith("external sort: 9000 kB"))
                .anySatisfy(m -> assertThat(m).startsWith("read 4000 blocks"))
                .anySatisfy(m -> assertThat(m).contains("estimated 50 rows, actually 80000"));
        assertThat(result.findings()).extracting(Finding::sql).contains("SET LOCAL work_mem = '18000kB';");
    }

    /** A misestimate is reported where it starts, not at every node that passes it on. */
    @Test
    void analyze_misestimate_reportedOnceWhereItStarts() {
        String json = plan("""
                {"Node Type": "Aggregate", "Plan Rows": 1, "Actual Rows": 1, "Actual Loops": 1,
                 "Plans": [{"Node Type": "Nested Loop", "Plan Rows": 3, "Actual Rows": 900, "Actual Loops": 1,
                   "Plans": [{"Node Type": "Bitmap Heap Scan", "Relation Name": "files", "Plan Rows": 3, "Actual Rows": 900, "Actual Loops": 1},
                             {"Node Type": "Index Scan", "Relation Name": "favorites", "Plan Rows": 1, "Actual Rows": 1, "Actual Loops": 900}]}]}""");

        assertThat(PlanAnalyzer.analyze("probe", json, 10_000).findings()).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("Bitmap Heap Scan on files: estimated 3 rows, actually 900");
            assertThat(f.sql()).isEqualTo("ANALYZE files;");
        });
    }

    /** Below a Limit a node returns fewer rows than estimated because it was stopped: no finding. */
    @Test
    void analyze_nodeStoppedByLimit_isNoMisestimate() {
        String json = plan("""
                {"Node Type": "Limit", "Plan Rows": 51, "Actual Rows": 51, "Actual Loops": 1,
                 "Plans": [{"Node Type": "Sort", "Plan Rows": 9566, "Actual Rows": 51, "Actual Loops": 1,
                   "Plans": [{"Node Type": "Bitmap Heap Scan", "Relation Name": "files", "Plan Rows": 9566, "Actual Rows": 9700, "Actual Loops": 1}]}]}""");
        assertThat(PlanAnalyzer.analyze("probe", json, 10_000).findings()).isEmpty();

        // more rows than estimated is a misestimate below a Limit too
        String under = plan("""
                {"Node Type": "Limit", "Plan Rows": 3, "Actual Rows": 1001, "Actual Loops": 1,
                 "Plans": [{"Node Type": "Index Only Scan", "Relation Name": "files", "Plan Rows": 3, "Actual Rows": 1001, "Actual Loops": 1}]}""");
        assertThat(PlanAnalyzer.analyze("probe", under, 10_000).findings()).singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("Index Only Scan on files: estimated 3 rows"));
    }

    @Test
    void analyze_nestedLoopOverManyInnerRows_isAFinding() {
        String json = plan("""
                {"Node Type": "Nested Loop", "Plan Rows": 20000, "Actual Rows": 20000, "Actual Loops": 1,
                 "Plans": [{"Node Type": "Seq Scan", "Relation Name": "tags", "Plan Rows": 2000, "Actual Rows": 2000, "Actual Loops": 1},
                           {"Node Type": "Index Scan", "Relation Name": "file_tags", "Plan Rows": 10, "Actual Rows": 10, "Actual Loops": 2000}]}""");

        assertThat(PlanAnalyzer.analyze("probe", json, 10_000).findings()).extracting(Finding::message)
                .anySatisfy(m -> assertThat(m).startsWith("nested loop produced 20000 inner rows"));
    }

    @Test
    void analyze_notAPlan_failsWithOffsetOrShape() {
        assertThatThrownBy(() -> PlanAnalyzer.analyze("p", "{\"x\": 1}", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlanAnalyzer.analyze("p", "[{\"Plan\": {", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
    }
}
