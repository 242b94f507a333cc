package io.midicatalog.jdbi.internal;

import io.midicatalog.api.Category;
import io.midicatalog.api.CategoryInfo;
import io.midicatalog.api.FileDetails;
import io.midicatalog.api.FileLocation;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.InstrumentEntry;
import io.midicatalog.api.MusicalFacts;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.TrackEntry;
import io.midicatalog.api.ValueSource;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/**
 * Maps the details row. A hand-written mapper rather than a constructor mapper: the row nests four
 * records and six parallel arrays. Not API.
 */
public final class FileDetailsMapper implements RowMapper<FileDetails> {
    @Override
    public FileDetails map(ResultSet rs, StatementContext ctx) throws SQLException {
        String path = rs.getString("filepath");
        TrackEntry track = new TrackEntry(rs.getLong("id"), path, rs.getString("filename"),
                integer(rs, "format"), integer(rs, "num_tracks"), integer(rs, "ticks_per_quarter"),
                rs.getBoolean("smpte"), decimal(rs, "duration_seconds"), longOrNull(rs, "duration_ticks"),
                rs.getObject("missing_since") != null);
        Integer num = integer(rs, "time_sig_num");
        Integer den = integer(rs, "time_sig_den");
        TimeSignature meter = num != null && den != null ? new TimeSignature(num, den) : null;
        Category primary = Category.fromCode(rs.getInt("category"));
        Integer secondary = integer(rs, "secondary_category");
        String categorySource = rs.getString("category_source");
        CategoryInfo category = new CategoryInfo(primary, secondary == null ? null : Category.fromCode(secondary),
                categorySource == null ? ValueSource.DEFAULT : ValueSource.fromDbName(categorySource),
                decimal(rs, "category_confidence"), rs.getBoolean("category_manual"));
        return new FileDetails(track, rs.getString("original_filename"), rs.getLong("file_size_bytes"),
                instant(rs, "file_mtime"), rs.getString("content_hash"), longOrNull(rs, "fingerprint"),
                rs.getString("manufacturer"), rs.getString("collection"), strings(rs, "folder_tags"),
                decimal(rs, "bpm"), MusicalKey.fromCode(rs.getInt("key_code")), meter, rs.getInt("note_count"),
                rs.getBoolean("percussive"), rs.getInt("gm_families"),
                rs.getBoolean("has_metadata") ? musical(rs) : null, category, instruments(rs),
                strings(rs, "tags"), rs.getBoolean("favorite"), locations(rs, path),
                requireInstant(rs, "created_at"), requireInstant(rs, "updated_at"), instant(rs, "analyzed_at"),
                instant(rs, "missing_since"));
    }

    private static MusicalFacts musical(ResultSet rs) throws SQLException {
        Integer detected = integer(rs, "detected_key_code");
        Integer signature = integer(rs, "key_signature_code");
        return new MusicalFacts(ValueSource.fromDbName(rs.getString("bpm_source")), decimal(rs, "bpm_confidence"),
                decimal(rs, "initial_bpm"), decimal(rs, "content_bpm"), rs.getInt("tempo_change_count"),
                rs.getString("tempo_changes"), ValueSource.fromDbName(rs.getString("key_source")),
                decimal(rs, "key_confidence"), detected == null ? null : MusicalKey.fromCode(detected),
                signature == null ? null : MusicalKey.fromCode(signature), rs.getString("key_changes"),
                ValueSource.fromDbName(rs.getString("time_sig_source")), rs.getString("time_sig_changes"),
                integer(rs, "unique_pitches"), integer(rs, "pitch_min"), integer(rs, "pitch_max"),
                decimal(rs, "avg_velocity"), decimal(rs, "note_density"), integer(rs, "polyphony_max"),
                decimal(rs, "polyphony_avg"), rs.getBoolean("is_monophonic"), rs.getBoolean("has_chords"),
                rs.getBoolean("has_melody"), strings(rs, "track_names"), rs.getString("copyright"),
                strings(rs, "texts"), rs.getString("lyrics"), strings(rs, "warnings"));
    }

    private static List<InstrumentEntry> instruments(ResultSet rs) throws SQLException {
        Object[] channels = array(rs, "ins_channels");
        Object[] programs = array(rs, "ins_programs");
        Object[] families = array(rs, "ins_families");
        Object[] notes = array(rs, "ins_notes");
        List<InstrumentEntry> result = new ArrayList<>(channels.length);
        for (int i = 0; i < channels.length; i++) {
            result.add(new InstrumentEntry(((Number) channels[i]).intValue(), ((Number) programs[i]).intValue(),
                    GmFamily.fromOrdinal(((Number) families[i]).intValue()), ((Number) notes[i]).intValue()));
        }
        return result;
    }

    private static List<FileLocation> locations(ResultSet rs, String primaryPath) throws SQLException {
        Object[] paths = array(rs, "loc_paths");
        Object[] sizes = array(rs, "loc_sizes");
        Object[] mtimes = array(rs, "loc_mtimes");
        Object[] first = array(rs, "loc_first_seen");
        Object[] last = array(rs, "loc_last_seen");
        Object[] missing = array(rs, "loc_missing");
        List<FileLocation> result = new ArrayList<>(paths.length);
        for (int i = 0; i < paths.length; i++) {
            result.add(new FileLocation((String) paths[i], paths[i].equals(primaryPath),
                    ((Number) sizes[i]).longValue(), toInstant(mtimes[i]), requireNonNullInstant(first[i]),
                    requireNonNullInstant(last[i]), toInstant(missing[i])));
        }
        return result;
    }

    private static Object[] array(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        if (array == null) {
            return new Object[0];
        }
        try {
            return (Object[]) array.getArray();
        } finally {
            array.free();
        }
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Object[] values = array(rs, column);
        return Arrays.asList(Arrays.copyOf(values, values.length, String[].class));
    }

    private static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** real columns come back as the decimal written (0.9), not as the float widened (0.8999999761...). */
    private static @Nullable Double decimal(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        if (value instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        return toInstant(rs.getTimestamp(column));
    }

    private static Instant requireInstant(ResultSet rs, String column) throws SQLException {
        return requireNonNullInstant(rs.getTimestamp(column));
    }

    private static @Nullable Instant toInstant(@Nullable Object timestamp) {
        return timestamp == null ? null : ((Timestamp) timestamp).toInstant();
    }

    private static Instant requireNonNullInstant(@Nullable Object timestamp) {
        Instant value = toInstant(timestamp);
        if (value == null) {
            throw new IllegalStateException("NOT NULL timestamp was null");
        }
        return value;
    }
}
