package io.midicatalog.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.midicatalog.MidiCatalog;
import io.midicatalog.bench.generate.CatalogRowGenerator;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SearchCommandTest {
    private static String url;

    @BeforeAll
    static void catalog() {
        PostgresServer server = PostgresProvisioning.shared();
        String db = server.createDatabase("t_searchcli");
        new MidiCatalog(server.dataSource(db)).migrate();
        CatalogRowGenerator.generate(server.dataSource(db), 2000, 5);
        url = server.jdbcUrl(db) + (server.jdbcUrl(db).contains("?") ? "&" : "?")
                + "user=" + URLEncoder.encode(server.username(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(server.password(), StandardCharsets.UTF_8);
    }

    private static JsonNode run(String... args) throws Exception {
        CommandLine cli = MidiCatalogCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("search"));
        all.addAll(List.of(args));
        all.addAll(List.of("--json", "--database-url", url));
        int status = cli.execute(all.toArray(String[]::new));
        assertThat(status).as(err.toString()).isZero();
        return Json.MAPPER.readTree(out.toString());
    }

    @Test
    void search_json_hasTheDocumentedShapeAndPagesByCursor() throws Exception {
        JsonNode first = run("--limit", "3", "--facets");
        assertThat(first.fieldNames()).toIterable()
                .containsExactly("total", "totalIsEstimate", "nextCursor", "results", "facets");
        assertThat(first.get("total").asLong()).isEqualTo(2000);
        assertThat(first.get("results")).hasSize(3);
        assertThat(first.get("results").get(0).fieldNames()).toIterable().containsExactly("id", "path", "filename",
                "bpm", "key", "manufacturer", "collection", "durationSeconds", "rank");
        assertThat(first.get("facets").get("key").size()).isPositive();
        JsonNode second = run("--limit", "3", "--cursor", first.get("nextCursor").asText());
        assertThat(second.get("results").get(0).get("id").asLong())
                .isNotEqualTo(first.get("results").get(2).get("id").asLong());
    }

    @Test
    void search_bpmRangeAndKey_returnsOnlyMatches() throws Exception {
        JsonNode page = run("--bpm", "120-130", "--key", "A minor", "--limit", "500");
        assertThat(page.get("results").size()).isPositive();
        for (JsonNode r : page.get("results")) {
            assertThat(r.get("bpm").asDouble()).isBetween(120.0, 130.0);
            assertThat(r.get("key").asText()).isEqualTo("A minor");
        }
    }
}
