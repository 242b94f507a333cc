package io.midicatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.CatalogException;
import io.midicatalog.api.Category;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TagMatch;
import io.midicatalog.internal.SchemaMigrator;
import io.midicatalog.provision.PostgresServer;
import io.midicatalog.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class MigrationTest {

    @Test
    void migrate_twice_appliesOnceThenNothing() {
        DataSource ds = TestDatabases.fresh(MigrationTest.class);
        try (MidiCatalog catalog = new MidiCatalog(ds)) {
            assertThat(catalog.migrate()).isPositive();
            assertThat(catalog.migrate()).isZero();
        }
    }

    @Test
    void migrate_createsEveryTableAndTheLookupRows() throws SQLException {
        DataSource ds = TestDatabases.fresh(MigrationTest.class);
        new MidiCatalog(ds).migrate();
        List<String> tables = column(ds, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        assertThat(tables).contains("files", "file_locations", "musical_metadata", "file_categories",
                "file_instruments", "tags", "file_tags", "favorites", "import_batches", "import_failures",
                "musical_keys", "categories", SchemaMigrator.HISTORY_TABLE);
        assertThat(column(ds, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
                .contains("files_content_hash", "file_locations_file", "file_tags_tag", "tags_name_trgm");
        assertThat(column(ds, "SELECT extname FROM pg_extension")).contains("pg_trgm", "btree_gin");
    }

    @Test
    void lookupTables_matchTheJavaEnums() throws SQLException {
        DataSource ds = TestDatabases.fresh(MigrationTest.class);
        new MidiCatalog(ds).migrate();
        List<String> keys = column(ds, "SELECT name FROM musical_keys ORDER BY code");
        assertThat(keys).hasSize(MusicalKey.values().length);
        for (MusicalKey key : MusicalKey.values()) {
            assertThat(keys.get(key.code())).isEqualTo(key.displayName());
        }
        List<String> categories = column(ds, "SELECT name FROM categories ORDER BY code");
        assertThat(categories).hasSize(Category.values().length);
        for (Category category : Category.values()) {
            assertThat(categories.get(category.code())).isEqualTo(category.label());
        }
    }

    @Test
    void foreignKeys_cascadeFromFiles() throws SQLException {
        DataSource ds = TestDatabases.fresh(MigrationTest.class);
        new MidiCatalog(ds).migrate();
        List<String> rules = column(ds, """
                SELECT tc.table_name || ':' || rc.delete_rule
                  FROM information_schema.referential_constraints rc
                  JOIN information_schema.table_constraints tc ON tc.constraint_name = rc.constraint_name
                  JOIN information_schema.constraint_column_usage cu ON cu.constraint_name = rc.constraint_name
                 WHERE cu.table_name = 'files'""");
        assertThat(rules).isNotEmpty().allMatch(r -> r.endsWith(":CASCADE"), "cascades");
    }

    @Test
    void migrate_newerSchema_isRefusedWithAClearMessage() throws SQLException {
        DataSource ds = TestDatabases.fresh(MigrationTest.class);
        new MidiCatalog(ds).migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + SchemaMigrator.HISTORY_TABLE + " (installed_rank, version, description, type,"
                    + " script, checksum, installed_by, execution_time, success)"
                    + " VALUES (999, '999', 'from the future', 'SQL', 'V999__future.sql', 0, 'test', 0, true)");
        }
        assertThatThrownBy(() -> new MidiCatalog(ds).migrate())
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("version 999")
                .hasMessageContaining("newer than this midi-catalog library");
    }

    /**
     * The README's advice for a database the application shares: a schema of the catalog's own via
     * currentSchema, public last so that a pg_trgm the application installed there is found.
     */
    @Test
    void migrate_intoASchemaOfItsOwn_besideAppTablesOfTheSameNames() throws SQLException {
        PostgresServer server = TestDatabases.server();
        String database = server.createDatabase("t_MigrationTest");
        DataSource app = server.dataSource(database);
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION pg_trgm");
            s.execute("CREATE TABLE files (id serial PRIMARY KEY, owner text)");
            s.execute("CREATE TABLE tags (id serial PRIMARY KEY, label text)");
            s.execute("CREATE SCHEMA midi_catalog");
        }
        assertThatThrownBy(() -> new MidiCatalog(app).migrate())
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("\"files\" already exists");

        PGSimpleDataSource own = new PGSimpleDataSource();
        own.setURL(server.jdbcUrl(database) + (server.jdbcUrl(database).contains("?") ? "&" : "?")
                + "currentSchema=midi_catalog,public");
        own.setUser(server.username());
        own.setPassword(server.password());
        try (MidiCatalog catalog = new MidiCatalog(own)) {
            assertThat(catalog.migrate()).isPositive();
            assertThat(catalog.tags().add(List.of(1L), List.of("kept apart"))).isZero();
            assertThat(catalog.tags().similar("kept apar", 5)).extracting(TagMatch::tag).containsExactly("kept apart");
        }
        assertThat(column(app, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'midi_catalog'"))
                .contains("files", "tags", "favorites", SchemaMigrator.HISTORY_TABLE);
        assertThat(column(app, "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND table_name = 'files' ORDER BY ordinal_position"))
                .containsExactly("id", "owner");
    }

    static List<String> column(DataSource ds, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
