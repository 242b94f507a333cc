package io.midicatalog.bench.profile;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.midicatalog.diagnostics.QueryProbe;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The mixed read workload: each of {@code users} threads replays, in a loop until the duration is
 * over, a random probe of the catalog's {@code search}, {@code track} and {@code details} categories
 * (the SQL the library runs), with the {@code :id} / {@code :ids} values drawn from real ids.
 * Each operation borrows a connection from the catalog's pool, so pool waits are real. Read only:
 * nothing here writes. Bounded: every loop ends at the deadline, samples are capped.
 */
public final class LoadTest {
    /** Categories whose probes make up the workload. */
    public static final Set<String> WORKLOAD = Set.of("search", "track", "details");

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final List<QueryProbe> probes;
    private final long[] ids;

    public LoadTest(DataSource dataSource, List<QueryProbe> allProbes, List<Long> ids) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.jdbi = Jdbi.create(dataSource).installPlugin(new org.jdbi.v3.postgres.PostgresPlugin());
        this.probes = allProbes.stream().filter(p -> WORKLOAD.contains(p.category())).toList();
        this.ids = ids.stream().mapToLong(Long::longValue).toArray();
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("no probes of categories " + WORKLOAD + " to replay");
        }
    }

    /** Names of the operations in the mix. */
    public List<String> operations() {
        return probes.stream().map(QueryProbe::name).toList();
    }

    /** Runs {@code users} threads for {@code duration}. */
    public LoadTestResult run(int users, Duration duration) throws InterruptedException {
        if (users < 1 || users > 1000) {
            throw new IllegalArgumentException("users must be 1-1000: " + users);
        }
        long deadline = System.nanoTime() + duration.toNanos();
        int kinds = probes.size();
        Percentiles[][] perThread = new Percentiles[users][kinds];
        long[][] errors = new long[users][kinds];
        AtomicLong timeouts = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int user = u;
            for (int k = 0; k < kinds; k++) {
                perThread[u][k] = new Percentiles();
            }
            Thread t = new Thread(() -> {
                Random random = new Random(31L * user + 7);
                while (System.nanoTime() < deadline) {
                    int k = random.nextInt(kinds);
                    QueryProbe probe = probes.get(k);
                    Map<String, Object> bindings = rebind(probe.bindings(), random);
                    long t0 = System.nanoTime();
                    try (Handle handle = jdbi.open()) {
                        handle.createQuery(probe.sql()).bindMap(bindings).mapToMap().list();
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
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        sampler.start();
        for (Thread t : threads) {
            t.join(duration.toMillis() + 60_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
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
            byKind.add(new LoadTestResult.OperationStats(probes.get(k).name(), sorted.length, kind.millis(50, sorted),
                    kind.millis(95, sorted), kind.millis(99, sorted), kindErrors));
        }
        long[] sorted = all.sorted();
        long operations = sorted.length;
        return new LoadTestResult(users, seconds, operations, operations / seconds, all.millis(50, sorted),
                all.millis(95, sorted), all.millis(99, sorted), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                errorTotal, (int) waitStats[0], waitStats[2] == 0 ? 0 : (double) waitStats[1] / waitStats[2],
                timeouts.get(), byKind);
    }

    private Map<String, Object> rebind(Map<String, Object> bindings, Random random) {
        if (ids.length == 0) {
            return bindings;
        }
        Map<String, Object> copy = new LinkedHashMap<>(bindings);
        if (copy.containsKey("id")) {
            copy.put("id", ids[random.nextInt(ids.length)]);
        }
        if (copy.get("ids") instanceof long[] original) {
            long[] drawn = new long[Math.max(1, original.length)];
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = ids[random.nextInt(ids.length)];
            }
            copy.put("ids", drawn);
        }
        return copy;
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
