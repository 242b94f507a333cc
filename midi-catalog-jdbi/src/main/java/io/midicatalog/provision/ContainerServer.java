package io.midicatalog.provision;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Testcontainers {@code postgres:17}, used when a Docker daemon answers. */
final class ContainerServer extends JdbcServer {
    private final PostgreSQLContainer container;

    private ContainerServer(PostgreSQLContainer container) {
        super(Kind.TESTCONTAINERS, container.getJdbcUrl(), container.getUsername(), container.getPassword());
        this.container = container;
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static ContainerServer start() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:17")
                .withCommand("postgres", "-c", "shared_preload_libraries=pg_stat_statements",
                        "-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off");
        container.start();
        return new ContainerServer(container);
    }

    @Override
    public void close() {
        container.stop();
    }
}
