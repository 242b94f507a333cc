package io.midicatalog.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The load test's two loops, with operations that touch no database: only properties that hold
 * however slow the machine is (a schedule caps the count; a sleep never returns early).
 */
class LoadTestTest {
    private final AtomicLong calls = new AtomicLong();

    @Test
    void pacedRunNeverSendsMoreThanTheSchedule() throws Exception {
        LoadTest test = new LoadTest(NO_DATABASE, List.of(new LoadTest.Operation("sleep 1 ms", r -> {
            sleep(1);
            calls.incrementAndGet();
        })));
        LoadTestResult paced = test.run(4, Duration.ofMillis(500), 200);
        // 200/s for half a second: 100 requests on the schedule, however fast each one is
        // (closed, 4 users of a 1 ms request send several hundred in 200 ms)
        assertThat(paced.operations()).isEqualTo(calls.get()).isLessThanOrEqualTo(100);
        assertThat(paced.targetRate()).isEqualTo(200);
        calls.set(0);
        LoadTestResult closed = test.run(4, Duration.ofMillis(200));
        assertThat(closed.targetRate()).isZero();
        assertThat(closed.operations()).isEqualTo(calls.get()).isGreaterThan(100);
    }

    @Test
    void aUserThatFallsBehindReportsItsWait() throws Exception {
        LoadTest test = new LoadTest(NO_DATABASE, List.of(new LoadTest.Operation("sleep 50 ms", r -> sleep(50))));
        // one user asked for 100/s of a 50 ms request: request k (from 0) is due at 10k ms and ends
        // no earlier than 50(k+1) ms, so its latency is at least 40k + 50 ms
        LoadTestResult r = test.run(1, Duration.ofMillis(600), 100);
        assertThat(r.operations()).isBetween(3L, 12L);
        assertThat(r.maxMillis()).isGreaterThanOrEqualTo(40.0 * (r.operations() - 1) + 50 - 1);
        assertThat(r.p50Millis()).isGreaterThanOrEqualTo(50 - 1);
        LoadTestResult closed = test.run(1, Duration.ofMillis(300));
        assertThat(closed.maxMillis()).isLessThan(40.0 * (r.operations() - 1) + 50);
    }

    @Test
    void rejectsANegativeOrEndlessRate() {
        LoadTest test = new LoadTest(NO_DATABASE, List.of(new LoadTest.Operation("none", r -> { })));
        assertThatThrownBy(() -> test.run(1, Duration.ofMillis(10), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> test.run(1, Duration.ofMillis(10), Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> test.run(1, Duration.ofMillis(10), Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A DataSource that is never asked for a connection (the operations above use none). */
    private static final DataSource NO_DATABASE = new DataSource() {
        @Override
        public Connection getConnection() {
            throw new UnsupportedOperationException("no database in this test");
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException("no database in this test");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    };
}
