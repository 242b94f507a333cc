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
                "bpm", "key", "manufacturer", "collection", "durationSeconds", "rank", "missing");
        assertThat(first.get("facets").get("key").size()).isPositive();
        JsonNode second = run("--limit", "3", "--cursor", first.get("nextCursor").asText());
        assertThat(second.get("results").get(0).get("id").asLong())
                .isNotEqualTo(first.get("results").get(2).get("id").asLong());
    }

    @Test
    void search_theApisOtherFilters_haveOptions() {
        SearchCommand command = new SearchCommand();
        new CommandLine(command).parseArgs("deep", "--meter", "3/4", "--gm-family", "piano", "--gm-family", "Synth-Lead",
                "--any-tag", "dark", "--any-tag", "epic", "--no-percussive", "--duration", "10-20.5", "--notes", "100-",
                "--format", "0", "--multi-track");
        io.midicatalog.api.SearchQuery q = command.query();
        assertThat(q.timeSignature()).isEqualTo(new io.midicatalog.api.TimeSignature(3, 4));
        assertThat(q.gmFamilies()).containsExactlyInAnyOrder(io.midicatalog.api.GmFamily.PIANO, io.midicatalog.api.GmFamily.SYNTH_LEAD);
        assertThat(q.tagsAny()).containsExactly("dark", "epic");
        assertThat(q.percussive()).isFalse();
        assertThat(q.durationMin()).isEqualTo(10.0);
        assertThat(q.durationMax()).isEqualTo(20.5);
        assertThat(q.noteCountMin()).isEqualTo(100);
        assertThat(q.noteCountMax()).isNull();
        assertThat(q.smfFormat()).isZero();
        assertThat(q.multiTrack()).isTrue();

        SearchCommand open = new SearchCommand();
        new CommandLine(open).parseArgs("--notes", "-200", "--duration", " 5 - 7.25 ");
        assertThat(open.query().noteCountMin()).isNull();
        assertThat(open.query().noteCountMax()).isEqualTo(200);
        assertThat(open.query().durationMin()).isEqualTo(5.0);
        assertThat(open.query().durationMax()).isEqualTo(7.25);

        SearchCommand none = new SearchCommand();
        new CommandLine(none).parseArgs();
        assertThat(none.query().percussive()).isNull();
        assertThat(none.query().multiTrack()).isNull();
    }

    @Test
    void search_badFilterValues_sayWhatIsExpected() {
        for (String[] args : List.of(new String[] {"--gm-family", "kazoo"}, new String[] {"--duration", "-"},
                new String[] {"--notes", "1.5-3"}, new String[] {"--meter", "3:4"}, new String[] {"--bpm", "fast"},
                new String[] {"--duration", "Infinity-"}, new String[] {"--bpm", "0x10-20"})) {
            SearchCommand command = new SearchCommand();
            new CommandLine(command).parseArgs(args);
            org.assertj.core.api.Assertions.assertThatThrownBy(command::query).as(String.join(" ", args))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(args[1]);
        }
        // values the API rejects name the option
        for (String[] args : List.of(new String[] {"--format", "3"}, new String[] {"--meter", "3/5"})) {
            SearchCommand command = new SearchCommand();
            new CommandLine(command).parseArgs(args);
            org.assertj.core.api.Assertions.assertThatThrownBy(command::query).as(String.join(" ", args))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(args[0]);
        }
    }

    @Test
    void search_gmFamilyAndMeter_runAgainstTheCatalog() throws Exception {
        JsonNode all = run("--limit", "1");
        JsonNode family = run("--gm-family", "bass", "--meter", "4/4", "--limit", "5");
        assertThat(family.get("total").asLong()).isPositive().isLessThan(all.get("total").asLong());
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
