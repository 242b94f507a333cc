package io.midicatalog.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.ImportCancellation;
import io.midicatalog.api.ImportListener;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportProgress;
import io.midicatalog.api.ImportResult;
import io.midicatalog.bench.generate.MidiFileGenerator;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Ctrl-C does to a running import: the session's exit hook, run directly. */
class ImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void exit_duringImport_importClosesItsBatchBeforeTheCatalogStops() throws Exception {
        PostgresServer server = PostgresProvisioning.shared();
        String database = server.createDatabase("t_import_exit");
        MidiCatalog catalog = MidiCatalog.builder().jdbcUrl(server.jdbcUrl(database)).username(server.username())
                .password(server.password()).build();
        catalog.migrate();
        Path root = dir.resolve("lib");
        MidiFileGenerator.generate(root, 1_500, 7, 2);
        ImportCancellation cancellation = new ImportCancellation();
        ImportOptions options = ImportOptions.builder().batchSize(50).writers(1).cancellation(cancellation).build();
        CountDownLatch firstBatch = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        AtomicReference<ImportResult> result = new AtomicReference<>();
        DatabaseOptions.Session session = new DatabaseOptions.Session(catalog, null);
        session.beforeExit(() -> ImportCommand.cancelAndWait(cancellation, returned, ImportCommand.EXIT_WAIT));
        Thread run = new Thread(() -> {
            try {
                result.set(catalog.importer().importDirectory(root, options, new ImportListener() {
                    @Override
                    public void progress(ImportProgress p) {
                        if (p.imported() > 0) {
                            firstBatch.countDown();
                        }
                    }
                }));
            } finally {
                returned.countDown();
            }
        });
        run.start();
        assertThat(firstBatch.await(60, TimeUnit.SECONDS)).isTrue();

        session.exit(); // what the JVM's shutdown hook runs on Ctrl-C

        assertThat(returned.getCount()).isZero();
        assertThat(result.get().status()).isEqualTo(ImportResult.Status.CANCELLED);
        try (Connection c = server.dataSource(database).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT status FROM import_batches WHERE id = " + result.get().batchId())) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("cancelled");
        }
        assertThatThrownBy(() -> catalog.dataSource().getConnection()).isInstanceOf(java.sql.SQLException.class);
        run.join();
        session.close(); // closed already: nothing to do
    }

    @Test
    void cancelAndWait_importNeverReturns_givesUpAfterTheTimeout() {
        ImportCancellation cancellation = new ImportCancellation();

        boolean stopped = ImportCommand.cancelAndWait(cancellation, new CountDownLatch(1), Duration.ofMillis(50));

        assertThat(stopped).isFalse();
        assertThat(cancellation.isCancelled()).isTrue();
    }
}
