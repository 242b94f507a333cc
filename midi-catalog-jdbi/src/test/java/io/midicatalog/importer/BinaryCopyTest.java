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

    /** The fast ASCII path must drop exactly what the careful one drops. */
    @Test
    void utf8_dropsNulAndLoneSurrogatesKeepsEverythingElse() {
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("kick 01", "kick 01");
        cases.put("a?b", "a?b");                       // a real question mark stays
        cases.put("a\uD800b", "ab");                  // a lone surrogate encodes as '?': dropped, not kept
        cases.put("?\uDC00?", "??");
        cases.put("a\u0000b", "ab");
        cases.put("caf\u00e9 \uD83C\uDFB9", "caf\u00e9 \uD83C\uDFB9"); // Latin-1 and a valid pair
        cases.put("\u00e9\uD800", "\u00e9");
        cases.put("", "");
        cases.forEach((in, out) -> assertThat(new String(BinaryCopy.utf8(in), java.nio.charset.StandardCharsets.UTF_8))
                .as("utf8(%s)", in.chars().mapToObj(Integer::toHexString).toList()).isEqualTo(out));
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        char[] alphabet = {'a', 'Z', '0', ' ', '?', '\0', '\u00e9', '\uD800', '\uDC00', '\uD83C', '\uDFB9', '\u4e2d'};
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[r.nextInt(8)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = alphabet[r.nextInt(alphabet.length)];
            }
            String s = new String(chars);
            assertThat(BinaryCopy.utf8(s)).as("utf8 of %s", s.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(BinaryCopy.clean(s).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

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
