package io.midicatalog.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.bench.cli.MidiCatalogCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

    private static String result(String impl, double p50, double p95) {
        return """
            {"benchmark":"io.midicatalog.bench.jmh.SearchBenchmark.commonWord","mode":"sample",
             "params":{"impl":"%s","rows":"100000"},
             "primaryMetric":{"score":%s,"scoreError":0.1,"scoreUnit":"ms/op",
               "scorePercentiles":{"0.0":0.1,"50.0":%s,"95.0":%s,"100.0":9.0}}}
            """.formatted(impl, p50, p50, p95);
    }

    @Test
    void oneFile_pairsOursWithGuide_andPrintsTheRatio(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.json");
        Files.writeString(file, "[" + result("ours", 0.5, 0.9) + "," + result("guide", 250, 600) + "]");
        String out = run(file.toString());
        assertThat(out).contains("| SearchBenchmark.commonWord rows=100000 | 0.500 | 0.900 | 250 | 600 | ms/op | 500x |");
    }

    @Test
    void oneFile_benchmarkWithoutImpl_showsItsOwnFigures(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.json");
        Files.writeString(file, "[" + result("ours", 0.5, 0.9).replace("\"impl\":\"ours\",", "") + "]");
        String out = run(file.toString());
        assertThat(out).contains("| SearchBenchmark.commonWord rows=100000 | 0.500 | 0.900 | - | - | ms/op | - |");
    }

    @Test
    void twoFiles_printCurrentOverBaseline(@TempDir Path dir) throws Exception {
        Path now = dir.resolve("now.json");
        Path before = dir.resolve("before.json");
        Files.writeString(now, "[" + result("ours", 2.0, 3.0) + "]");
        Files.writeString(before, "[" + result("ours", 1.0, 1.5) + "]");
        String out = run(now.toString(), before.toString());
        assertThat(out).contains("| SearchBenchmark.commonWord impl=ours rows=100000 | 1.00 | 2.00 | ms/op | 2.00 |");
    }

    private static String run(String... args) {
        return run(0, args)[0];
    }

    private static String[] run(int expectedStatus, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 1];
        full[0] = "bench-compare";
        System.arraycopy(args, 0, full, 1, args.length);
        int status = MidiCatalogCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(full);
        assertThat(status).as(err.toString()).isEqualTo(expectedStatus);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void notJmhOutput_saysWhatIsMissing(@TempDir Path dir) throws Exception {
        Path object = dir.resolve("object.json");
        Files.writeString(object, "{}");
        assertThat(run(2, object.toString())[1]).contains("expected a JSON array");
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "[{}]");
        assertThat(run(2, empty.toString())[1]).contains("result 0 has no benchmark");
        Path noScore = dir.resolve("noScore.json");
        Files.writeString(noScore, "[{\"benchmark\":\"b\",\"mode\":\"thrpt\",\"primaryMetric\":{}}]");
        assertThat(run(2, noScore.toString())[1]).contains("result 0 has no primaryMetric.score");
    }
}
