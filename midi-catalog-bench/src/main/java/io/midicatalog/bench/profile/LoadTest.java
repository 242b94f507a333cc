package io.midicatalog.bench.profile;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The mixed read workload: each of {@code users} threads runs, in a loop until the duration is
 * over, a random {@link Operation} of the mix (search shapes, track loads, details). Operations
 * borrow connections from the catalog's pool, so pool waits are real. Read only: no operation
 * writes. Bounded: every loop ends at the deadline, samples are capped.
 */
public final class LoadTest {
    /** One kind of request of the workload. */
    public record Operation(String name, Action action) {
        public Operation {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(action, "action");
        }
    }

    /** Runs one request; {@code random} is the calling user's own. */
    @FunctionalInterface
    public interface Action {
        void run(Random random);
    }

    private final DataSource dataSource;
    private final List<Operation> operations;

    /** @param dataSource the pool the operations use, watched for waiting threads */
    public LoadTest(DataSource dataSource, List<Operation> operations) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.operations = List.copyOf(operations);
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("no operations to run");
        }
    }

    /** Names of the operations in the mix. */
    public List<String> operations() {
        return operations.stream().map(Operation::name).toList();
    }

    /** Runs {@code users} threads for {@code duration}, each sending its next request when the last returns. */
    public LoadTestResult run(int users, Duration duration) throws InterruptedException {
        return run(users, duration, 0);
    }

    /**
     * Runs {@code users} threads for {@code duration}. With {@code rate} 0 each thread sends its
     * next request as soon as the last returns (a closed loop: the most the catalog gives, with the
     * latencies of a saturated server). With a rate the threads together send {@code rate}
     * requests per second on a fixed schedule (an open loop: what "sustains N requests/s at p95 X"
     * asks), and a latency counts from the request's scheduled start, so a thread that falls
     * behind reports its wait too (no coordinated omission); requests still unsent at the end of
     * the duration are not sent.
     */
    public LoadTestResult run(int users, Duration duration, double rate) throws InterruptedException {
        if (users < 1 || users > 1000) {
            throw new IllegalArgumentException("users must be 1-1000: " + users);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be 0 (closed loop) or a positive number of requests/s: " + rate);
        }
        long startAt = System.nanoTime();
        long deadline = startAt + duration.toNanos();
        long interval = rate > 0 ? Math.max(1, Math.round(users * 1e9 / rate)) : 0;
        int kinds = operations.size();
        Percentiles[][] perThread = new Percentiles[users][kinds];
        long[][] errors = new long[users][kinds];
        AtomicLong timeouts = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int user = u;
            for (int k = 0; k < kinds; k++) {
                perThread[u][k] = new Percentiles();
            }
            long first = startAt + interval * user / users; // paced threads staggered over one interval
            Thread t = new Thread(() -> {
                Random random = new Random(31L * user + 7);
                long scheduled = first;
                while (System.nanoTime() < deadline) {
                    long t0;
                    if (interval > 0) {
                        if (scheduled >= deadline) {
                            break;
                        }
                        long wait;
                        while ((wait = scheduled - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        t0 = scheduled;
                        scheduled += interval;
                    } else {
                        t0 = System.nanoTime();
                    }
                    int k = random.nextInt(kinds);
                    try {
                        operations.get(k).action().run(random);
                        perThread[user][k].add(System.nanoTime() - t0);
                    } catch (RuntimeException e) {
                        errors[user][k]++;
                        if (isAcquireTimeout(e)) {
                            timeouts.incrementAndGet();
                        }
                    }
                }
            }, "profile-user-" + u);
            t.setDaemon(true);
            threads.add(t);
        }
        HikariPoolMXBean pool = dataSource instanceof HikariDataSource h ? h.getHikariPoolMXBean() : null;
        AtomicBoolean sampling = new AtomicBoolean(true);
        long[] waitStats = new long[3]; // max, sum, samples
        Thread sampler = new Thread(() -> {
            while (sampling.get() && pool != null) {
                int waiting = pool.getThreadsAwaitingConnection();
                waitStats[0] = Math.max(waitStats[0], waiting);
                waitStats[1] += waiting;
                waitStats[2]++;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "profile-pool-sampler");
        sampler.setDaemon(true);
        threads.forEach(Thread::start);
        sampler.start();
        for (Thread t : threads) {
            t.join(duration.toMillis() + 60_000);
        }
        double seconds = (System.nanoTime() - startAt) / 1e9;
        sampling.set(false);
        sampler.join(1000);

        Percentiles all = new Percentiles();
        List<LoadTestResult.OperationStats> byKind = new ArrayList<>();
        long errorTotal = 0;
        for (int k = 0; k < kinds; k++) {
            Percentiles kind = new Percentiles();
            long kindErrors = 0;
            for (int u = 0; u < users; u++) {
                kind.addAll(perThread[u][k]);
                kindErrors += errors[u][k];
            }
            all.addAll(kind);
            errorTotal += kindErrors;
            long[] sorted = kind.sorted();
            byKind.add(new LoadTestResult.OperationStats(operations.get(k).name(), sorted.length, kind.millis(50, sorted),
                    kind.millis(95, sorted), kind.millis(99, sorted), kindErrors));
        }
        long[] sorted = all.sorted();
        long operations = sorted.length;
        return new LoadTestResult(users, rate, seconds, operations, operations / seconds, all.millis(50, sorted),
                all.millis(95, sorted), all.millis(99, sorted), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                errorTotal, (int) waitStats[0], waitStats[2] == 0 ? 0 : (double) waitStats[1] / waitStats[2],
                timeouts.get(), byKind);
    }

    /**
     * An id as a DAW session asks for them: 80 % from a hot tenth of {@code ids}, 20 % from all of
     * them, so a cache sees realistic reuse and the database still sees misses.
     */
    public static long pick(long[] ids, Random random) {
        int hot = Math.max(1, ids.length / 10);
        return ids[random.nextDouble() < 0.8 ? random.nextInt(hot) : random.nextInt(ids.length)];
    }

    private static boolean isAcquireTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }
}
