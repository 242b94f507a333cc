package io.midicatalog.diagnostics;

/** How much a finding matters, and what it costs the health score (see {@link HealthScore}). */
public enum Severity {
    /** Worth knowing; costs 1 point. */
    INFO(1),
    /** Slows the catalog down or will soon; costs 5 points. */
    WARNING(5),
    /** Breaks a target or risks failures now; costs 20 points. */
    CRITICAL(20);

    private final int deduction;

    Severity(int deduction) {
        this.deduction = deduction;
    }

    /** Points this severity takes off the health score. */
    public int deduction() {
        return deduction;
    }
}
