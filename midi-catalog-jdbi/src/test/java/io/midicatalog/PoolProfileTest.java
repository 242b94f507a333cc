package io.midicatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.midicatalog.api.CatalogException;
import io.midicatalog.api.SearchHit;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.provision.PostgresServer;
import io.midicatalog.testing.CatalogFixtures;
import io.midicatalog.testing.TestDatabases;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

class PoolProfileTest {

    @ParameterizedTest
    @EnumSource(PoolProfile.class)
    void build_eachProfile_opensAWorkingPoolWithItsSizes(PoolProfile profile) throws Exception {
        PostgresServer server = TestDatabases.server();
        String db = server.createDatabase("t_pool");
        MidiCatalog catalog = MidiCatalog.builder().jdbcUrl(server.jdbcUrl(db)).username(server.username())
                .password(server.password()).poolProfile(profile).build();
        {
            HikariDataSource pool = (HikariDataSource) catalog.dataSource();
            assertThat(pool.getMaximumPoolSize()).isEqualTo(profile.settings().maxPoolSize());
            assertThat(pool.getMinimumIdle()).isEqualTo(profile.settings().minIdle());
            assertThat(pool.getMaxLifetime()).isEqualTo(Duration.ofHours(1).toMillis());
            assertThat(pool.getDataSourceProperties().get("prepareThreshold")).isNotNull();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(catalog.migrate()).isPositive();
            assertThat(pool.isClosed()).isFalse();
            catalog.close();
            assertThat(pool.isClosed()).isTrue();
        }
    }

    @Test
    void build_twoCatalogsOfOneProfile_eachPoolHasItsOwnJmxBeans() throws Exception {
        PostgresServer server = TestDatabases.server();
        String db = server.createDatabase("t_pool_twice");
        try (MidiCatalog first = MidiCatalog.builder().jdbcUrl(server.jdbcUrl(db)).username(server.username())
                     .password(server.password()).poolProfile(PoolProfile.DEVELOPMENT).build();
             MidiCatalog second = MidiCatalog.builder().jdbcUrl(server.jdbcUrl(db)).username(server.username())
                     .password(server.password()).poolProfile(PoolProfile.DEVELOPMENT).build()) {
            String a = ((HikariDataSource) first.dataSource()).getPoolName();
            String b = ((HikariDataSource) second.dataSource()).getPoolName();
            assertThat(a).isNotEqualTo(b).startsWith("midi-catalog-development");
            assertThat(b).startsWith("midi-catalog-development");
            MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
            for (String name : new String[] {a, b}) {
                assertThat(beans.isRegistered(new ObjectName("com.zaxxer.hikari:type=Pool (" + name + ")"))).as(name).isTrue();
            }
        }
    }

    @Test
    void profiles_matchTheGuide() {
        assertThat(PoolProfile.DEVELOPMENT.settings()).extracting(PoolSettings::maxPoolSize, PoolSettings::minIdle,
                PoolSettings::acquireTimeout).containsExactly(5, 1, Duration.ofSeconds(5));
        assertThat(PoolProfile.IMPORT_HEAVY.settings()).extracting(PoolSettings::maxPoolSize, PoolSettings::minIdle,
                PoolSettings::acquireTimeout, PoolSettings::idleTimeout)
                .containsExactly(15, 5, Duration.ofSeconds(10), Duration.ofSeconds(600));
        assertThat(PoolProfile.SEARCH_HEAVY.settings()).extracting(PoolSettings::maxPoolSize, PoolSettings::minIdle,
                PoolSettings::acquireTimeout, PoolSettings::idleTimeout)
                .containsExactly(25, 10, Duration.ofSeconds(10), Duration.ofSeconds(300));
        assertThat(PoolProfile.MIXED.settings()).extracting(PoolSettings::maxPoolSize, PoolSettings::minIdle)
                .containsExactly(20, 5);
    }

    @Test
    void settings_override_isValidatedAtOnce() {
        PoolSettings custom = PoolProfile.SEARCH_HEAVY.settings().toBuilder().maxPoolSize(40).build();
        assertThat(custom.maxPoolSize()).isEqualTo(40);
        assertThat(custom.minIdle()).isEqualTo(10);
        assertThatThrownBy(() -> PoolProfile.DEVELOPMENT.settings().toBuilder().maxPoolSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxPoolSize must be positive: 0");
        assertThatThrownBy(() -> PoolProfile.DEVELOPMENT.settings().toBuilder().minIdle(9).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minIdle must be 0-5: 9");
    }

    @Test
    void build_unreachableDatabase_namesHostPortDatabaseButNotThePassword() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        PoolSettings quick = PoolProfile.DEVELOPMENT.settings().toBuilder().acquireTimeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> MidiCatalog.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/music")
                .username("dj").password("s3cret-pw").poolSettings(quick).build())
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("127.0.0.1:" + port + "/music")
                .hasMessageContaining("dj")
                .hasMessageNotContaining("s3cret-pw");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void migrate_unreachableDataSource_namesTheDatabase() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://127.0.0.1:" + port + "/library");
        ds.setPassword("hunter2");
        ds.setConnectTimeout(2);
        assertThatThrownBy(() -> new MidiCatalog(ds).migrate())
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("127.0.0.1:" + port + "/library")
                .hasMessageNotContaining("hunter2");
    }

