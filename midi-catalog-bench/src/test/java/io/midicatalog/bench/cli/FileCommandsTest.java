package io.midicatalog.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.midicatalog.MidiCatalog;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** show, tag, untag, favorite, unfavorite through the command line against a real database. */
class FileCommandsTest {
    private static String url;
    private static long id;

    @BeforeAll
    static void setUp() throws Exception {
        PostgresServer server = PostgresProvisioning.shared();
        String database = server.createDatabase("t_filecmds");
        DataSource ds = server.dataSource(database);
        new MidiCatalog(ds).migrate();
        String base = server.jdbcUrl(database);
        url = base + (base.contains("?") ? "&" : "?") + "user=" + server.username() + "&password=" + server.password();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     INSERT INTO files (filepath, filename, original_filename, file_size_bytes, content_hash,
                                        manufacturer, category, key_code, bpm)
                     VALUES ('/lib/Acme/kick 01.mid', 'kick 01.mid', 'kick 01.mid', 99, sha256('k'::bytea),
                             'Acme', 2, 9, 124) RETURNING id""")) {
            rs.next();
            id = rs.getLong(1);
        }
    }

    private static String[] run(int expectedStatus, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        String[] withDb = new String[args.length + 2];
        System.arraycopy(args, 0, withDb, 0, args.length);
        withDb[args.length] = "--database-url";
        withDb[args.length + 1] = url;
        int status;
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            status = MidiCatalogCli.run(withDb);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String stdout = outBytes.toString(StandardCharsets.UTF_8);
        String stderr = errBytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; stderr: " + stderr).isEqualTo(expectedStatus);
        return new String[] {stdout, stderr};
    }

    @Test
    void tagFavoriteShow_roundTrip() throws Exception {
        assertThat(run(0, "tag", Long.toString(id), "punchy", "Club")[0]).contains("added 2 tag(s)").contains("Club, punchy");
        assertThat(run(0, "favorite", Long.toString(id))[0]).contains("is now a favorite");
        JsonNode shown = Json.MAPPER.readTree(run(0, "show", Long.toString(id), "--json")[0]);
        assertThat(shown.get("id").asLong()).isEqualTo(id);
        assertThat(shown.get("path").asText()).isEqualTo("/lib/Acme/kick 01.mid");
        assertThat(shown.get("category").asText()).isEqualTo("kick");
        assertThat(shown.get("key").asText()).isEqualTo("A major");
        assertThat(shown.get("favorite").asBoolean()).isTrue();
        assertThat(shown.get("tags")).extracting(JsonNode::asText).containsExactly("Club", "punchy");

        assertThat(run(0, "untag", Long.toString(id), "club")[0]).contains("removed 1 tag(s)");
        assertThat(run(0, "unfavorite", Long.toString(id))[0]).contains("is no longer a favorite");
        String text = run(0, "show", Long.toString(id))[0];
        assertThat(text).contains("tags: punchy").contains("favorite: false").contains("manufacturer: Acme");
    }

    @Test
    void unknownId_exitsWithOneAndSaysSo() {
        assertThat(run(1, "show", "999999")[1]).contains("no file with id 999999");
        assertThat(run(1, "tag", "999999", "x")[1]).contains("no file with id 999999");
        assertThat(run(1, "favorite", "999999")[1]).contains("no file with id 999999");
    }
}
