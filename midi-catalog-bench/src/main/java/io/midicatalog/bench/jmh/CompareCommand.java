package io.midicatalog.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.midicatalog.bench.cli.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bench-compare CURRENT.json [BASELINE.json]}: a table of JMH results ({@code -rf json}).
 * With two files it pairs benchmarks by name and parameters and prints current / baseline per row
 * (this run vs last run). With one file it pairs rows that differ only in the parameter
 * {@code impl} ({@code ours} vs {@code guide}) and prints guide / ours: how many times faster we
 * are, measured in one run.
 */
@Command(name = "bench-compare", mixinStandardHelpOptions = true,
        description = "Compare JMH JSON results: this run vs a baseline, or ours vs the guide's SQL in one run.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CURRENT", description = "JMH result file (-rf json) of this run.")
    Path current;

    @Parameters(index = "1", arity = "0..1", paramLabel = "BASELINE", description = "JMH result file of the baseline run.")
    @Nullable Path baseline;

    @Option(names = "--param", defaultValue = "impl",
            description = "Parameter whose values are compared within one file (default: ${DEFAULT-VALUE}).")
    String param;

    /** One benchmark row: its score and percentiles in the score unit. */
    record Row(String benchmark, Map<String, String> params, String mode, double score, double error, String unit,
               double p50, double p95) {
        String label(@Nullable String without) {
            StringBuilder sb = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            params.forEach((k, v) -> {
                if (!k.equals(without)) {
                    sb.append(' ').append(k).append('=').append(v);
                }
            });
            return sb.toString();
        }

        /** Lower is better for time modes, higher for throughput. */
        boolean timeMode() {
            return !mode.equals("thrpt");
        }
    }

    @Override
    public Integer call() throws IOException {
        List<Row> now = read(current);
        PrintWriter out = spec.commandLine().getOut();
        if (baseline != null) {
            Map<String, Row> before = new LinkedHashMap<>();
            for (Row r : read(baseline)) {
                before.put(r.label(null), r);
            }
            out.printf(Locale.ROOT, "| benchmark | baseline | current | unit | current/baseline |%n|---|---:|---:|---|---:|%n");
            for (Row r : now) {
                Row b = before.get(r.label(null));
                out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.label(null),
                        b == null ? "-" : fmt(b.score), fmt(r.score), r.unit, b == null ? "new" : fmt(r.score / b.score));
            }
            out.flush();
            return 0;
        }
        Map<String, Map<String, Row>> groups = new TreeMap<>();
        for (Row r : now) {
            String impl = r.params.get(param);
            groups.computeIfAbsent(r.label(param), k -> new TreeMap<>()).put(impl == null ? "" : impl, r);
        }
        out.printf(Locale.ROOT, "| benchmark | ours p50 | ours p95 | guide p50 | guide p95 | unit | guide/ours (p50) |%n"
                + "|---|---:|---:|---:|---:|---|---:|%n");
        for (Map.Entry<String, Map<String, Row>> g : groups.entrySet()) {
            Row guide = g.getValue().get("guide");
            // a benchmark without the parameter (a cache hit, say) has only our figure
            Row ours = g.getValue().containsKey("ours") ? g.getValue().get("ours") : g.getValue().get("");
            Row any = ours != null ? ours : g.getValue().values().iterator().next();
            double ratio = ours != null && guide != null ? (any.timeMode() ? guide.p50 / ours.p50 : ours.score / guide.score)
                    : Double.NaN;
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", g.getKey(),
                    ours == null ? "-" : fmt(ours.p50), ours == null ? "-" : fmt(ours.p95),
                    guide == null ? "-" : fmt(guide.p50), guide == null ? "-" : fmt(guide.p95), any.unit,
                    Double.isNaN(ratio) ? "-" : fmt(ratio) + "x");
        }
        out.flush();
        return 0;
    }

    static List<Row> read(Path file) throws IOException {
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(file + " is not a JMH result file (-rf json): expected a JSON array");
        }
        List<Row> rows = new ArrayList<>();
        int index = 0;
        for (JsonNode b : root) {
            for (String field : List.of("benchmark", "mode", "primaryMetric")) {
                if (!b.hasNonNull(field)) {
                    throw new IOException(file + " is not a JMH result file (-rf json): result " + index + " has no " + field);
                }
            }
            for (String field : List.of("score", "scoreUnit")) {
                if (!b.get("primaryMetric").hasNonNull(field)) {
                    throw new IOException(file + " is not a JMH result file (-rf json): result " + index
                            + " has no primaryMetric." + field);
                }
            }
            index++;
            Map<String, String> params = new TreeMap<>();
            JsonNode p = b.get("params");
            if (p != null) {
                for (Map.Entry<String, JsonNode> e : p.properties()) {
                    params.put(e.getKey(), e.getValue().asText());
                }
            }
            JsonNode m = b.get("primaryMetric");
            JsonNode pct = m.get("scorePercentiles");
            double score = m.get("score").asDouble();
            double p50 = pct != null && pct.has("50.0") ? pct.get("50.0").asDouble() : score;
            double p95 = pct != null && pct.has("95.0") ? pct.get("95.0").asDouble() : score;
            rows.add(new Row(b.get("benchmark").asText(), params, b.get("mode").asText(), score,
                    m.path("scoreError").asDouble(Double.NaN), m.get("scoreUnit").asText(), p50, p95));
        }
        return rows;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
