package io.midicatalog.jdbi.internal;

import io.midicatalog.api.FileDetails;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** One file's details in one statement. Not API. */
@RegisterRowMapper(FileDetailsMapper.class)
public interface DetailsDao {
    /**
     * The 1:1 tables are joined; the 1:N ones (tags, instruments, locations) are aggregated into
     * arrays by subqueries, so the row count stays one and the statement is one round trip.
     */
    @SqlQuery(SQL)
    Optional<FileDetails> get(long id);

    /** The statement of {@link #get}, for the fluent path of the repository (see there why). */
    String SQL = """
            SELECT f.id, f.filepath, f.filename, f.original_filename, f.file_size_bytes, f.file_mtime,
                   encode(f.content_hash, 'hex') AS content_hash, f.fingerprint, f.format, f.num_tracks,
                   f.ticks_per_quarter, f.smpte, f.duration_seconds, f.duration_ticks, f.manufacturer,
                   f.collection, f.folder_tags, f.bpm, f.key_code, f.time_sig_num, f.time_sig_den, f.category,
                   f.note_count, f.percussive, f.gm_families, f.created_at, f.updated_at, f.analyzed_at,
                   f.missing_since,
                   mm.file_id IS NOT NULL AS has_metadata, mm.bpm_source, mm.bpm_confidence, mm.initial_bpm,
                   mm.content_bpm, mm.tempo_change_count, mm.tempo_changes::text AS tempo_changes,
                   mm.key_source, mm.key_confidence, mm.detected_key_code, mm.key_signature_code,
                   mm.key_changes::text AS key_changes, mm.time_sig_source,
                   mm.time_sig_changes::text AS time_sig_changes, mm.unique_pitches, mm.pitch_min,
                   mm.pitch_max, mm.avg_velocity, mm.note_density, mm.polyphony_max, mm.polyphony_avg,
                   mm.is_monophonic, mm.has_chords, mm.has_melody, mm.track_names, mm.copyright, mm.texts,
                   mm.lyrics, mm.warnings,
                   fc.secondary_category, fc.source AS category_source, fc.confidence AS category_confidence,
                   coalesce(fc.manual, false) AS category_manual,
                   EXISTS (SELECT 1 FROM favorites fav WHERE fav.file_id = f.id) AS favorite,
                   ARRAY(SELECT t.name FROM file_tags ft JOIN tags t ON t.id = ft.tag_id
                          WHERE ft.file_id = f.id ORDER BY lower(t.name)) AS tags,
                   ins.*, loc.*
              FROM files f
              LEFT JOIN musical_metadata mm ON mm.file_id = f.id
              LEFT JOIN file_categories fc ON fc.file_id = f.id
              LEFT JOIN LATERAL (
                    SELECT array_agg(i.channel ORDER BY i.channel, i.program) AS ins_channels,
                           array_agg(i.program ORDER BY i.channel, i.program) AS ins_programs,
                           array_agg(i.family ORDER BY i.channel, i.program) AS ins_families,
                           array_agg(i.note_count ORDER BY i.channel, i.program) AS ins_notes
                      FROM file_instruments i WHERE i.file_id = f.id) ins ON true
              LEFT JOIN LATERAL (
                    SELECT array_agg(l.path ORDER BY l.path) AS loc_paths,
                           array_agg(l.file_size_bytes ORDER BY l.path) AS loc_sizes,
                           array_agg(l.file_mtime ORDER BY l.path) AS loc_mtimes,
                           array_agg(l.first_seen_at ORDER BY l.path) AS loc_first_seen,
                           array_agg(l.last_seen_at ORDER BY l.path) AS loc_last_seen,
                           array_agg(l.missing_since ORDER BY l.path) AS loc_missing
                      FROM file_locations l WHERE l.file_id = f.id) loc ON true
             WHERE f.id = :id""";
}
