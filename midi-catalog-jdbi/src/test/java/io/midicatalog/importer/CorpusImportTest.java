package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.ImportProgress;
import io.midicatalog.api.ImportResult;
import io.midicatalog.testing.Corpus;
import io.midicatalog.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The shared corpus of real files through the real reader: every file accounted for. */
class CorpusImportTest {
    @Test
    void importDirectory_corpus_everyFileAccountedForAndSecondRunUnchanged() throws Exception {
        Path corpus = Corpus.root();
        try (MidiCatalog catalog = TestDatabases.migratedCatalog(CorpusImportTest.class)) {
            ImportResult first = catalog.importer().importDirectory(corpus);
            ImportProgress c = first.counts();

            assertThat(c.seen()).isGreaterThan(1000);
            assertThat(c.imported() + c.duplicates() + c.failed()).isEqualTo(c.seen());
            assertThat(c.failed()).isPositive(); // the corpus holds broken files on purpose
            try (Connection conn = catalog.dataSource().getConnection(); Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE reason <> '') FROM import_failures"
                         + " WHERE batch_id = " + first.batchId())) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(c.failed());
                assertThat(rs.getLong(2)).isEqualTo(c.failed());
            }
            try (Connection conn = catalog.dataSource().getConnection(); Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM file_locations),"
                         + " (SELECT count(*) FROM files WHERE bpm BETWEEN 40 AND 300 AND analyzed_at IS NOT NULL)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(c.imported());
                assertThat(rs.getLong(2)).isEqualTo(c.imported() + c.duplicates());
                assertThat(rs.getLong(3)).isGreaterThan(c.imported() * 9 / 10);
            }

            ImportResult second = catalog.importer().importDirectory(corpus);
            assertThat(second.counts().unchanged()).isEqualTo(second.counts().seen()).isEqualTo(c.seen());
            assertThat(second.counts().bytes()).isZero();
        }
    }
}
