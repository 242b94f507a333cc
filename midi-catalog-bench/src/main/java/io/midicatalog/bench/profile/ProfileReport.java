package io.midicatalog.bench.profile;

import io.midicatalog.diagnostics.DiagnosticsReport;
import io.midicatalog.diagnostics.Finding;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code profile} command's report. Its JSON form is documented by
 * {@code profile-report.schema.json} (resource next to this class's package root); bump
 * {@link #SCHEMA_VERSION} on incompatible changes.
 *
 * @param target what was profiled
 * @param summary the executive summary, one sentence per line
 * @param indexRecommendations findings whose SQL creates, drops or rebuilds an index
 * @param cacheRecommendations advice on the catalog's caches from the workload seen
 * @param loadTestsSkipped why there are no load tests, or null
 * @param importThroughput null when the profiler did not fill the catalog
 */
public record ProfileReport(int schemaVersion, String generatedAt, Target target, double durationSeconds,
                            int healthScore, String healthFormula, List<String> summary, DiagnosticsReport diagnostics,
                            List<Finding> indexRecommendations, List<String> cacheRecommendations,
                            List<LoadTestResult> loadTests, @Nullable String loadTestsSkipped,
                            @Nullable ImportThroughput importThroughput) {
    public static final int SCHEMA_VERSION = 1;

    public ProfileReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(target, "target");
        summary = List.copyOf(summary);
        Objects.requireNonNull(diagnostics, "diagnostics");
        indexRecommendations = List.copyOf(indexRecommendations);
        cacheRecommendations = List.copyOf(cacheRecommendations);
        loadTests = List.copyOf(loadTests);
    }

    /**
     * @param kind {@code embedded} (a temporary server the profiler started) or {@code explicit} (--database-url)
     * @param createdByProfiler whether the profiler created (and may change) this database
     * @param database host:port/database, never credentials
     */
    public record Target(String kind, boolean createdByProfiler, String database, String serverVersion, long files) {
        public Target {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(serverVersion, "serverVersion");
        }
    }
}
