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
 * One analysed file, made ready for the writer on the analysis threads. The parts feed one table
 * each, so the writer can COPY straight into the catalog's tables ({@code files} in binary,
 * {@code file_locations}, {@code musical_metadata}, {@code file_categories},
 * {@code file_instruments} as text) or, as a fallback, everything as text into the staging table
 * ({@link #STAGE_DDL}), whose columns are the parts in order.
 *
 * @param path the path as walked (unescaped; the writer sorts and reports by it)
 * @param hash SHA-256 of the content
 * @param prevFileId the file the catalog had at this path before (a changed file), or 0
 * @param size the file's size in bytes
 * @param mtime the file's modification time (microseconds), if known
 * @param location {@code path, size, mtime} as COPY text
 * @param file the {@code files} columns from {@code content_hash} to {@code doc_tsv}
 * @param metadata the {@code musical_metadata} columns after {@code file_id}
 * @param category the {@code file_categories} columns after {@code file_id}
 * @param instruments {@code channel, program, family, note_count} of each instrument, flat
 */
record StagedRow(String path, byte[] hash, long prevFileId, long size, @Nullable Instant mtime, String location,
        FileValues file, String metadata, String category, int[] instruments) {
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

    /** {@code files} columns: filepath, size and mtime, those of {@link FileValues}, then the writer's. */
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

        String nameWords = SearchWords.ofFileName(fileName);
        // SearchWords.of(manufacturer collection tags category): words never span a space, so the
        // folder's words (read once per folder) and the category's words joined by one
        String contextWords = facts.folderWords();
        if (r.category() != Category.UNKNOWN) {
            String categoryWords = CATEGORY_WORDS.get(r.category());
            contextWords = contextWords.isEmpty() ? categoryWords
                    : categoryWords.isEmpty() ? contextWords : contextWords + ' ' + categoryWords;
        }
        // the word signatures of schema V5 (search walks skip files lacking a word's bits)
        long nameSig = SearchWords.signature(nameWords);
        FileValues file = new FileValues(fileName, a.fingerprint(), a.format(), a.tracks(), a.division(), a.smpte(),
                finite(a.durationSeconds()), Math.max(0, a.durationTicks()), facts.manufacturer(), facts.collection(),
                facts.folderTags(),
                // files.bpm has CHECK (bpm > 0 AND bpm < 1000): a wild tempo is stored as unknown
                r.bpm() > 0 && r.bpm() < 1000 ? (float) r.bpm() : Float.NaN, r.key().code(),
                r.meter().numerator(), r.meter().denominator(), r.category().code(), a.noteCount(), a.percussive(),
                a.gmFamilies(), nameWords, contextWords, nameSig, nameSig | SearchWords.signature(contextWords),
                // the search documents (schema V8); null: the database parses the words itself
                SearchWords.tsvectorBinary(nameWords), SearchWords.tsvectorBinary(nameWords, contextWords));

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
        return new StagedRow(path, hash, prevFileId, size, mtime, location, file, metadata, category, instruments);
    }

    /** The path was in the catalog before (a changed file): the batch needs the in-place statements. */
    boolean known() {
        return prevFileId > 0;
    }

    /** The staging table's line (columns {@link #STAGE_COLUMNS}), newline included. */
    String stageLine(int seq, boolean firstInBatch) {
        StringBuilder b = new StringBuilder(location.length() + metadata.length() + 640);
        b.append(seq).append(firstInBatch ? "\tt\t" : "\tf\t").append(prevFileId > 0 ? String.valueOf(prevFileId) : "\\N")
                .append('\t').append(location).append('\t');
        file.appendText(b, hash).append('\t').append(metadata).append('\t').append(category).append('\t');
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

    /** The {@code files} row as binary COPY ({@link #FILE_COLUMNS}); the writer gives id, batch and time. */
    void writeFile(BinaryCopy out, long id, long batchId, long analyzedMicros) {
        out.row(FILE_COLUMN_COUNT).text(path).int8(size).timestamptz(mtime);
        file.binary(out, hash);
        out.text(file.fileName()).int8(id).int8(batchId).int8(analyzedMicros);
    }

    private static final int FILE_COLUMN_COUNT = FILE_COLUMNS.split(",").length;

    /**
     * The {@code files} columns from {@code content_hash} to {@code doc_tsv} as values (binary for
     * the direct way, text for the staging table).
     *
     * @param bpm NaN when unknown
     * @param nameTsv the binary {@code name_tsv} ({@link SearchWords#tsvectorBinary}), null when
     *     the database computes it; likewise docTsv
     */
    record FileValues(String fileName, long fingerprint, int format, int tracks, int division, boolean smpte,
            double durationSeconds, long durationTicks, @Nullable String manufacturer, @Nullable String collection,
            List<String> folderTags, float bpm, int keyCode, int meterNumerator, int meterDenominator, int category,
            int noteCount, boolean percussive, int gmFamilies, String nameWords, String contextWords, long nameSig,
            long docSig, byte @Nullable [] nameTsv, byte @Nullable [] docTsv) {

        void binary(BinaryCopy out, byte[] hash) {
            out.bytes(hash).text(fileName).int8(fingerprint).int2(format).int4(tracks).int4(division).bool(smpte)
                    .float8(durationSeconds).int8(durationTicks).text(manufacturer).text(collection)
                    .textArray(folderTags);
            if (Float.isNaN(bpm)) {
                out.nul();
            } else {
                out.float4(bpm);
            }
            out.int2(keyCode).int2(meterNumerator).int2(meterDenominator).int2(category).int4(noteCount)
                    .bool(percussive).int4(gmFamilies).text(nameWords).text(contextWords).int8(nameSig).int8(docSig)
                    .bytes(nameTsv).bytes(docTsv);
        }

        /** The same as COPY text (tab-separated, no newline). */
        StringBuilder appendText(StringBuilder b, byte[] hash) {
            b.append("\\\\x").append(HEX.formatHex(hash)).append('\t');
            text(b, fileName).append('\t');
            b.append(fingerprint).append('\t').append(format).append('\t').append(tracks).append('\t')
                    .append(division).append('\t').append(smpte ? 't' : 'f').append('\t');
            b.append(durationSeconds).append('\t').append(durationTicks).append('\t');
            nullableText(b, manufacturer).append('\t');
            nullableText(b, collection).append('\t');
            textArray(b, folderTags).append('\t');
            b.append(Float.isNaN(bpm) ? "\\N" : String.valueOf(bpm)).append('\t').append(keyCode).append('\t');
            b.append(meterNumerator).append('\t').append(meterDenominator).append('\t');
            b.append(category).append('\t').append(noteCount).append('\t').append(percussive ? 't' : 'f')
                    .append('\t').append(gmFamilies).append('\t');
            text(b, nameWords).append('\t');
            text(b, contextWords).append('\t');
            b.append(nameSig).append('\t').append(docSig).append('\t');
            tsvector(b, nameTsv == null ? null : SearchWords.tsvector(nameWords)).append('\t');
            return tsvector(b, docTsv == null ? null : SearchWords.tsvector(nameWords, contextWords));
        }
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
