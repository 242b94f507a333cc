package io.midicatalog.bench.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.midicatalog.MidiCatalog;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CatalogRowGeneratorTest {
    private static final int ROWS = 6_000;
    private static DataSource first;
    private static CatalogRowGenerator.Result result;

    @BeforeAll
    static void generate() {
        first = migrated();
        result = CatalogRowGenerator.generate(first, ROWS, 42);
    }

    static DataSource migrated() {
        PostgresServer server = PostgresProvisioning.shared();
        DataSource ds = server.dataSource(server.createDatabase("t_rowgen"));
        new MidiCatalog(ds).migrate();
        return ds;
    }

    @Test
    void generate_fillsEveryTable() throws SQLException {
        assertThat(result.files()).isEqualTo(ROWS);
        assertThat(number(first, "SELECT count(*) FROM files")).isEqualTo(ROWS);
        assertThat(number(first, "SELECT count(*) FROM musical_metadata")).isEqualTo(ROWS);
        assertThat(number(first, "SELECT count(*) FROM file_categories")).isEqualTo(ROWS);
        assertThat(number(first, "SELECT count(DISTINCT file_id) FROM file_instruments")).isEqualTo(ROWS);
        double locations = number(first, "SELECT count(*) FROM file_locations");
        assertThat(locations).isEqualTo(result.locations());
        assertThat(locations / ROWS).isCloseTo(1.15, within(0.03));
        assertThat(number(first, "SELECT count(DISTINCT file_id) FROM file_tags") / ROWS).isCloseTo(0.10, within(0.03));
        assertThat(number(first, "SELECT count(*) FROM favorites") / ROWS).isCloseTo(0.02, within(0.01));
        assertThat(number(first, "SELECT count(*) FROM files WHERE name_words = '' OR context_words = ''")).isZero();
        // the identity continues after the generated ids
        assertThat(number(first, "SELECT last_value FROM files_id_seq")).isEqualTo(result.lastId());
    }

    @Test
    void generate_distributionsAsDesigned() throws SQLException {
        assertThat(share("category = 1")).isCloseTo(0.20, within(0.03));     // drums
        assertThat(share("category = 7")).isCloseTo(0.14, within(0.03));     // bass
        assertThat(share("bpm = 128")).isGreaterThan(0.15);
        assertThat(share("bpm = 120")).isGreaterThan(0.18);
        assertThat(share("bpm BETWEEN 60 AND 180")).isEqualTo(1.0);
        assertThat(share("time_sig_num = 4 AND time_sig_den = 4")).isCloseTo(0.88, within(0.03));
        assertThat(share("key_code BETWEEN 12 AND 23") / share("key_code < 24")).isCloseTo(0.62, within(0.04));
        assertThat(share("percussive")).isCloseTo(0.38, within(0.04));      // drum categories + full mix
        assertThat(number(first, "SELECT count(DISTINCT manufacturer) FROM files")).isGreaterThan(200);
        assertThat(number(first, "SELECT count(DISTINCT collection) FROM files")).isGreaterThan(1000);
        // Zipf: the biggest collection holds far more than an average one
        double top = number(first, "SELECT max(c) FROM (SELECT count(*) c FROM files GROUP BY manufacturer, collection) t");
        assertThat(top).isGreaterThan(20 * ROWS / (double) LibraryModel.COLLECTIONS);
        assertThat(number(first, "SELECT count(*) FROM files WHERE filename ~ '_[0-9]{2,3}_' OR filename ~* '[0-9]+ ?bpm'"))
                .isGreaterThan(ROWS / 3.0);
    }

    @Test
    void generate_sameSeed_sameRows() throws SQLException {
        DataSource second = migrated();
        CatalogRowGenerator.generate(second, ROWS, 42);
        String digest = """
            SELECT md5(string_agg(concat_ws('|', id, filepath, content_hash, bpm, key_code, category, name_words,
                context_words, created_at), ',' ORDER BY id)) FROM files""";
        assertThat(text(second, digest)).isEqualTo(text(first, digest));
        DataSource other = migrated();
        CatalogRowGenerator.generate(other, 100, 43);
        assertThat(text(other, "SELECT min(filepath) FROM files")).isNotEqualTo(text(first, "SELECT min(filepath) FROM files"));
    }

    private static double share(String condition) throws SQLException {
        return number(first, "SELECT avg(CASE WHEN " + condition + " THEN 1.0 ELSE 0 END) FROM files");
    }

    static double number(DataSource ds, String sql) throws SQLException {
        return Double.parseDouble(text(ds, sql));
    }

    static String text(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
