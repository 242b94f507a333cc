package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.internal.SearchWords;
import io.midicatalog.testing.TestDatabases;
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

/** Binary COPY rows, tsvectors among them, read back in PostgreSQL as the values they were made of. */
class BinaryCopyTest {

    @Test
    void copiedIntoPostgres_readsBackTheSameValues() throws Exception {
        DataSource ds = TestDatabases.fresh(BinaryCopyTest.class);
        List<String> words = List.of("", "kick", "groovy kick 10 90 bpm", "b a b a 007 0", "zebra");
        List<String> context = List.of("", "lunarloops kicks kick", "x", "", "zoo zebra");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                CREATE TABLE t (n int, s smallint, i int, l bigint, f real, d double precision, b boolean, txt text,
                                arr text[], h bytea, ts timestamptz, name tsvector, doc tsvector)""");
            BinaryCopy out = new BinaryCopy(16);
            for (int n = 0; n < words.size(); n++) {
                out.row(13).int4(n).int2(-n).int4(Integer.MIN_VALUE + n).int8(Long.MAX_VALUE - n).float4(n + 0.1f)
                        .float8(n / 3.0).bool(n % 2 == 0).text(n == 0 ? null : "t\0ab\ud800" + n)
                        .textArray(n == 0 ? List.of() : List.of("a \"q\"", "b\\", "émoji 🎹"))
                        .bytes(new byte[] {(byte) n, (byte) 0xff})
                        .timestamptz(n == 0 ? null : Instant.parse("2026-11-28T06:43:14.288824Z").plusSeconds(n))
                        .bytes(SearchWords.tsvectorBinary(words.get(n)))
                        .bytes(SearchWords.tsvectorBinary(words.get(n), context.get(n)));
            }
            out.finish();
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t FROM STDIN (FORMAT binary)");
            in.writeToCopy(out.buffer(), 0, out.length());
            in.endCopy();
            List<String> rows = new ArrayList<>();
            for (int n = 0; n < words.size(); n++) {
                try (ResultSet rs = s.executeQuery(String.format("""
                        SELECT concat_ws('|', s, i, l, f, d, b, coalesce(txt, 'NULL'), arr, encode(h, 'hex'),
                                         coalesce(to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), 'NULL')),
                               name::text, to_tsvector('simple', '%s')::text,
                               doc::text, to_tsvector('simple', '%s' || ' ' || '%s')::text
                          FROM t WHERE n = %d""", words.get(n), words.get(n), context.get(n), n))) {
                    rs.next();
                    rows.add(rs.getString(1));
                    assertThat(rs.getString(2)).as("name of '%s'", words.get(n)).isEqualTo(rs.getString(3));
                    assertThat(rs.getString(4)).as("doc of '%s'", words.get(n)).isEqualTo(rs.getString(5));
                }
            }
            assertThat(rows.get(0)).isEqualTo("0|-2147483648|9223372036854775807|0.1|0|t|NULL|{}|00ff|NULL");
            assertThat(rows.get(3)).isEqualTo("-3|-2147483645|9223372036854775804|3.1|1|f|tab3|"
                    + "{\"a \\\"q\\\"\",\"b\\\\\",\"émoji 🎹\"}|03ff|2026-11-28 06:43:17.288824");
        }
    }
}
