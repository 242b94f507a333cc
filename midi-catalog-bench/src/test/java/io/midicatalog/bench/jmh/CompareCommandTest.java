package io.midicatalog.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.bench.cli.MidiCatalogCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            String[] full = new String[args.length + 1];
            full[0] = "bench-compare";
            System.arraycopy(args, 0, full, 1, args.length);
            assertThat(MidiCatalogCli.run(full)).isZero();
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
