package io.midicatalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** COPY text the importer writes reads back in PostgreSQL as the values it was made of. */
class CopyTextTest {

    @Test
    void timestamp_formatsUtcWithMicros() {
        assertThat(CopyText.timestamp(new StringBuilder(), Instant.parse("2026-11-28T06:43:14.288824Z")))
                .hasToString("2026-11-28 06:43:14.288824+00");
        assertThat(CopyText.timestamp(new StringBuilder(), Instant.parse("1999-01-02T03:04:05Z")))
                .hasToString("1999-01-02 03:04:05.000000+00");
        assertThat(CopyText.timestamp(new StringBuilder(), Instant.parse("0999-01-02T03:04:05.000007Z")))
                .hasToString("0999-01-02T03:04:05.000007Z");
    }

    @Test
    void copiedIntoPostgres_readsBackTheSameValues() throws Exception {
        List<String> texts = List.of("plain", "tab\there", "new\nline", "back\\slash", "quote\"d", "nul\0gone",
                "emoji 🎹", "lone \ud800 surrogate", "{braces},commas", "", "\\N", "trailing\\");
        List<Instant> times = List.of(Instant.parse("2026-11-28T06:43:14.288824Z"), Instant.parse("1970-01-01T00:00:00Z"),
                Instant.parse("2000-02-29T23:59:59.999999Z"), Instant.parse("0999-01-02T03:04:05.000007Z"));
        DataSource ds = TestDatabases.fresh(CopyTextTest.class);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (n int, txt text, arr text[], ts timestamptz)");
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < texts.size(); i++) {
                b.append(i).append('\t');
                CopyText.text(b, texts.get(i)).append('\t');
                CopyText.textArray(b, List.of(texts.get(i), "x", texts.get(texts.size() - 1 - i))).append('\t');
                CopyText.timestamp(b, times.get(i % times.size())).append('\n');
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t FROM STDIN");
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
            List<String> expected = new ArrayList<>();
            List<String> actual = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT n, txt, arr, extract(epoch FROM ts) * 1000000 FROM t ORDER BY n")) {
                while (rs.next()) {
                    int i = rs.getInt(1);
                    Instant t = times.get(i % times.size());
                    expected.add(clean(texts.get(i)) + "|" + List.of(clean(texts.get(i)), "x",
                            clean(texts.get(texts.size() - 1 - i))) + "|" + (t.getEpochSecond() * 1_000_000 + t.getNano() / 1000));
                    actual.add(rs.getString(2) + "|" + List.of((Object[]) rs.getArray(3).getArray()) + "|"
                            + rs.getBigDecimal(4).longValueExact());
                }
            }
            assertThat(actual).isEqualTo(expected);
        }
    }

    /** What PostgreSQL can hold of a Java string: no NUL, no lone surrogate. */
    private static String clean(String s) {
        return s.replace("\0", "").replace("\ud800", "");
    }
}
