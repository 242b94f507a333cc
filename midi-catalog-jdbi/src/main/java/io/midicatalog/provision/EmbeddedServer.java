package io.midicatalog.provision;

import io.midicatalog.api.CatalogException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** zonky embedded PostgreSQL 17: a real server unpacked from a Maven Central jar. */
final class EmbeddedServer extends JdbcServer {
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        super(Kind.EMBEDDED, postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        this.postgres = postgres;
    }

    static EmbeddedServer start(@Nullable Path dataDirectory, int port, boolean stopAtExit) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", sharedBuffers())
                    .setServerConfig("work_mem", "16MB")
                    .setServerConfig("maintenance_work_mem", "256MB")
                    .setServerConfig("effective_cache_size", "4GB")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "30min")
                    .setServerConfig("max_parallel_workers_per_gather", "0")
                    .setRegisterShutdownHook(stopAtExit);
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
                clearStalePidFile(dataDirectory);
            }
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedServer(builder.start());
        } catch (IOException | RuntimeException e) {
            throw new CatalogException("could not start embedded PostgreSQL"
                    + (dataDirectory == null ? "" : " in " + dataDirectory) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A quarter of the machine's memory, 128 MB to 4 GB: PostgreSQL's own advice for a dedicated
     * server. With a fixed 256 MB, a 1M-file catalog (files 710 MB + indexes) did not fit, and
     * every text search read its matches' pages through the kernel: a capped count of 1,001
     * matches cost 13.3 ms with 312 reads, 8.6 ms all in shared buffers. The memory is only
     * used as pages are read, so small catalogs (tests) cost no more.
     */
    static String sharedBuffers() {
        long total = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : 0;
        long mb = Math.max(128, Math.min(4096, total / 4 / (1024 * 1024)));
        return mb + "MB";
    }

    /**
     * A server killed earlier leaves postmaster.pid behind and PostgreSQL then refuses to start.
     * Remove it only when the process it names is gone; a live one means another process uses
     * this data directory, which is an error worth naming.
     */
    private static void clearStalePidFile(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            pid = -1;
        }
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new CatalogException("embedded PostgreSQL data directory " + dataDirectory
                    + " is in use by process " + pid + "; stop it or use another --data-dir");
        }
        Files.delete(pidFile);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new CatalogException("could not stop embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
