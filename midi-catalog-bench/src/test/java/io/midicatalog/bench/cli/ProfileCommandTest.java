package io.midicatalog.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.midicatalog.MidiCatalog;
import io.midicatalog.PoolProfile;
import io.midicatalog.bench.profile.Progress;
import io.midicatalog.bench.profile.GeneratedRowsLibrary;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCommandTest {
    private static PostgresServer server;
    private static String foreignDatabase;

    @TempDir
    Path tmp;

    @BeforeAll
    static void foreignCatalog() throws Exception {
        server = PostgresProvisioning.shared();
        foreignDatabase = server.createDatabase("t_profile_foreign");
        try (MidiCatalog catalog = MidiCatalog.builder().dataSource(server.dataSource(foreignDatabase)).build()) {
            catalog.migrate();
            new GeneratedRowsLibrary(2000).fill(catalog, new Progress(new PrintStream(OutputStream.nullOutputStream())));
        }
    }

    private static String foreignUrl() {
        String url = server.jdbcUrl(foreignDatabase);
        return url + (url.contains("?") ? "&" : "?") + "user=" + server.username()
                + (server.password().isEmpty() ? "" : "&password=" + server.password());
    }

    @Test
    void profile_embeddedLibrary_jsonValidatesAgainstTheDocumentedSchema() throws Exception {
        Path out = tmp.resolve("report.json");

        int status = MidiCatalogCli.run("profile", "--files", "2000", "--users", "2,4", "--duration", "1s", "--json",
                "--output", out.toString());

        assertThat(status).isZero();
        JsonNode report = Json.MAPPER.readTree(out.toFile());
        assertThat(SchemaSubsetValidator.validate(schema(), report)).isEmpty();
        assertThat(report.path("target").path("createdByProfiler").asBoolean()).isTrue();
        assertThat(report.path("target").path("files").asLong()).isPositive();
        assertThat(report.path("importThroughput").path("method").asText()).isEqualTo("importer");
        assertThat(report.path("loadTests")).hasSize(2);
        assertThat(report.path("loadTests").get(0).path("operations").asLong()).isPositive();
        assertThat(report.path("importThroughput").path("filesPerSecond").asDouble()).isPositive();
        assertThat(report.path("diagnostics").path("topStatements").path("status").asText()).isEqualTo("AVAILABLE");
        List<String> categories = new ArrayList<>();
        report.path("diagnostics").path("plans").forEach(p -> categories.add(p.path("category").asText()));
        assertThat(categories).contains("count", "dedupe", "track", "details", "tags");
    }

    @Test
    void validator_brokenReport_isRejected() throws Exception {
        ObjectNode report = (ObjectNode) Json.MAPPER.readTree("""
                {"schemaVersion": 1, "healthScore": 101, "surprise": true}""");
        List<String> errors = SchemaSubsetValidator.validate(schema(), report);
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("101 > maximum 100"))
                .anySatisfy(e -> assertThat(e).contains("undocumented property surprise"))
                .anySatisfy(e -> assertThat(e).contains("missing required diagnostics"));
    }

    @Test
    void profile_foreignCatalog_changesNoData() throws Exception {
        DataSource ds = server.dataSource(foreignDatabase);
        Map<String, String> before = checksums(ds);
        Path out = tmp.resolve("foreign.json");

        int status = MidiCatalogCli.run("profile", "--database-url", foreignUrl(), "--users", "3", "--duration", "1s",
                "--json", "--output", out.toString());

        assertThat(status).isZero();
        assertThat(checksums(ds)).isEqualTo(before);
        JsonNode report = Json.MAPPER.readTree(out.toFile());
        assertThat(SchemaSubsetValidator.validate(schema(), report)).isEmpty();
        assertThat(report.path("target").path("createdByProfiler").asBoolean()).isFalse();
        assertThat(report.path("importThroughput").isNull()).isTrue();
        assertThat(report.path("loadTests").get(0).path("errors").asLong()).isZero();
        report.path("diagnostics").path("plans").forEach(p -> assertThat(p.path("error").isNull()).isTrue());
    }

    @Test
    void profile_markdown_hasEverySection() throws Exception {
        Path out = tmp.resolve("report.md");
        try (Connection c = server.dataSource(foreignDatabase).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS \"odd|name\" (id int)");
            s.execute("CREATE INDEX IF NOT EXISTS \"odd|index\" ON \"odd|name\" (id)");
        }

        int status = MidiCatalogCli.run("profile", "--database-url", foreignUrl(), "--no-load-tests", "--output",
                out.toString());

        assertThat(status).isZero();
        String md = Files.readString(out);
        assertThat(md).contains("## 1. Executive summary", "**Health score: ", "## 2. Database statistics",
                "## 3. Query-by-query analysis", "## 4. Index recommendations", "## 5. Connection pool", "## 6. Cache",
                "## 7. Load tests", "Skipped: --no-load-tests", "## 8. Import throughput", "### track: track single");
        // a pipe in a name is escaped, so its row has the columns of its table's header
        List<String> lines = md.lines().toList();
        for (String header : List.of("| table | live rows", "| index | table |")) {
            String head = lines.stream().filter(l -> l.startsWith(header)).findFirst().orElseThrow();
            String row = lines.stream().filter(l -> l.startsWith("| odd\\|")).filter(l -> cells(l) == cells(head))
                    .findFirst().orElse(null);
            assertThat(row).as("a row for odd|name / odd|index with the columns of: " + head).isNotNull();
        }
        assertThat(lines).filteredOn(l -> l.startsWith("| odd")).allSatisfy(l -> assertThat(l).startsWith("| odd\\|"));
    }

    private static long cells(String row) {
        return row.replace("\\|", "").chars().filter(c -> c == '|').count();
    }

    @Test
    void profile_filesWithDatabaseUrl_isRefused() {
        assertThat(MidiCatalogCli.run("profile", "--database-url", foreignUrl(), "--files", "10")).isNotZero();
    }

    @Test
    void duration_units_parse() {
        var converter = new ProfileCommand.DurationConverter();
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void readOnly_url_everyPooledSessionRefusesWrites() throws Exception {
        String plain = foreignUrl();
        String withOptions = plain + "&options=-c%20statement_timeout%3D60000";
        for (String url : List.of(plain, withOptions)) {
            try (MidiCatalog catalog = MidiCatalog.builder().jdbcUrl(ProfileCommand.readOnly(url))
                    .poolProfile(PoolProfile.MIXED).build()) {
                ProfileCommand.requireReadOnly(catalog);
                try (Connection c = catalog.dataSource().getConnection(); Statement s = c.createStatement()) {
                    assertThatThrownBy(() -> s.execute("CREATE TABLE profile_write_probe (id int)"))
                            .as(url).hasMessageContaining("read-only transaction");
                    if (url.equals(withOptions)) {
                        try (ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
                            rs.next();
                            assertThat(rs.getString(1)).as("the user's own options are kept").isEqualTo("1min");
                        }
                    }
                }
            }
        }
        assertThat(ProfileCommand.readOnly("jdbc:postgresql://h/db?options=&user=u"))
                .isEqualTo("jdbc:postgresql://h/db?options=-c%20default_transaction_read_only%3Don&user=u");
    }

    private static JsonNode schema() throws Exception {
        try (InputStream in = ProfileCommandTest.class.getResourceAsStream("/profile-report.schema.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    /** Row count and an md5 of every row of every table of the public schema, plus the extensions. */
    private static Map<String, String> checksums(DataSource ds) throws Exception {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                        + " FROM \"" + table + "\" t")) {
                    rs.next();
                    sums.put(table, rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension")) {
                rs.next();
                sums.put("(extensions)", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")) {
                rs.next();
                sums.put("(indexes)", rs.getString(1));
            }
        }
        assertThat(sums).containsKey("files");
        return sums;
    }
}
