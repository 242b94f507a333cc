package io.midicatalog;

import com.zaxxer.hikari.HikariDataSource;
import io.midicatalog.api.BrowseRepository;
import io.midicatalog.api.CatalogException;
import io.midicatalog.api.FavoriteRepository;
import io.midicatalog.api.FileDetailsRepository;
import io.midicatalog.api.Importer;
import io.midicatalog.api.TagRepository;
import io.midicatalog.api.TrackRepository;
import io.midicatalog.cache.CacheSpec;
import io.midicatalog.cache.CacheStatistics;
import io.midicatalog.cache.CatalogCaches;
import io.midicatalog.diagnostics.CacheStats;
import io.midicatalog.diagnostics.Diagnostics;
import io.midicatalog.diagnostics.QueryCategory;
import io.midicatalog.diagnostics.SlowQueryLog;
import io.midicatalog.diagnostics.internal.RepositoryCategories;
import io.midicatalog.importer.DirectoryImporter;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.internal.DataSources;
import io.midicatalog.internal.SchemaMigrator;
import io.midicatalog.jdbi.JdbiBrowseRepository;
import io.midicatalog.jdbi.JdbiFavoriteRepository;
import io.midicatalog.jdbi.JdbiFileDetailsRepository;
import io.midicatalog.jdbi.JdbiTagRepository;
import io.midicatalog.jdbi.JdbiTrackRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: a catalog of MIDI files in one PostgreSQL database.
 *
 * <pre>{@code
 * try (MidiCatalog catalog = new MidiCatalog(dataSource)) {   // any DataSource
 *     catalog.migrate();                                        // Flyway, idempotent
 *     ...
 * }
 * }</pre>
 *
 * or let it own a HikariCP pool: {@code MidiCatalog.builder().jdbcUrl(url).poolProfile(PoolProfile.SEARCH_HEAVY).build()}.
 * Thread-safe; one instance per database is meant to live as long as the application.
 * {@link #close()} closes only what the catalog created.
 */
public final class MidiCatalog implements AutoCloseable {
    private final DataSource dataSource;
    private final DataSource readDataSource;
    private final List<AutoCloseable> owned;
    private final Jdbi jdbi;
    private final Jdbi readJdbi;
    private final CatalogChanges changes = new CatalogChanges();

    // ---- importer (issue 4): fields ----
    private final DirectoryImporter importer;

    // ---- search (issue 5): fields ----
    private final io.midicatalog.api.SearchRepository search;

    // ---- tracks, details, tags, favorites, browse, cache (issue 6): fields ----
    private final TrackRepository tracks;
    private final FileDetailsRepository details;
    private final TagRepository tags;
    private final FavoriteRepository favorites;
    private final BrowseRepository browse;
    private final @Nullable CatalogCaches caches;

    // ---- diagnostics (issue 7): fields ----
    private final SlowQueryLog slowQueryLog;
    private final Diagnostics diagnostics;

    /**
     * A catalog over a DataSource the application owns (and closes). The catalog runs its own
     * transactions: a connection it borrows with no transaction open is switched to auto-commit if
     * the pool hands it out without, so the catalog's writes commit before they return.
     */
    public MidiCatalog(DataSource dataSource) {
        this(builder().dataSource(dataSource));
    }

    private MidiCatalog(Builder builder) {
        List<AutoCloseable> created = new ArrayList<>();
        DataSource main = builder.dataSource;
        if (main == null) {
            HikariDataSource pool = DataSources.pool(builder.jdbcUrl, builder.username, builder.password,
                    builder.poolSettings);
            created.add(pool);
            main = pool;
        }
        this.dataSource = main;
        this.readDataSource = builder.readDataSource != null ? builder.readDataSource : main;
        this.owned = List.copyOf(created);
        this.jdbi = configure(Jdbi.create(dataSource));
        this.readJdbi = readDataSource == dataSource ? jdbi : configure(Jdbi.create(readDataSource));

        // ---- importer (issue 4): construction ----
        this.importer = new DirectoryImporter(dataSource, changes);

        // ---- search (issue 5): construction ----
        var searchRepository = new io.midicatalog.jdbi.search.JdbiSearchRepository(readJdbi);
        // our own imports and edits refresh the cached frequencies search plans are chosen from at once
        changes.subscribe(new CatalogChanges.Listener() {
            @Override
            public void filesChanged(long[] fileIds) {
                searchRepository.invalidateStatistics();
            }

            @Override
            public void filesAdded(long[] fileIds) {
                searchRepository.invalidateStatistics();
            }
        });
        io.midicatalog.api.SearchRepository plainSearch = searchRepository;

        // ---- tracks, details, tags, favorites, browse, cache (issue 6): construction ----
        TrackRepository plainTracks = new JdbiTrackRepository(readJdbi);
        FileDetailsRepository plainDetails = new JdbiFileDetailsRepository(readJdbi);
        BrowseRepository plainBrowse = new JdbiBrowseRepository(readJdbi);
        this.tags = new JdbiTagRepository(jdbi, readJdbi, changes);
        this.favorites = new JdbiFavoriteRepository(jdbi, readJdbi, changes);
        if (builder.cacheSpec.enabled()) {
            this.caches = new CatalogCaches(builder.cacheSpec, plainTracks, plainDetails, plainBrowse, plainSearch);
            changes.subscribe(caches);
            this.search = caches.search();
            this.tracks = caches.tracks();
            this.details = caches.details();
            this.browse = caches.browse();
        } else {
            this.caches = null;
            this.search = plainSearch;
            this.tracks = plainTracks;
            this.details = plainDetails;
            this.browse = plainBrowse;
        }

        // ---- diagnostics (issue 7): construction ----
        this.slowQueryLog = new SlowQueryLog(builder.slowQueryThreshold);
        jdbi.getConfig(SqlStatements.class).setSqlLogger(slowQueryLog);
        readJdbi.getConfig(SqlStatements.class).setSqlLogger(slowQueryLog);
        this.diagnostics = new Diagnostics(jdbi, readJdbi, dataSource, this::queryCategories, this::cacheStatistics,
                slowQueryLog);
    }

    private static Jdbi configure(Jdbi jdbi) {
        return jdbi.installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin()).installPlugin(AUTO_COMMIT);
    }

    /**
     * The repositories run their own transactions, which JDBI only begins and commits on a
     * connection in auto-commit mode: from a pool configured with {@code autoCommit=false} (common
     * in JPA applications) JDBI took every handle for one already inside a transaction, so tag and
     * favorite writes were rolled back when the connection went back to the pool, and searches
     * failed. A borrowed connection with no transaction open is switched to auto-commit (pools
     * restore their own default when it is returned); one that a transaction-aware proxy hands out
     * inside the application's open transaction is left as it is, since switching would commit
     * the application's pending work.
     */
    private static final JdbiPlugin AUTO_COMMIT = new JdbiPlugin() {
        @Override
        public Connection customizeConnection(Connection connection) throws SQLException {
            if (!connection.getAutoCommit() && !DataSources.insideTransaction(connection)) {
                connection.setAutoCommit(true);
            }
            return connection;
        }
    };

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Brings the database schema up to this library's version (Flyway migrations shipped in the
     * jar). Idempotent and safe to call from several processes at once. The tables go to the
     * connection's current schema (see the README for a schema of their own).
     *
     * <p>Rebuilds the indexes an import with {@code deferIndexes} left deferred if its process died
     * (see {@link io.midicatalog.api.ImportOptions#deferIndexes()}) first, so that a migration
     * that replaces such an index finds it, and again afterwards.
     *
     * @return the number of migrations applied now (0 when the schema was current)
     * @throws CatalogException when the database is unreachable, or its schema is newer than this
     *     library (upgrade midi-catalog; never downgrade a schema)
     */
    public int migrate() {
        SchemaMigrator.requireReachable(dataSource);
        DirectoryImporter.restoreDeferredIndexes(dataSource);
        int applied = SchemaMigrator.migrate(dataSource);
        DirectoryImporter.restoreDeferredIndexes(dataSource);
        return applied;
    }

    /** The DataSource writes go to (the catalog's own pool, or the one it was given). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The DataSource searches and loads go to: the read replica if one was given. */
    public DataSource readDataSource() {
        return readDataSource;
    }

    // ---- importer (issue 4): accessors ----

    /** Imports folders of MIDI files (see {@link Importer}); writes go to {@link #dataSource()}. */
    public Importer importer() {
        return importer;
    }

    // ---- search (issue 5): accessors ----

    /** Full-text and faceted search with keyset pages, capped counts and facets (reads the replica if set). */
    public io.midicatalog.api.SearchRepository search() {
        return search;
    }

    // ---- tracks, details, tags, favorites, browse, cache (issue 6): accessors ----

    /** Files for playback by id (cached when the catalog was built with a {@link CacheSpec}). */
    public TrackRepository tracks() {
        return tracks;
    }

    /** Everything about one file (cached when the catalog was built with a {@link CacheSpec}). */
    public FileDetailsRepository details() {
        return details;
    }

    public TagRepository tags() {
        return tags;
    }

    public FavoriteRepository favorites() {
        return favorites;
    }

    /** Browse lists with file counts (cached when the catalog was built with a {@link CacheSpec}). */
    public BrowseRepository browse() {
        return browse;
    }

    /** Hit/miss/eviction counters per cache by name; empty when caching is off. */
    public Map<String, CacheStatistics> cacheStats() {
        return caches == null ? Map.of() : caches.statistics();
    }

    // ---- diagnostics (issue 7): accessors ----

    /** Statistics, EXPLAIN of the catalog's queries, pool, cache and settings checks, maintenance calls. */
    public Diagnostics diagnostics() {
        return diagnostics;
    }

    /**
     * The query categories diagnostics EXPLAINs: each part of the library adds the category built
     * from the SQL it runs (tracks/details/tags/browse: their DAO annotations; count and search:
     * the search's SQL builder; dedupe: the importer's lookup).
     */
    private List<QueryCategory> queryCategories() {
        List<QueryCategory> categories = new ArrayList<>();
        categories.add(io.midicatalog.jdbi.search.SearchQueryCategory.counts());
        categories.add(new io.midicatalog.importer.ImportQueryCategory());
        categories.add(RepositoryCategories.tracks());
        categories.add(RepositoryCategories.details());
        categories.add(RepositoryCategories.tags());
        categories.add(RepositoryCategories.browse());
        categories.add(new io.midicatalog.jdbi.search.SearchQueryCategory());
        return categories;
    }

    /** The cache's counters for diagnostics (empty when caching is off). */
    private List<CacheStats> cacheStatistics() {
        return cacheStats().entrySet().stream().map(e -> new CacheStats(e.getKey(), e.getValue().hits(),
                e.getValue().misses(), e.getValue().loads(), e.getValue().evictions(), e.getValue().size())).toList();
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** Where writes report what they changed (cache invalidation). */
    CatalogChanges changes() {
        return changes;
    }

    Jdbi readJdbi() {
        return readJdbi;
    }

    /** Closes the pool the catalog created, if any; a DataSource it was given stays open. */
    @Override
    public void close() {
        CatalogException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new CatalogException("could not close " + c + ": " + e.getMessage(), e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Builds a catalog over a given DataSource, or over a HikariCP pool it owns. */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private @Nullable DataSource readDataSource;
        private @Nullable String jdbcUrl;
        private @Nullable String username;
        private @Nullable String password;
        private PoolSettings poolSettings = PoolProfile.MIXED.settings();
        // ---- builder options of later issues (cache spec, slow-query threshold) ----
        private CacheSpec cacheSpec = CacheSpec.disabled();

        /** Cache tracks, details and browse lists ({@link CacheSpec#defaults()}); off by default. */
        public Builder cache(CacheSpec spec) {
            cacheSpec = Objects.requireNonNull(spec, "spec");
            return this;
        }

        private Duration slowQueryThreshold = SlowQueryLog.DEFAULT_THRESHOLD;

        /**
         * Statements slower than this are logged at WARN (logger {@code io.midicatalog.slow-queries})
         * with their duration and the shapes (never the values) of their parameters. Default 500 ms;
         * {@code Duration.ZERO} logs every statement.
         */
        public Builder slowQueryThreshold(Duration value) {
            Objects.requireNonNull(value, "slowQueryThreshold");
            if (value.isNegative()) {
                throw new IllegalArgumentException("slowQueryThreshold must be >= 0: " + value);
            }
            slowQueryThreshold = value;
            return this;
        }

        private Builder() {}

        /** Use this DataSource (the catalog will not close it); excludes {@link #jdbcUrl}. */
        public Builder dataSource(DataSource value) {
            dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /** A read-only replica for search, loading and details; writes still go to the primary. */
        public Builder readDataSource(DataSource value) {
            readDataSource = Objects.requireNonNull(value, "readDataSource");
            return this;
        }

        /** Let the catalog own a HikariCP pool to this URL ({@code jdbc:postgresql://host:port/db}). */
        public Builder jdbcUrl(String value) {
            jdbcUrl = Objects.requireNonNull(value, "jdbcUrl");
            return this;
        }

        public Builder username(@Nullable String value) {
            username = value;
            return this;
        }

        public Builder password(@Nullable String value) {
            password = value;
            return this;
        }

        /** Pool settings of a profile (default {@link PoolProfile#MIXED}). */
        public Builder poolProfile(PoolProfile profile) {
            poolSettings = Objects.requireNonNull(profile, "profile").settings();
            return this;
        }

        /** Pool settings, e.g. a profile's with some values changed. */
        public Builder poolSettings(PoolSettings settings) {
            poolSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Builds the catalog. With {@link #jdbcUrl} it opens the pool now and fails within the
         * acquire timeout when the database cannot be reached.
         *
         * @throws IllegalStateException when neither or both of a DataSource and a URL were given
         * @throws IllegalArgumentException when the URL is not a {@code jdbc:postgresql://host:port/db} URL
         * @throws CatalogException naming host, port and database (never the password) and the cause
         */
        public MidiCatalog build() {
            if ((dataSource == null) == (jdbcUrl == null)) {
                throw new IllegalStateException("give exactly one of dataSource(...) and jdbcUrl(...)");
            }
            return new MidiCatalog(this);
        }
    }
}
