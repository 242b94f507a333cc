package io.midicatalog.diagnostics;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The health score, 0-100: {@value #FORMULA}
 */
public final class HealthScore {
    /** The formula, as the report prints it. */
    public static final String FORMULA = "100 minus, per finding, 20 (critical), 5 (warning) or 1 (info);"
            + " the deduction of one area (statistics, statements, plan, settings, pool, cache, maintenance)"
            + " is capped at 40 so one noisy area cannot hide the others; clamped to 0-100.";
    static final int AREA_CAP = 40;

    private HealthScore() {}

    /** The score of these findings. */
    public static int of(List<Finding> findings) {
        Map<String, Integer> perArea = new HashMap<>();
        for (Finding f : findings) {
            perArea.merge(f.area(), f.severity().deduction(), Integer::sum);
        }
        int deduction = perArea.values().stream().mapToInt(d -> Math.min(d, AREA_CAP)).sum();
        return Math.max(0, Math.min(100, 100 - deduction));
    }

    /** How many findings of each severity. */
    public static Map<Severity, Integer> counts(List<Finding> findings) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        return counts;
    }
}
