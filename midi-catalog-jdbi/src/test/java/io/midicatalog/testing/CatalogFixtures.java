package io.midicatalog.testing;

import io.midicatalog.internal.SearchWords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Fixture files inserted with plain SQL (the importer is not needed to test what reads the tables).
 * Content hashes are the SHA-256 of the path, so every path is a distinct file.
 */
public final class CatalogFixtures {
    private final DataSource dataSource;

    public CatalogFixtures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A file as the browse lists see it; returns its id. */
    public long file(String path, @Nullable String manufacturer, @Nullable String collection, int keyCode,
            int category, @Nullable Integer timeSigNum, @Nullable Integer timeSigDen) {
        String filename = path.substring(path.lastIndexOf('/') + 1);
        return queryLong("""
                INSERT INTO files (filepath, filename, original_filename, file_size_bytes, content_hash, format,
                                   num_tracks, ticks_per_quarter, duration_seconds, duration_ticks, manufacturer,
                                   collection, key_code, category, time_sig_num, time_sig_den, bpm, note_count, name_words)
                VALUES (?, ?, ?, 1234, ?, 1, 3, 480, 8.5, 7680, ?, ?, ?, ?, ?, ?, 120, 64, ?)
                RETURNING id""", path, filename, filename, sha256(path), manufacturer, collection, (short) keyCode,
                (short) category, timeSigNum == null ? null : (short) (int) timeSigNum,
                timeSigDen == null ? null : (short) (int) timeSigDen, SearchWords.ofFileName(filename));
    }

    /** A plain file: manufacturer "Acme", collection "Beats", A minor, drums, 4/4. */
    public long file(String path) {
        return file(path, "Acme", "Beats", 21, 1, 4, 4);
    }

    /** {@code count} plain files named {@code prefix-N.mid}; ids in insert order. */
    public List<Long> files(String prefix, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(file("/lib/" + prefix + "-" + i + ".mid"));
        }
        return ids;
    }

    public void execute(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public long queryLong(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query as lists of strings (for comparing with what a repository returns). */
    public List<List<String>> rows(String sql) {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static void bind(PreparedStatement s, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
