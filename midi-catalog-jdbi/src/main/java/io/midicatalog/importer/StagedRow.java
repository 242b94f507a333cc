package io.midicatalog.importer;

import io.midicatalog.api.Category;
import io.midicatalog.importer.PathIntelligence.PathFacts;
import io.midicatalog.importer.ValueResolver.Resolved;
import io.midicatalog.internal.CopyText;
import io.midicatalog.internal.SearchWords;
import io.midicatalog.midi.MidiAnalysis;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One analysed file as COPY text, built on the analysis threads so the writer only concatenates.
 * The text comes in parts, one per table it feeds, so the writer can COPY straight into the
 * catalog's tables ({@code files}, {@code file_locations}, {@code musical_metadata},
 * {@code file_categories}, {@code file_instruments}) or, as a fallback, into the staging table
 * ({@link #STAGE_DDL}), whose columns are the parts in order.
 *
 * @param path the path as walked (unescaped; the writer sorts and reports by it)
 * @param hash SHA-256 of the content
 * @param prevFileId the file the catalog had at this path before (a changed file), or 0
 * @param location {@code path, size, mtime}
 * @param file {@code content_hash, filename, fingerprint ... name_sig, doc_sig, name_tsv, doc_tsv} of {@code files}
 * @param fileName the escaped file name again ({@code files.original_filename})
 * @param metadata the {@code musical_metadata} columns after {@code file_id}
 * @param category the {@code file_categories} columns after {@code file_id}
 * @param instruments {@code channel, program, family, note_count} of each instrument, flat
 */
record StagedRow(String path, byte[] hash, long prevFileId, String location, String file, String fileName,
        String metadata, String category, int[] instruments) {
    /** Session-local staging table (the fallback path), emptied at every commit. */
    static final String STAGE_DDL = """
        CREATE TEMP TABLE IF NOT EXISTS import_stage (
            seq int, first_in_batch boolean, prev_file_id bigint, path text, size bigint, mtime timestamptz,
            hash bytea, filename text, fingerprint bigint, format smallint, num_tracks int, tpq int, smpte boolean,
            duration_seconds double precision, duration_ticks bigint,
            manufacturer text, collection text, folder_tags text[], bpm real, key_code smallint,
            ts_num smallint, ts_den smallint, category smallint, note_count int, percussive boolean,
            gm_families int, name_words text, context_words text, name_sig bigint, doc_sig bigint,
            name_tsv tsvector, doc_tsv tsvector,
            bpm_source text, bpm_confidence real, initial_bpm real, content_bpm real, tempo_change_count int,
            tempo_changes jsonb, key_source text, key_confidence real, detected_key_code smallint,
            key_signature_code smallint, key_changes jsonb, time_sig_source text, time_sig_changes jsonb,
            unique_pitches smallint, pitch_min smallint, pitch_max smallint, avg_velocity real, note_density real,
            polyphony_max smallint, polyphony_avg real, is_monophonic boolean, has_chords boolean,
            has_melody boolean, track_names text[], copyright text, texts text[], lyrics text, warnings text[],
            secondary_category smallint, category_source text, category_confidence real,
            inst_channels smallint[], inst_programs smallint[], inst_families smallint[], inst_notes int[],
            file_id bigint, outcome "char"
        ) ON COMMIT DELETE ROWS""";

    /** The staging table's columns in the order of {@link #stageLine}. */
    static final String STAGE_COLUMNS = """
        seq, first_in_batch, prev_file_id, path, size, mtime, hash, filename, fingerprint, format, num_tracks, tpq,
        smpte, duration_seconds, duration_ticks, manufacturer, collection, folder_tags, bpm, key_code, ts_num, ts_den,
        category, note_count, percussive, gm_families, name_words, context_words, name_sig, doc_sig, name_tsv,
        doc_tsv, bpm_source, bpm_confidence,
        initial_bpm, content_bpm, tempo_change_count, tempo_changes, key_source, key_confidence, detected_key_code,
        key_signature_code, key_changes, time_sig_source, time_sig_changes, unique_pitches, pitch_min, pitch_max,
        avg_velocity, note_density, polyphony_max, polyphony_avg, is_monophonic, has_chords, has_melody,
        track_names, copyright, texts, lyrics, warnings, secondary_category, category_source, category_confidence,
        inst_channels, inst_programs, inst_families, inst_notes""";

    /** {@code files} columns in the order of {@link #location}, {@link #file}, then the writer's. */
    static final String FILE_COLUMNS = """
        filepath, file_size_bytes, file_mtime, content_hash, filename, fingerprint, format, num_tracks,
        ticks_per_quarter, smpte, duration_seconds, duration_ticks, manufacturer, collection, folder_tags, bpm,
        key_code, time_sig_num, time_sig_den, category, note_count, percussive, gm_families, name_words,
        context_words, name_sig, doc_sig, name_tsv, doc_tsv, original_filename, id, import_batch_id, analyzed_at""";

    static final String LOCATION_COLUMNS = "path, file_size_bytes, file_mtime, file_id, import_batch_id";

    static final String METADATA_COLUMNS = """
        file_id, bpm_source, bpm_confidence, initial_bpm, content_bpm, tempo_change_count, tempo_changes,
        key_source, key_confidence, detected_key_code, key_signature_code, key_changes, time_sig_source,
        time_sig_changes, unique_pitches, pitch_min, pitch_max, avg_velocity, note_density, polyphony_max,
        polyphony_avg, is_monophonic, has_chords, has_melody, track_names, copyright, texts, lyrics, warnings""";

    static final String CATEGORY_COLUMNS = "file_id, secondary_category, source, confidence";

    static final String INSTRUMENT_COLUMNS = "file_id, channel, program, family, note_count";

    /** Most tempo/key/meter changes kept per file (a few pathological files carry thousands). */
    private static final int MAX_CHANGES = 2_000;
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<Category, String> CATEGORY_WORDS = new EnumMap<>(Category.class);

    static {
        for (Category c : Category.values()) {
            CATEGORY_WORDS.put(c, SearchWords.of(c.label()));
        }
    }

    /** Builds the row's parts. */
    static StagedRow of(String path, String fileName, long size, @Nullable Instant mtime, long prevFileId,
            MidiAnalysis a, PathFacts facts, Resolved r) {
        byte[] hash = a.sha256();
        StringBuilder b = new StringBuilder(160);
        text(b, path).append('\t').append(size).append('\t');
        if (mtime == null) {
            b.append("\\N");
        } else {
            CopyText.timestamp(b, mtime);
        }
        String location = b.toString();

        String name = text(new StringBuilder(fileName.length() + 8), fileName).toString();
        b = new StringBuilder(512);
        b.append("\\\\x").append(HEX.formatHex(hash)).append('\t').append(name).append('\t');
        b.append(a.fingerprint()).append('\t').append(a.format()).append('\t').append(a.tracks()).append('\t')
                .append(a.division()).append('\t').append(a.smpte() ? 't' : 'f').append('\t');
        b.append(finite(a.durationSeconds())).append('\t').append(Math.max(0, a.durationTicks())).append('\t');
        nullableText(b, facts.manufacturer()).append('\t');
        nullableText(b, facts.collection()).append('\t');
        textArray(b, facts.folderTags()).append('\t');
        // files.bpm has CHECK (bpm > 0 AND bpm < 1000): a wild tempo is stored as unknown
        b.append(r.bpm() > 0 && r.bpm() < 1000 ? String.valueOf((float) r.bpm()) : "\\N").append('\t')
                .append(r.key().code()).append('\t');
        b.append(r.meter().numerator()).append('\t').append(r.meter().denominator()).append('\t');
        b.append(r.category().code()).append('\t').append(a.noteCount()).append('\t')
                .append(a.percussive() ? 't' : 'f').append('\t').append(a.gmFamilies()).append('\t');
        String nameWords = SearchWords.ofFileName(fileName);
        text(b, nameWords).append('\t');
        // SearchWords.of(manufacturer collection tags category): words never span a space, so the
        // folder's words (read once per folder) and the category's words joined by one
        String contextWords = facts.folderWords();
        if (r.category() != Category.UNKNOWN) {
            String categoryWords = CATEGORY_WORDS.get(r.category());
            contextWords = contextWords.isEmpty() ? categoryWords
                    : categoryWords.isEmpty() ? contextWords : contextWords + ' ' + categoryWords;
        }
        text(b, contextWords).append('\t');
        // the word signatures of schema V5 (search walks skip files lacking a word's bits)
        long nameSig = SearchWords.signature(nameWords);
        b.append(nameSig).append('\t').append(nameSig | SearchWords.signature(contextWords)).append('\t');
        // the search documents (schema V8); \N: the database parses the words itself
        tsvector(b, SearchWords.tsvector(nameWords)).append('\t');
        tsvector(b, SearchWords.tsvector(nameWords, contextWords));
        String file = b.toString();

        b = new StringBuilder(512);
        b.append(r.bpmSource().dbName()).append('\t').append((float) r.bpmConfidence()).append('\t')
                .append(round2(a.initialBpm())).append('\t').append(round2(a.bpm())).append('\t')
                .append(a.tempoChanges().size()).append('\t');
        jsonPairs(b, a.tempoChanges(), t -> t.tick() + "," + finite(t.bpm())).append('\t');
        b.append(r.keySource().dbName()).append('\t').append((float) r.keyConfidence()).append('\t')
                .append(a.detectedKey().code()).append('\t')
                .append(a.keySignature() == null ? "\\N" : String.valueOf(a.keySignature().code())).append('\t');
        jsonPairs(b, a.keySignatureChanges(), k -> k.tick() + "," + k.key().code()).append('\t');
        b.append(r.meterSource().dbName()).append('\t');
        jsonPairs(b, a.timeSignatureChanges(), t -> t.tick() + "," + t.timeSignature().numerator() + ","
                + t.timeSignature().denominator()).append('\t');
        b.append(Math.min(Short.MAX_VALUE, a.uniquePitches())).append('\t').append(a.pitchMin()).append('\t')
                .append(a.pitchMax()).append('\t').append((float) finite(a.avgVelocity())).append('\t')
                .append((float) finite(a.noteDensity())).append('\t').append(Math.min(Short.MAX_VALUE, a.polyphonyMax()))
                .append('\t').append((float) finite(a.polyphonyAvg())).append('\t')
                .append(a.monophonic() ? 't' : 'f').append('\t').append(a.hasChords() ? 't' : 'f').append('\t')
                .append(a.hasMelody() ? 't' : 'f').append('\t');
        textArray(b, a.trackNames()).append('\t');
        nullableText(b, a.copyright().isEmpty() ? null : String.join("\n", a.copyright())).append('\t');
        textArray(b, a.texts()).append('\t');
        nullableText(b, a.lyrics().isEmpty() ? null : String.join("", a.lyrics())).append('\t');
        textArray(b, a.warnings());
        String metadata = b.toString();

        String category = (r.secondaryCategory() == null ? "\\N" : String.valueOf(r.secondaryCategory().code()))
                + '\t' + r.categorySource().dbName() + '\t' + (float) r.categoryConfidence();

        List<MidiAnalysis.Instrument> list = a.instruments();
        int[] instruments = new int[list.size() * 4];
        for (int i = 0; i < list.size(); i++) {
            MidiAnalysis.Instrument in = list.get(i);
            instruments[i * 4] = in.channel();
            instruments[i * 4 + 1] = in.program();
            instruments[i * 4 + 2] = in.family().ordinal();
            instruments[i * 4 + 3] = in.noteCount();
        }
        return new StagedRow(path, hash, prevFileId, location, file, name, metadata, category, instruments);
    }

    /** The path was in the catalog before (a changed file): the batch needs the in-place statements. */
    boolean known() {
        return prevFileId > 0;
    }

    /** The staging table's line (columns {@link #STAGE_COLUMNS}), newline included. */
    String stageLine(int seq, boolean firstInBatch) {
        StringBuilder b = new StringBuilder(location.length() + file.length() + metadata.length() + 128);
        b.append(seq).append(firstInBatch ? "\tt\t" : "\tf\t").append(prevFileId > 0 ? String.valueOf(prevFileId) : "\\N")
                .append('\t').append(location).append('\t').append(file).append('\t').append(metadata).append('\t')
                .append(category).append('\t');
        for (int field = 0; field < 4; field++) {
            b.append('{');
            for (int i = field; i < instruments.length; i += 4) {
                if (i > field) {
                    b.append(',');
                }
                b.append(instruments[i]);
            }
            b.append(field < 3 ? "}\t" : "}\n");
        }
        return b.toString();
    }

    private static double round2(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : 0;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static <T> StringBuilder jsonPairs(StringBuilder b, List<T> items, java.util.function.Function<T, String> pair) {
        b.append('[');
        int n = Math.min(items.size(), MAX_CHANGES);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('[').append(pair.apply(items.get(i))).append(']');
        }
        return b.append(']');
    }

    /** A tsvector from {@link SearchWords#tsvector} (no escaping needed: ASCII letters, digits, quotes). */
    private static StringBuilder tsvector(StringBuilder b, @Nullable String value) {
        return value == null ? b.append("\\N") : b.append(value);
    }

    private static StringBuilder nullableText(StringBuilder b, @Nullable String value) {
        return value == null ? b.append("\\N") : text(b, value);
    }

    static StringBuilder text(StringBuilder b, String value) {
        return CopyText.text(b, value);
    }

    static StringBuilder textArray(StringBuilder b, List<String> values) {
        return CopyText.textArray(b, values);
    }
}
