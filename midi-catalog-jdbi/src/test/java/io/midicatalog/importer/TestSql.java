package io.midicatalog.importer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** One-value queries and statements for importer tests, each on a connection of its own. */
final class TestSql {
    private TestSql() {}

    /**
     * The search and browse count tables (V2, V4), their delta rows summed, as one text each: two
     * databases with equal texts count the same.
     */
    static final List<String> COUNT_TABLES = List.of("""
        SELECT string_agg(word || ' ' || n || ' ' || d, ', ' ORDER BY word) FROM (
            SELECT word, sum(name_files) n, sum(doc_files) d FROM search_word_counts GROUP BY word
            HAVING sum(name_files) <> 0 OR sum(doc_files) <> 0) x""", """
        SELECT string_agg(dim::text || ' ' || value || ' ' || n, ', ' ORDER BY dim, value) FROM (
            SELECT dim, value, sum(files) n FROM search_value_counts GROUP BY dim, value
            HAVING sum(files) <> 0 OR dim = 't') x""", """
        SELECT string_agg(dimension || ' ' || a || ' ' || b || ' ' || n, ', ' ORDER BY dimension, a, b) FROM (
            SELECT dimension, a, b, sum(files) n FROM browse_counts GROUP BY dimension, a, b
            HAVING sum(files) <> 0) x""");

    /** The first column of the first row, as text. */
    static String text(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        return Long.parseLong(text(ds, sql));
    }

    static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
