package io.midicatalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The races a cache decorator can lose: a load that read the old value finishing after the write's
 * invalidation. Latches force each interleaving deterministically.
 */
class GuardedCacheTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final GuardedCache<Long, String> cache = new GuardedCache<>(100, Duration.ofHours(1));
    /** Plays the database row. */
    private final AtomicReference<String> row = new AtomicReference<>("old");

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void get_concurrentMissesOfOneKey_loadOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return cache.get(1L, k -> {
                    loads.incrementAndGet();
                    sleep(100);
                    return row.get();
                });
            }));
        }
        start.countDown();
        for (Future<String> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("old");
        }
        assertThat(loads).hasValue(1);
        CacheStatistics stats = cache.statistics();
        assertThat(stats.loads()).isEqualTo(1);
        assertThat(stats.hits() + stats.misses()).isEqualTo(16);
    }

    /** Each way to invalidate key 1, as the change listener calls them. */
    enum Invalidation {
        KEYS(true, cache -> cache.invalidate(List.of(1L))),   // Caffeine's invalidate(key) waits for the load
        PREDICATE(false, cache -> cache.invalidateIf((key, value) -> key == 1L)),   // the scan cannot see it
        ALL(false, GuardedCache::invalidateAll);   // Caffeine's invalidateAll does not wait for it either

        final boolean waitsForTheLoad;
        final Consumer<GuardedCache<Long, String>> run;

        Invalidation(boolean waitsForTheLoad, Consumer<GuardedCache<Long, String>> run) {
            this.waitsForTheLoad = waitsForTheLoad;
            this.run = run;
        }
    }

    @ParameterizedTest
    @EnumSource(Invalidation.class)
    void invalidation_whileALoadOfTheOldRowIsInFlight_leavesNoStaleEntry(Invalidation invalidation) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<String> slowReader = slowLoadOfTheOldRow(release);
        row.set("new");   // the write commits, then reports
        Future<?> report = pool.submit(() -> invalidation.run.accept(cache));
        if (!invalidation.waitsForTheLoad) {
            report.get(10, TimeUnit.SECONDS);   // done before the load installs its value
        }
        release.countDown();
        report.get(10, TimeUnit.SECONDS);
        // the reader asked before the invalidation: it gets what it read, but the cache keeps none of it
        assertThat(slowReader.get(10, TimeUnit.SECONDS)).isEqualTo("old");
        assertThat(cache.get(1L, k -> row.get())).isEqualTo("new");
    }

    @Test
    void get_joiningALoadThatAnInvalidationOvertook_readsAgain() throws Exception {
        // Whether the later reader gets the overtaken entry, or arrives after the first reader
        // removed it, is up to the scheduler: repeated, the first case comes up many times.
        for (int round = 0; round < 50; round++) {
            row.set("old");
            cache.invalidateAll();
            CountDownLatch release = new CountDownLatch(1);
            Future<String> slowReader = slowLoadOfTheOldRow(release);
            row.set("new");
            cache.invalidateIf((key, value) -> true);
            // asks after the invalidation and waits for the in-flight load of the same key: the
            // load is released only once that reader is parked in the cache
            AtomicReference<Thread> laterThread = new AtomicReference<>();
            Future<String> laterReader = pool.submit(() -> {
                laterThread.set(Thread.currentThread());
                return cache.get(1L, k -> row.get());
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (laterThread.get() == null || !EnumSet.of(Thread.State.WAITING, Thread.State.BLOCKED,
                    Thread.State.TIMED_WAITING).contains(laterThread.get().getState())) {
                assertThat(System.nanoTime()).as("the later reader waits for the load").isLessThan(deadline);
                Thread.onSpinWait();
            }
            release.countDown();
            assertThat(slowReader.get(10, TimeUnit.SECONDS)).isEqualTo("old");
            assertThat(laterReader.get(10, TimeUnit.SECONDS)).as("round %d", round).isEqualTo("new");
        }
    }

    @Test
    void get_afterAnInvalidationOfOtherKeys_isAHit() {
        cache.get(1L, k -> "one");
        cache.invalidate(List.of(2L));
        cache.invalidateIf((key, value) -> key == 2L);
        assertThat(cache.get(1L, k -> {
            throw new AssertionError("should be cached");
        })).isEqualTo("one");
    }

    @Test
    void getAll_invalidationDuringTheBatchRead_doesNotCacheTheBatch() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Map<Long, String>> slowBatch = pool.submit(() -> cache.getAll(List.of(1L, 2L), missing -> {
            String read = row.get();
            reading.countDown();
            await(release);
            return Map.of(1L, read, 2L, read);
        }));
        reading.await();
        row.set("new");
        cache.invalidate(List.of(1L));
        release.countDown();
        assertThat(slowBatch.get(10, TimeUnit.SECONDS)).containsEntry(1L, "old");
        assertThat(cache.get(1L, k -> row.get())).isEqualTo("new");
    }

    @Test
    void getAll_servesCachedKeysAndLoadsOnlyTheRest_cachingAbsentOnes() {
        cache.get(1L, k -> "one");
        AtomicReference<Object> asked = new AtomicReference<>();
        Map<Long, String> values = cache.getAll(List.of(1L, 2L, 3L), missing -> {
            asked.set(List.copyOf(missing));
            return Map.of(2L, "two");
        });
        assertThat(asked.get()).isEqualTo(List.of(2L, 3L));
        assertThat(values).containsEntry(1L, "one").containsEntry(2L, "two").containsEntry(3L, null);
        Map<Long, String> again = cache.getAll(List.of(2L, 3L), missing -> {
            throw new AssertionError("should be cached: " + missing);
        });
        assertThat(again).containsEntry(2L, "two").containsEntry(3L, null);
    }

    @Test
    void statistics_countHitsMissesAndEvictions() {
        GuardedCache<Long, String> small = new GuardedCache<>(1, Duration.ofHours(1));
        small.get(1L, k -> "a");
        small.get(1L, k -> "a");
        small.get(2L, k -> "b");
        small.cleanUp();
        CacheStatistics stats = small.statistics();
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(2);
        assertThat(stats.evictions()).isEqualTo(1);
        assertThat(stats.size()).isEqualTo(1);
        assertThat(stats.hitRate()).isEqualTo(1.0 / 3);
    }

    /** Starts a load of key 1 that has read the row and returns only when {@code release} opens. */
    private Future<String> slowLoadOfTheOldRow(CountDownLatch release) throws InterruptedException {
        CountDownLatch reading = new CountDownLatch(1);
        Future<String> reader = pool.submit(() -> cache.get(1L, k -> {
            String read = row.get();   // the read happens before the write commits
            reading.countDown();
            await(release);
            return read;
        }));
        reading.await();
        return reader;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