    /**
     * Applications on JPA often configure their pool with autoCommit=false. The catalog's writes
     * must still commit before they return (as TagRepository and FavoriteRepository promise), and
     * its searches must still run.
     */
    @Test
    void givenPoolWithoutAutoCommit_writesCommitAndSearchesRun() {
        PostgresServer server = TestDatabases.server();
        String database = server.createDatabase("t_PoolProfileTest");
        CatalogFixtures fixtures = new CatalogFixtures(server.dataSource(database));
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(server.jdbcUrl(database));
            pool.setUsername(server.username());
            pool.setPassword(server.password());
            pool.setAutoCommit(false);
            pool.setMaximumPoolSize(2);
            try (MidiCatalog catalog = new MidiCatalog(pool)) {
                catalog.migrate();
                long id = fixtures.file("/lib/Acme/Beats/autocommit groove.mid");

                assertThat(catalog.tags().add(id, "kept")).isEqualTo(1);
                assertThat(catalog.favorites().add(id)).isTrue();
                assertThat(catalog.tags().rename("kept", "still kept")).isTrue();
                SearchPage favorites = catalog.search().search(SearchQuery.builder().favoritesOnly(true).build());
                assertThat(favorites.rows()).extracting(SearchHit::id).containsExactly(id);
                assertThat(catalog.details().get(id).orElseThrow().tags()).containsExactly("still kept");
            }
            try (Connection c = pool.getConnection()) {
                assertThat(c.getAutoCommit()).as("the pool's own default is back").isFalse();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(fixtures.queryLong("SELECT count(*) FROM favorites")).isEqualTo(1);
        assertThat(fixtures.queryLong("SELECT count(*) FROM file_tags ft JOIN tags t ON t.id = ft.tag_id"
                + " WHERE t.name = 'still kept'")).isEqualTo(1);
    }

    /**
     * A transaction-aware proxy hands out the application's connection inside its open
     * transaction: switching that one to auto-commit would commit the application's pending work,
     * so it is left as it is and the catalog's write goes with the application's transaction.
     */
    @Test
    void givenConnectionInsideAnOpenApplicationTransaction_leavesItAsItIs() throws Exception {
        PostgresServer server = TestDatabases.server();
        String database = server.createDatabase("t_PoolProfileTest");
        new MidiCatalog(server.dataSource(database)).migrate();
        CatalogFixtures fixtures = new CatalogFixtures(server.dataSource(database));
        long id = fixtures.file("/lib/Acme/Beats/inside a transaction.mid");
        try (Connection app = server.dataSource(database).getConnection()) {
            app.setAutoCommit(false);
            try (Statement s = app.createStatement()) {
                s.execute("SELECT 1");
            }
            try (MidiCatalog catalog = new MidiCatalog(handingOut(app))) {
                assertThat(catalog.tags().add(id, "with the application")).isEqualTo(1);
                // a search runs inside the application's transaction too, and leaves its planner
                // settings (local to a transaction) behind a savepoint it rolls back
                assertThat(catalog.search().search(SearchQuery.builder().text("inside").build()).rows())
                        .extracting(SearchHit::id).containsExactly(id);
                assertThat(catalog.search().search(SearchQuery.builder().bpm(1, 999).build()).rows()).isNotNull();
            }
            try (Statement s = app.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT current_setting('enable_seqscan') || current_setting('enable_indexscan')"
                    + " || current_setting('plan_cache_mode') || (SELECT count(*) FROM file_tags)")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ononauto1");
            }
            assertThat(app.getAutoCommit()).isFalse();
            app.rollback();
        }
        assertThat(fixtures.queryLong("SELECT count(*) FROM file_tags")).isZero();
    }

    /**
     * A DataSource that hands out one connection again and again and never closes it, as a
     * transaction-aware proxy does within an application's transaction.
     */
    private static PGSimpleDataSource handingOut(Connection connection) {
        Connection kept = (Connection) Proxy.newProxyInstance(PoolProfileTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new PGSimpleDataSource() {
            private static final long serialVersionUID = 1L;

            @Override
            public Connection getConnection() {
                return kept;
            }
        };
    }

    @Test
    void search_onAConnectionHandedOutAgain_leavesItWritable() throws Exception {
        PostgresServer server = TestDatabases.server();
        String database = server.createDatabase("t_PoolProfileTest");
        new MidiCatalog(server.dataSource(database)).migrate();
        long id = new CatalogFixtures(server.dataSource(database)).file("/lib/Acme/Beats/shared connection.mid");
        try (Connection shared = server.dataSource(database).getConnection()) {
            try (MidiCatalog catalog = new MidiCatalog(handingOut(shared))) {
                assertThat(catalog.search().search(SearchQuery.builder().text("shared").build()).rows())
                        .extracting(SearchHit::id).containsExactly(id);
                // the next user of the connection (the catalog itself here) can still write
                assertThat(shared.isReadOnly()).isFalse();
                assertThat(catalog.tags().add(id, "after a search")).isEqualTo(1);
            }
        }
    }

    @Test
    void close_givenDataSource_isLeftOpen() throws Exception {
        try (HikariDataSource pool = new HikariDataSource()) {
            PostgresServer server = TestDatabases.server();
            pool.setJdbcUrl(server.jdbcUrl());
            pool.setUsername(server.username());
            pool.setPassword(server.password());
            new MidiCatalog(pool).close();
            assertThat(pool.isClosed()).isFalse();
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void builder_needsExactlyOneSource() {
        assertThatThrownBy(() -> MidiCatalog.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builder_aUrlOfAnotherDatabase_isABadArgumentThatQuotesIt() {
        assertThatThrownBy(() -> MidiCatalog.builder().jdbcUrl("jdbc:mysql://db.example/midi").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db.example/midi");
    }
}
