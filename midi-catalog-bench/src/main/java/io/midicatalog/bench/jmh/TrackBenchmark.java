package io.midicatalog.bench.jmh;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.FileDetails;
import io.midicatalog.api.TagCount;
import io.midicatalog.api.TrackBatch;
import io.midicatalog.bench.generate.CatalogRowGenerator;
import io.midicatalog.cache.CacheSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Track loading, details, tag counts and browse lists at scale, ours against the guide's SQL in the
 * same run ({@code impl=ours|guide}), plus cache hits. Sample-time mode: JMH prints p50/p95/p99.
 *
 * <p>Run (builds the 1M-row dataset with {@link CatalogRowGenerator} on first use and keeps it, see
 * {@link BenchDataset}):
 * <pre>
 * mvn -B -q install -DskipTests
 * java -jar midi-catalog-bench/target/benchmarks.jar TrackBenchmark -p rows=1000000 -rf json -rff track.json
 * java -jar midi-catalog-bench/target/midi-catalog.jar bench-compare track.json
 * </pre>
 * {@code ours} goes through the public API (HikariCP pool, JDBI, mapping to records); {@code guide}
 * is the guide's statement on one JDBC connection, prepared once (its best case). The guide's
 * details query is its 4-table join, with columns renamed to this schema; its "tags with counts"
 * and "manufacturers" are the plain GROUP BY a catalog without count tables must run. The embedded
 * server runs with {@code synchronous_commit=off} and {@code fsync=off} (reads are unaffected).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class TrackBenchmark {

    /** The dataset, an uncached and a cached catalog over it, and the guide's connection. */
    @State(Scope.Benchmark)
    public static class Data {
        /** Dataset scale: 100,000 by default (the quick pass); {@code -p rows=1000000} for the full pass. */
        @Param("100000")
        public int rows;

        BenchDataset dataset;
        MidiCatalog cached;
        long minId;
        long maxId;
        /** Ids the cache benchmarks ask for, all loaded before measuring (fits the tracks cache). */
        long[] hot;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            dataset = BenchDataset.open(rows, (ds, n, seed) -> CatalogRowGenerator.generate(ds, n, seed));
            try (Connection c = dataset.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT min(id), max(id) FROM files")) {
                rs.next();
                minId = rs.getLong(1);
                maxId = rs.getLong(2);
            }
            cached = MidiCatalog.builder().dataSource(dataset.dataSource()).cache(CacheSpec.defaults()).build();
            hot = new long[500];
            for (int i = 0; i < hot.length; i++) {
                hot[i] = randomId();
                cached.tracks().load(hot[i]);
                cached.details().get(hot[i]);
            }
        }

        long randomId() {
            return ThreadLocalRandom.current().nextLong(minId, maxId + 1);
        }

        long[] randomIds(int count) {
            long[] ids = new long[count];
            for (int i = 0; i < count; i++) {
                ids[i] = randomId();
            }
            return ids;
        }

        long hotId() {
            return hot[ThreadLocalRandom.current().nextInt(hot.length)];
        }

        @TearDown(Level.Trial)
        public void close() {
            cached.close();
            dataset.close();
        }
    }

    /** Which implementation a comparable benchmark runs; the guide's statements prepared once. */
    @State(Scope.Benchmark)
    public static class Impl {
        @Param({"ours", "guide"})
        public String impl;

        boolean ours;
        Connection connection;
        PreparedStatement single;
        PreparedStatement batch;
        PreparedStatement details;
        PreparedStatement tagCounts;
        PreparedStatement manufacturers;

        @Setup(Level.Trial)
        public void prepare(Data data) throws SQLException {
            ours = impl.equals("ours");
            connection = data.dataset.dataSource().getConnection();
            single = connection.prepareStatement("SELECT id, filepath, filename FROM files WHERE id = ?");
            batch = connection.prepareStatement("SELECT id, filepath, filename FROM files WHERE id = ANY(?::BIGINT[]) ORDER BY id");
            details = connection.prepareStatement("""
                    SELECT f.id, f.filename, f.filepath, f.file_size_bytes, f.manufacturer, f.collection,
                           f.bpm::FLOAT8, mm.key_source, f.time_sig_num, f.time_sig_den, f.note_count, f.percussive,
                           fc.source, CASE WHEN fav.file_id IS NOT NULL THEN true ELSE false END AS is_favorite
                      FROM files f
                      LEFT JOIN musical_metadata mm ON f.id = mm.file_id
                      LEFT JOIN file_categories fc ON f.id = fc.file_id
                      LEFT JOIN favorites fav ON f.id = fav.file_id
                     WHERE f.id = ?""");
            tagCounts = connection.prepareStatement("""
                    SELECT t.name, count(ft.file_id) FROM tags t LEFT JOIN file_tags ft ON ft.tag_id = t.id
                     GROUP BY t.id, t.name ORDER BY 2 DESC, lower(t.name)""");
            manufacturers = connection.prepareStatement("""
                    SELECT manufacturer, count(*) FROM files WHERE manufacturer IS NOT NULL GROUP BY 1 ORDER BY 1""");
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }

        void consume(PreparedStatement statement, Blackhole hole) throws SQLException {
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        hole.consume(rs.getObject(i));
                    }
                }
            }
        }
    }

    @Benchmark
    public void trackById(Data data, Impl impl, Blackhole hole) throws SQLException {
        long id = data.randomId();
        if (impl.ours) {
            hole.consume(data.dataset.catalog().tracks().load(id));
        } else {
            impl.single.setLong(1, id);
            impl.consume(impl.single, hole);
        }
    }

    @Benchmark
    public void tracks10(Data data, Impl impl, Blackhole hole) throws SQLException {
        long[] ids = data.randomIds(10);
        if (impl.ours) {
            TrackBatch batch = data.dataset.catalog().tracks().load(ids);
            hole.consume(batch);
        } else {
            Long[] boxed = new Long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                boxed[i] = ids[i];
            }
            impl.batch.setArray(1, impl.connection.createArrayOf("bigint", boxed));
            impl.consume(impl.batch, hole);
        }
    }

    @Benchmark
    public void details(Data data, Impl impl, Blackhole hole) throws SQLException {
        long id = data.randomId();
        if (impl.ours) {
            hole.consume(data.dataset.catalog().details().get(id));
        } else {
            impl.details.setLong(1, id);
            impl.consume(impl.details, hole);
        }
    }

    @Benchmark
    public void tagsWithCounts(Data data, Impl impl, Blackhole hole) throws SQLException {
        if (impl.ours) {
            List<TagCount> counts = data.dataset.catalog().tags().withCounts();
            hole.consume(counts);
        } else {
            impl.consume(impl.tagCounts, hole);
        }
    }

    @Benchmark
    public void manufacturers(Data data, Impl impl, Blackhole hole) throws SQLException {
        if (impl.ours) {
            hole.consume(data.dataset.catalog().browse().manufacturers());
        } else {
            impl.consume(impl.manufacturers, hole);
        }
    }

    /** A details cache hit (the guide names no cached figure but "< 0.1 ms"). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Optional<FileDetails> cachedDetails(Data data) {
        return data.cached.details().get(data.hotId());
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object cachedTrack(Data data) {
        return data.cached.tracks().load(data.hotId());
    }
}
