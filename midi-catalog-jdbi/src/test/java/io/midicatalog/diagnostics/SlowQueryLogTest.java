package io.midicatalog.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.MidiCatalog;
import io.midicatalog.diagnostics.internal.BindingShapes;
import io.midicatalog.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;

class SlowQueryLogTest {

    @Test
    void shapes_textArrayAndNumbers_describeTypesAndLengthsNeverValues() {
        Jdbi jdbi = Jdbi.create(TestDatabases.fresh(SlowQueryLogTest.class)).installPlugin(new PostgresPlugin());
        List<String> shapes = new CopyOnWriteArrayList<>();
        jdbi.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                shapes.add(BindingShapes.describe(context));
            }
        });

        jdbi.useHandle(h -> h.createQuery("SELECT :text::text AS a, :ids::bigint[] AS b, :n::bigint AS c, :hash::bytea AS d, :none::text AS e")
                .bind("text", "my secret song").bind("ids", new long[] {1, 2, 3}).bind("n", 42L)
                .bind("hash", new byte[32]).bind("none", (String) null).mapToMap().one());

        assertThat(shapes).singleElement().satisfies(s -> {
            assertThat(s).contains("text=text(14)", "n=bigint", "hash=bytes(32)", "none=null").doesNotContain("secret", "42");
            assertThat(s).contains("ids=array(bigint[3])");
        });
    }

    @Test
    void slowQueryLog_thresholdZero_countsTheCatalogsStatements() {
        try (MidiCatalog catalog = MidiCatalog.builder().dataSource(TestDatabases.fresh(SlowQueryLogTest.class))
                .slowQueryThreshold(Duration.ZERO).build()) {
            catalog.migrate();
            catalog.diagnostics().samples();
            assertThat(catalog.diagnostics().slowStatements()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void builder_negativeThreshold_failsQuotingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MidiCatalog.builder().slowQueryThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("slowQueryThreshold must be >= 0: PT-0.001S");
    }
}
