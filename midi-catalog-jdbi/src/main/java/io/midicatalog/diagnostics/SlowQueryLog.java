package io.midicatalog.diagnostics;

import io.midicatalog.diagnostics.internal.BindingShapes;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDBI {@link SqlLogger} that logs statements slower than a threshold at WARN through slf4j
 * (logger {@code io.midicatalog.slow-queries}) with their duration, SQL and the shapes of their
 * bound values (type and length, e.g. {@code text(11)}, {@code bigint[10]}): never the values, since
 * free text may be private. MidiCatalog installs one on its JDBI instances
 * ({@code MidiCatalog.builder().slowQueryThreshold(...)}, default 500 ms). Cost per statement: one
 * clock comparison; the shapes are computed only for slow ones.
 */
public final class SlowQueryLog implements SqlLogger {
    /** The threshold when none is configured. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger("io.midicatalog.slow-queries");

    private final long thresholdMicros;
    private final Duration threshold;
    private final AtomicLong slow = new AtomicLong();

    public SlowQueryLog(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("slow query threshold must be >= 0: " + threshold);
        }
        this.threshold = threshold;
        this.thresholdMicros = threshold.toNanos() / 1000;
    }

    public Duration threshold() {
        return threshold;
    }

    /** Statements logged as slow since the catalog was built. */
    public long slowStatements() {
        return slow.get();
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        long micros = context.getElapsedTime(ChronoUnit.MICROS);
        if (micros < thresholdMicros) {
            return;
        }
        slow.incrementAndGet();
        if (LOG.isWarnEnabled()) {
            LOG.warn("slow query: {} ms (threshold {} ms): {} bindings {}", micros / 1000, threshold.toMillis(),
                    compact(context.getRenderedSql()), BindingShapes.describe(context));
        }
    }

    static String compact(String sql) {
        String oneLine = sql == null ? "" : sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + " ...";
    }
}
