package io.midicatalog.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthScoreTest {
    private static Finding finding(Severity severity, String area) {
        return new Finding(severity, area, "s", "m", "r", null);
    }

    @Test
    void of_noFindings_is100() {
        assertThat(HealthScore.of(List.of())).isEqualTo(100);
    }

    @Test
    void of_mixedSeverities_deductsPerSeverity() {
        assertThat(HealthScore.of(List.of(finding(Severity.CRITICAL, "plan"), finding(Severity.WARNING, "settings"),
                finding(Severity.INFO, "pool")))).isEqualTo(100 - 20 - 5 - 1);
    }

    @Test
    void of_oneNoisyArea_isCappedAt40() {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            findings.add(finding(Severity.WARNING, "plan"));
        }
        assertThat(HealthScore.of(findings)).isEqualTo(60);
        findings.add(finding(Severity.CRITICAL, "settings"));
        findings.add(finding(Severity.CRITICAL, "statistics"));
        findings.add(finding(Severity.CRITICAL, "pool"));
        assertThat(HealthScore.of(findings)).isZero();
    }
}
