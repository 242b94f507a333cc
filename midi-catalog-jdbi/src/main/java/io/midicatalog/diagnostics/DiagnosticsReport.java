package io.midicatalog.diagnostics;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Diagnostics#report(DiagnosticsOptions)} found, with the health score.
 *
 * @param findings every finding of every section, most severe first
 * @param healthScore 0-100, computed as {@link HealthScore#FORMULA} says
 */
public record DiagnosticsReport(Instant generatedAt, int healthScore, String healthFormula,
                                DatabaseStatistics statistics, TopStatements topStatements, List<QueryPlan> plans,
                                PoolMetrics pool, List<CacheStats> caches, ServerSettings settings,
                                List<Finding> findings) {
    public DiagnosticsReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(healthFormula, "healthFormula");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(topStatements, "topStatements");
        plans = List.copyOf(plans);
        Objects.requireNonNull(pool, "pool");
        caches = List.copyOf(caches);
        Objects.requireNonNull(settings, "settings");
        findings = List.copyOf(findings);
        if (healthScore < 0 || healthScore > 100) {
            throw new IllegalArgumentException("healthScore must be 0-100: " + healthScore);
        }
    }
}
