package io.midicatalog.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsFindingsTest {
    private static final long GIB = 1024L * 1024 * 1024;

    private static ServerSettings settings(Map<String, String> values, int cores, long memory, boolean local, int pool) {
        return new ServerSettings("17.0", values, cores, memory, local, pool);
    }

    @Test
    void settingsFindings_poolLargerThanMaxConnections_isCritical() {
        List<Finding> findings = Diagnostics.settingsFindings(settings(Map.of("max_connections", "100"), 8, 16 * GIB,
                true, 120));
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.subject()).isEqualTo("max_connections");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void settingsFindings_smallSharedBuffersOnRemoteServer_recommends25PercentOfTheClientMachine() {
        List<Finding> findings = Diagnostics.settingsFindings(settings(Map.of("shared_buffers", "128MB",
                "max_connections", "100"), 8, 16 * GIB, false, 10));
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.subject()).isEqualTo("shared_buffers");
            assertThat(f.message()).contains("the client machine");
            assertThat(f.sql()).isEqualTo("ALTER SYSTEM SET shared_buffers = '4096MB';");
        });
    }

    @Test
    void settingsFindings_parallelWorkersOnTwoCores_recommendsOff_notOnEight() {
        Map<String, String> values = Map.of("max_parallel_workers_per_gather", "2", "max_connections", "100");
        assertThat(Diagnostics.settingsFindings(settings(values, 2, 8 * GIB, true, 10)))
                .extracting(Finding::subject).contains("max_parallel_workers_per_gather");
        assertThat(Diagnostics.settingsFindings(settings(values, 8, 8 * GIB, true, 10)))
                .extracting(Finding::subject).doesNotContain("max_parallel_workers_per_gather");
    }

    @Test
    void bytes_showFormats_parse() {
        assertThat(Diagnostics.bytes("128MB")).isEqualTo(128L * 1024 * 1024);
        assertThat(Diagnostics.bytes("4GB")).isEqualTo(4 * GIB);
        assertThat(Diagnostics.bytes("8kB")).isEqualTo(8192);
        assertThat(Diagnostics.bytes("-1")).isZero();
        assertThat(Diagnostics.bytes(null)).isZero();
    }
}
