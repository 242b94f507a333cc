package io.midicatalog.jdbi.search;

import io.midicatalog.api.Category;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.api.SearchQuery.Direction;
import io.midicatalog.api.SearchQuery.Sort;
import io.midicatalog.internal.SearchWords;
import io.midicatalog.jdbi.internal.Checks;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The pure SQL builder of a search: from a {@link SearchQuery} and its parsed text to SQL text and
 * bound values. One statement per filter set (a filter that is not set is not in the SQL, so the
 * planner sees exactly what is asked; no {@code (:x IS NULL OR ...)}). Every user value is a bound
 * parameter; the only spliced identifiers are the sort columns of a fixed table in this class.
 * Immutable; no database needed (unit-tested as is).
 *
 * <p>A sort is split into segments, each a keyset walk over one ordering: relevance is tier 1
 * (file name matches) then tier 2 (only the context matches), newest first within each; BPM and
 * duration are the rows with a value, then the rows without one (nulls last in both directions).
 */
final class SearchSql {
    /** Kind of value a segment sorts by, which is also the kind stored in the cursor. */
    enum ValueType { TIMESTAMP, FLOAT, DOUBLE, TEXT, NONE }

    /** One keyset-walkable part of a sort order. */
    record Segment(String predicate, @Nullable String column, ValueType type, boolean descending) {}

    static final String COLUMNS = """
            f.id, f.filepath, f.filename, f.manufacturer, f.collection, f.bpm, f.key_code, \
            f.time_sig_num, f.time_sig_den, f.duration_seconds, f.category, f.missing_since IS NOT NULL AS missing""";

    /**
     * The favorite flag, computed over the page's rows only (outside the LIMIT). Inside, the
     * planner sizes the sub-select by all the matches before the LIMIT and hashes the whole
     * favorites table for every search: 2-7 ms at 20K favorites, measured at 1M files, against
     * 0.3 ms for the whole "no filter, newest" page with one index probe per row. Outside, it
     * still prices hashing the table (a seq scan of 20K favorites, cost 310) below 51 probes
     * (cost 423) and chose the hash once the table's statistics counted them all: 8.8 ms for
     * that page. {@code OFFSET 0} keeps PostgreSQL from turning the EXISTS into a hashed
     * sub-plan, so the flag always costs one probe of the favorites key per page row.
     */
    private static final String FAVORITE = "EXISTS (SELECT 1 FROM favorites fav WHERE fav.file_id = p.id OFFSET 0) AS favorite";

    private static final String TSQUERY = "CAST(:tsq AS tsquery)";

    private final SearchQuery query;
    private final TextQuery text;
    private final List<String> filters = new ArrayList<>();
    /** The filters a walk can check on the sort index's included columns (alias {@code w}). */
    private final List<String> walkFilters = new ArrayList<>();
    private final Map<String, Object> bindings = new LinkedHashMap<>();
    private final List<Segment> segments;
    /** Whether a filter besides the text is held by the text's GIN index (key, category, percussive, GM families, time signature). */
    private boolean docIndexNarrows;
    /**
     * The filters the count tables cannot estimate (they count words, BPM, keys, categories and
     * manufacturers), in a form the planner's statistics can: see {@link #uncountedRows()}.
     */
    private final List<String> uncounted = new ArrayList<>();
    /** The uncounted filters a walk checks on the date index's included columns (schema V12). */
    private final List<String> walkChecked = new ArrayList<>();

    /**
     * Filters the text's GIN index can hold besides the words (schema V11). Each can be written
     * so the index intersects it with the words, or so it is tested on the heap rows of the
     * words' files: see {@link #withFiltersOnHeap}.
     */
    enum IndexedFilter { GM_FAMILIES, TIME_SIGNATURE }

    /** The indexed filters written to be tested on the heap instead of in the index. */
    private final Set<IndexedFilter> onHeap;

    /** @throws IllegalArgumentException when the text matches nothing: such a search needs no SQL */
    SearchSql(SearchQuery query, TextQuery text) {
        this(query, text, EnumSet.noneOf(IndexedFilter.class));
    }

    private SearchSql(SearchQuery query, TextQuery text, Set<IndexedFilter> onHeap) {
        if (text.matchesNothing()) {
            throw new IllegalArgumentException("text that matches nothing has no SQL: " + query.text());
        }
        this.query = query;
        this.text = text;
        this.onHeap = onHeap.isEmpty() ? EnumSet.noneOf(IndexedFilter.class) : EnumSet.copyOf(onHeap);
        buildFilters();
        this.segments = buildSegments();
    }

    /**
     * The same search with {@code filters} tested on the heap rows of the words' files instead
     * of intersected in the text index. In the index a filter most files pass costs more than
     * it saves: "drum" in 4/4 (88% of files) made the index walk 880K postings, 73 ms for the
     * capped count at 1M files, against 40 ms collecting "drum" and testing 4/4 on its rows.
     */
    SearchSql withFiltersOnHeap(Set<IndexedFilter> filters) {
        return filters.equals(onHeap) ? this : new SearchSql(query, text, filters);
    }

    /** The indexed filters this query sets. */
    Set<IndexedFilter> indexedFilters() {
        Set<IndexedFilter> set = EnumSet.noneOf(IndexedFilter.class);
        if (!query.gmFamilies().isEmpty()) {
            set.add(IndexedFilter.GM_FAMILIES);
        }
        if (query.timeSignature() != null) {
            set.add(IndexedFilter.TIME_SIGNATURE);
        }
        return set;
    }

    /**
     * {@code EXPLAIN (FORMAT JSON)} of the files passing one indexed filter: over the row estimate
     * of all files ({@link #uncountedRows()}'s second statement), its share.
     */
    SqlStatement indexedFilterRows(IndexedFilter filter) {
        return new SqlStatement("EXPLAIN (FORMAT JSON) SELECT 1 FROM files f WHERE " + indexedForm(filter), bindings);
    }

    /** A key for what {@link #indexedFilterRows} estimates: the filter and its values. */
    String indexedFilterKey(IndexedFilter filter) {
        return switch (filter) {
            case GM_FAMILIES -> "gm|" + java.util.Arrays.toString((int[]) bindings.get("gmFamilies"));
            case TIME_SIGNATURE -> "ts|" + bindings.get("timeSignature");
        };
    }

    /** The form of an indexed filter that the text index matches (its expression, schema V11). */
    private static String indexedForm(IndexedFilter filter) {
        return switch (filter) {
            case GM_FAMILIES -> "gm_family_list(f.gm_families) && CAST(:gmFamilies AS integer[])";
            case TIME_SIGNATURE -> "time_signature_code(f.time_sig_num, f.time_sig_den) = CAST(:timeSignature AS integer)";
        };
    }

    boolean hasText() {
        return !text.isEmpty();
    }

    /** True when nothing at all filters the files. */
    boolean unfiltered() {
        return filters.isEmpty();
    }

    /** True when the text is the only filter. */
    boolean textOnly() {
        return !text.isEmpty() && filters.size() == 1;
    }

    List<Segment> segments() {
        return segments;
    }

    /** What the cursor fingerprint covers: text, filters and sort, not page size or facets. */
    String canonical() {
        return canonical(query);
    }

    /**
     * {@link #canonical()} of any query, also one whose text matches nothing: every component of
     * {@link SearchQuery} but the cursor, page size and facets (so a component added later is
     * covered), each value and list element prefixed by its length as in {@link #keyOf}, a null
     * marked apart. The record's toString is not enough: {@code ["Splice, Cymatics"]} and
     * {@code ["Splice", "Cymatics"]} print alike, and one query would take the other's cursor.
     */
    static String canonical(SearchQuery query) {
        StringBuilder key = new StringBuilder(256);
        for (RecordComponent component : FINGERPRINTED) {
            key.append(component.getName());
            Object value;
            try {
                value = component.getAccessor().invoke(query);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read SearchQuery." + component.getName(), e);
            }
            if (value == null) {
                key.append("|-");
            } else if (value instanceof List<?> list) {
                key.append("|[").append(list.size());
                for (Object element : list) {
                    appendValue(key, String.valueOf(element));
                }
            } else {
                appendValue(key, String.valueOf(value));
            }
            key.append(';');
        }
        return key.toString();
    }

    /** The components of a query its cursors depend on. */
    private static final List<RecordComponent> FINGERPRINTED = java.util.Arrays.stream(SearchQuery.class.getRecordComponents())
            .filter(c -> !Set.of("cursor", "pageSize", "facets").contains(c.getName())).toList();

    private void buildFilters() {
        if (!text.isEmpty()) {
            filters.add("f.doc_tsv @@ " + TSQUERY);
            bindings.put("tsq", text.toTsquery());
        }
        if (query.bpmMin() != null || query.bpmMax() != null) {
            float min = query.bpmMin() != null ? query.bpmMin() : 0f;
            float max = query.bpmMax() != null ? query.bpmMax() : Float.MAX_VALUE;
            // With text, the word index drives and BPM is checked on its matches: "+ 0" keeps the
            // planner from AND-ing in a bitmap of the BPM index, which for a popular range (120-130
            // is ~40% of a producer library) costs more than the whole rest of the query.
            filters.add(bpmFilter(text.isEmpty() ? "f.bpm" : "(f.bpm + 0)"));
            walkFilters.add(bpmFilter("w.bpm"));
            if (query.bpmHalfDouble()) {
                bindings.put("bpmHalfMin", min / 2);
                bindings.put("bpmHalfMax", max / 2);
                bindings.put("bpmDoubleMin", min * 2);
                bindings.put("bpmDoubleMax", max == Float.MAX_VALUE ? max : max * 2);
            }
            bindings.put("bpmMin", min);
            bindings.put("bpmMax", max);
        }
        List<MusicalKey> keys = query.effectiveKeys();
        docIndexNarrows = !keys.isEmpty() || !query.categories().isEmpty() || query.percussive() != null
                || narrowsBeyondWalk();
        if (keys.size() == 1) {
            // plain equality: the (doc_tsv, key_code) GIN can intersect word and key inside the index
            filters.add("f.key_code = CAST(:key AS smallint)");
            walkFilters.add("w.key_code = CAST(:key AS smallint)");
            bindings.put("key", (int) keys.get(0).code());
        } else if (!keys.isEmpty()) {
            filters.add("f.key_code = ANY(CAST(:keys AS smallint[]))");
            walkFilters.add("w.key_code = ANY(CAST(:keys AS smallint[]))");
            bindings.put("keys", keys.stream().mapToInt(MusicalKey::code).toArray());
        }
        if (query.timeSignature() != null) {
            // in the index: its expression (schema V11), so text + signature intersect in it; on
            // the heap: the columns, which no index holds
            String indexed = indexedForm(IndexedFilter.TIME_SIGNATURE);
            filters.add(onHeap.contains(IndexedFilter.TIME_SIGNATURE)
                    ? "f.time_sig_num = CAST(:tsNum AS smallint) AND f.time_sig_den = CAST(:tsDen AS smallint)" : indexed);
            uncounted.add(indexed); // its statistics (schema V11) estimate the share
            bindings.put("timeSignature", query.timeSignature().numerator() * 65536 + query.timeSignature().denominator());
            bindings.put("tsNum", query.timeSignature().numerator());
            bindings.put("tsDen", query.timeSignature().denominator());
        }
        if (!query.manufacturers().isEmpty()) {
            filters.add("f.manufacturer = ANY(CAST(:manufacturers AS text[]))");
            bindings.put("manufacturers", query.manufacturers().toArray(String[]::new));
        }
        if (!query.collections().isEmpty()) {
            uncountedFilter("f.collection = ANY(CAST(:collections AS text[]))");
            bindings.put("collections", query.collections().toArray(String[]::new));
        }
        List<Category> categories = query.categories().stream().distinct().toList();
        if (categories.size() == 1) {
            // plain equality, like the key: the (doc_tsv, key_code, category) GIN intersects inside the index
            filters.add("f.category = CAST(:category AS smallint)");
            walkFilters.add("w.category = CAST(:category AS smallint)");
            bindings.put("category", (int) categories.get(0).code());
        } else if (!categories.isEmpty()) {
            filters.add("f.category = ANY(CAST(:categories AS smallint[]))");
            walkFilters.add("w.category = ANY(CAST(:categories AS smallint[]))");
            bindings.put("categories", categories.stream().mapToInt(Category::code).toArray());
        }
        List<String> tagsAll = query.tagsAll().stream().distinct().toList();
        for (int i = 0; i < tagsAll.size(); i++) {
            uncountedFilter("EXISTS (SELECT 1 FROM file_tags ft JOIN tags t ON t.id = ft.tag_id"
                    + " WHERE ft.file_id = f.id AND lower(t.name) = lower(:tagAll" + i + "))");
            bindings.put("tagAll" + i, tagsAll.get(i));
        }
        if (!query.tagsAny().isEmpty()) {
            uncountedFilter("EXISTS (SELECT 1 FROM file_tags ft JOIN tags t ON t.id = ft.tag_id"
                    + " WHERE ft.file_id = f.id AND lower(t.name) IN (SELECT lower(x) FROM unnest(CAST(:tagsAny AS text[])) x))");
            bindings.put("tagsAny", query.tagsAny().toArray(String[]::new));
        }
        if (query.favoritesOnly()) {
            uncountedFilter("EXISTS (SELECT 1 FROM favorites fo WHERE fo.file_id = f.id)");
        }
        if (!query.gmFamilies().isEmpty()) {
            // The bit set as the array of family numbers the text index holds (schema V11), after
            // the same test on the bits: building the array costs ~0.5 us a row where the rows are
            // scanned rather than found by the index (a count of a common family: 6.4 against
            // 3.4 ms at 1M files). The planner tests the cheaper clause first, and estimates the
            // bit test at 99.5% (no statistics), so the array's statistics set the row estimate.
            String families = indexedForm(IndexedFilter.GM_FAMILIES);
            filters.add("(f.gm_families & :gmMask) <> 0" + (onHeap.contains(IndexedFilter.GM_FAMILIES) ? "" : " AND " + families));
            uncounted.add(families);
            bindings.put("gmFamilies", query.gmFamilies().stream().mapToInt(GmFamily::ordinal).distinct().toArray());
            bindings.put("gmMask", query.gmFamilies().stream().mapToInt(GmFamily::bit).reduce(0, (a, b) -> a | b));
        }
        if (query.percussive() != null) {
            walkCheckedFilter("percussive = :percussive");
            bindings.put("percussive", query.percussive());
        }
        // duration and note count: also checked on the date indexes' included columns (schema V12)
        if (query.durationMin() != null) {
            walkCheckedFilter("duration_seconds >= :durationMin");
            bindings.put("durationMin", query.durationMin());
        }
        if (query.durationMax() != null) {
            walkCheckedFilter("duration_seconds <= :durationMax");
            bindings.put("durationMax", query.durationMax());
        }
        if (query.noteCountMin() != null) {
            walkCheckedFilter("note_count >= :noteCountMin");
            bindings.put("noteCountMin", query.noteCountMin());
        }
        if (query.noteCountMax() != null) {
            walkCheckedFilter("note_count <= :noteCountMax");
            bindings.put("noteCountMax", query.noteCountMax());
        }
        if (query.smfFormat() != null) {
            uncountedFilter("f.format = CAST(:smfFormat AS smallint)");
            bindings.put("smfFormat", query.smfFormat());
        }
        if (query.multiTrack() != null) {
            uncountedFilter(query.multiTrack() ? "f.num_tracks > 1" : "coalesce(f.num_tracks, 0) <= 1");
        }
    }

    /**
     * Whether a filter is held by the text's GIN index but not by the date indexes a walk reads
     * (GM families, time signature): collecting then reads only the files that pass it, while a
     * walk tests each of the word's files on the heap.
     */
    boolean narrowsBeyondWalk() {
        return !indexedFiltersInIndex().isEmpty();
    }

    /** The indexed filters this query sets that are written for the text index (not on the heap). */
    Set<IndexedFilter> indexedFiltersInIndex() {
        Set<IndexedFilter> inIndex = indexedFilters();
        inIndex.removeAll(onHeap);
        return inIndex;
    }

    /**
     * Whether every filter reads only columns files_created includes (schema V13: BPM, key,
     * category, percussive, duration, note count, GM families, time signature), so a count without
     * text can scan that index instead of the table.
     */
    boolean onDateIndexOnly() {
        return text.isEmpty() && query.manufacturers().isEmpty() && query.collections().isEmpty()
                && query.tagsAll().isEmpty() && query.tagsAny().isEmpty() && !query.favoritesOnly()
                && query.smfFormat() == null && query.multiTrack() == null;
    }

    /** Adds a filter that the count tables cannot estimate (see {@link #uncountedRows()}). */
    private void uncountedFilter(String filter) {
        filters.add(filter);
        uncounted.add(filter);
    }

    /**
     * Adds a filter the count tables cannot estimate but the date indexes' included columns hold
     * ({@code condition} on unqualified columns): tested on the heap as {@code f.}, on a walk's
     * index as {@code w.}.
     */
    private void walkCheckedFilter(String condition) {
        uncountedFilter("f." + condition);
        walkFilters.add("w." + condition);
        walkChecked.add("f." + condition);
    }

    /**
     * {@code EXPLAIN (FORMAT JSON)} of the files passing the filters without count tables that a
     * walk checks on the index (duration, note count, percussive), or null without such filters:
     * the rest of {@link #uncountedRows()}'s share is what a walk tests on the heap.
     */
    @Nullable SqlStatement walkCheckedRows() {
        return walkChecked.isEmpty() ? null
                : new SqlStatement("EXPLAIN (FORMAT JSON) SELECT 1 FROM files f" + where(walkChecked, List.of()), bindings);
    }

    /** A key for what {@link #walkCheckedRows()} estimates: its SQL and values. */
    String walkCheckedKey() {
        return "walk|" + keyOf(walkCheckedRows());
    }

    private String bpmFilter(String bpm) {
        String range = bpm + " BETWEEN CAST(:bpmMin AS real) AND CAST(:bpmMax AS real)";
        if (!query.bpmHalfDouble()) {
            return range;
        }
        return "(" + range
                + " OR " + bpm + " BETWEEN CAST(:bpmHalfMin AS real) AND CAST(:bpmHalfMax AS real)"
                + " OR " + bpm + " BETWEEN CAST(:bpmDoubleMin AS real) AND CAST(:bpmDoubleMax AS real))";
    }

    /**
     * The signature bits every match has (see {@link SearchWords#signature}), in the file name's
     * signature for relevance tier 1, else in the document's; 0 when the text requires no word
     * the signature is sure to cover.
     */
    long walkMask() {
        long mask = 0;
        for (String word : text.requiredWords()) {
            mask |= SearchWords.bits(word);
        }
        return mask;
    }

    /** Whether the segment's rows match only in the file name (relevance tier 1). */
    private boolean nameTier(int segmentIndex) {
        return query.sort() == Sort.RELEVANCE && !text.isEmpty() && segmentIndex == 0;
    }

    /**
     * Whether a segment can be walked down a date index that filters by word signatures: text
     * with required words, ordered by date (relevance tiers, newest, oldest).
     */
    boolean signatureWalk(int segmentIndex) {
        Segment seg = segments.get(segmentIndex);
        return !text.isEmpty() && seg.type() == ValueType.TIMESTAMP && walkMask() != 0;
    }

    private List<Segment> buildSegments() {
        boolean desc = query.direction() == Direction.DESC;
        Sort sort = query.sort() == Sort.RELEVANCE && text.isEmpty() ? Sort.NEWEST : query.sort();
        return switch (sort) {
            case RELEVANCE -> List.of(
                    new Segment("f.name_tsv @@ " + TSQUERY, "f.created_at", ValueType.TIMESTAMP, true),
                    new Segment("NOT (f.name_tsv @@ " + TSQUERY + ")", "f.created_at", ValueType.TIMESTAMP, true));
            case NEWEST -> List.of(new Segment("", "f.created_at", ValueType.TIMESTAMP, desc));
            case NAME -> List.of(new Segment("", "f.filename COLLATE \"C\"", ValueType.TEXT, desc));
            case BPM -> List.of(
                    new Segment("f.bpm IS NOT NULL", "f.bpm", ValueType.FLOAT, desc),
                    new Segment("f.bpm IS NULL", null, ValueType.NONE, desc));
            case DURATION -> List.of(
                    new Segment("f.duration_seconds IS NOT NULL", "f.duration_seconds", ValueType.DOUBLE, desc),
                    new Segment("f.duration_seconds IS NULL", null, ValueType.NONE, desc));
        };
    }

    private String where(List<String> extra) {
        return where(filters, extra);
    }

    private static String where(List<String> base, List<String> extra) {
        List<String> all = new ArrayList<>(base);
        for (String e : extra) {
            if (!e.isEmpty()) {
                all.add(e);
            }
        }
        return all.isEmpty() ? "" : "\nWHERE " + String.join("\n  AND ", all);
    }

    /** Whether a filter narrows the matches that the count tables cannot estimate. */
    boolean hasUncountedFilters() {
        return !uncounted.isEmpty();
    }

    /**
     * The planner's row estimates (two rows of {@code EXPLAIN (FORMAT JSON)}): the files passing
     * the filters the count tables cannot estimate (favorites, tags, collections, time signature,
     * GM families, percussive, duration, note count, format, tracks), then all files. Their ratio
     * is those filters' share, from the column statistics ANALYZE keeps; planning only, nothing
     * is read. Without it a total above the cap ignored them ("favorites only": 1,000,000
     * reported for 20,134 at 1M files) and plans took them as not narrowing.
     */
    List<SqlStatement> uncountedRows() {
        return List.of(new SqlStatement("EXPLAIN (FORMAT JSON) SELECT 1 FROM files f" + where(uncounted, List.of()), bindings),
                new SqlStatement("EXPLAIN (FORMAT JSON) SELECT 1 FROM files f", Map.of()));
    }

    /** A key for what {@link #uncountedRows()} estimates: its SQL and values. */
    String uncountedKey() {
        return keyOf(uncountedRows().get(0));
    }

    /**
     * A cache key for a statement: its SQL and its values in order, each value and array element
     * prefixed by its length so no two different value lists give the same key.
     */
    private static String keyOf(@Nullable SqlStatement statement) {
        if (statement == null) {
            return "";
        }
        SqlStatement.Positional p = statement.positional();
        StringBuilder key = new StringBuilder(p.sql());
        for (Object v : p.values()) {
            if (v instanceof Object[] a) {
                key.append("|[").append(a.length);
                for (Object e : a) {
                    appendValue(key, String.valueOf(e));
                }
            } else if (v instanceof int[] a) {
                key.append("|[").append(a.length);
                for (int e : a) {
                    appendValue(key, Integer.toString(e));
                }
            } else {
                appendValue(key, String.valueOf(v));
            }
        }
        return key.toString();
    }

    private static void appendValue(StringBuilder key, String value) {
        key.append('|').append(value.length()).append(':').append(value);
    }

    /** Counts matches, reading at most {@code cap} of them: {@code SELECT count(*)} of a LIMIT. */
    SqlStatement count(int cap) {
        Map<String, Object> b = new LinkedHashMap<>(bindings);
        b.put("cap", cap);
        return new SqlStatement("SELECT count(*) FROM (SELECT 1 FROM files f" + where(List.of())
                + "\nLIMIT :cap) capped", b);
    }

    /**
     * One segment's rows after the cursor position, in order, at most {@code limit}.
     *
     * @param materialize collect all the segment's matches first (a bitmap scan of few rows),
     *     then sort; otherwise let the planner walk the sort index and stop at the limit
     * @param after the last row of the previous page when it lies in this segment
     */
    SqlStatement page(int segmentIndex, @Nullable SearchCursor after, int limit, boolean materialize) {
        return page(segmentIndex, after, limit, materialize, true);
    }

    /**
     * {@link #page(int, SearchCursor, int, boolean)}, where {@code nameIndex} false keeps the
     * file-name index out of a collected relevance tier 1 that the text index narrows by another
     * filter: the file-name test is then made on the rows the text index yields. The planner
     * otherwise ANDs in the bitmap of every file naming the word ("drum" in a GM family at 1M
     * files: 200K file names, 30 of the 37 ms, for 1,399 files the text index yields).
     */
    SqlStatement page(int segmentIndex, @Nullable SearchCursor after, int limit, boolean materialize, boolean nameIndex) {
        Segment seg = segments.get(segmentIndex);
        Map<String, Object> b = new LinkedHashMap<>(bindings);
        String rank = text.isEmpty() ? "0.0" : "CASE WHEN f.name_tsv @@ " + TSQUERY + " THEN 1.0 ELSE 0.5 END";
        if (!text.isEmpty()) {
            b.put("tsq", text.toTsquery());
        }
        b.put("limit", limit);
        // A file-name match is a document match unless a word is excluded (the exclusion may sit
        // in the context only): tier 1 then needs no document test, one GIN scan less. Except when
        // collecting with the key or the category filtering too: the document's GIN index holds
        // them, and the matches it yields can be far fewer than the file-name index's ("chords" by
        // name in the drums category: the name index yields 120K files to test on the heap, the
        // document index the 12.6K drums files holding the word), so the planner gets the choice.
        List<String> base = filters;
        if (nameTier(segmentIndex) && !text.hasExclusion() && !(materialize && docIndexNarrows)) {
            base = new ArrayList<>(filters);
            base.remove(0);
        }
        if (signatureWalk(segmentIndex) && !materialize) {
            return walkPage(segmentIndex, seg, base, after, b, rank);
        }
        String sortValue = seg.column() == null ? "NULL" : seg.column();
        List<String> extra = new ArrayList<>();
        boolean testNameOnRows = !nameIndex && materialize && docIndexNarrows && nameTier(segmentIndex);
        extra.add(testNameOnRows ? "(" + seg.predicate() + ") IS TRUE" : seg.predicate()); // IS TRUE: no index matches it
        String cmp = seg.descending() ? "<" : ">";
        if (after != null) {
            if (seg.column() == null) {
                extra.add("f.id " + cmp + " :afterId");
            } else {
                extra.add("(" + seg.column() + ", f.id) " + cmp + " (" + castValue(seg.type()) + ", :afterId)");
                b.put("afterValue", bindValue(seg.type(), after.value()));
            }
            b.put("afterId", after.id());
        }
        String dir = seg.descending() ? " DESC" : "";
        String select = "SELECT " + COLUMNS + ",\n       " + rank + " AS rank, " + sortValue + " AS sort_value"
                + "\nFROM files f" + where(base, extra);
        String inner;
        if (materialize) {
            String order = seg.column() == null ? "m.id" + dir
                    : "m.sort_value" + collate(seg) + dir + ", m.id" + dir;
            inner = "WITH m AS MATERIALIZED (\n" + select + ")\nSELECT * FROM m ORDER BY " + order + " LIMIT :limit";
        } else {
            String order = seg.column() == null ? "f.id" + dir : seg.column() + dir + ", f.id" + dir;
            inner = select + "\nORDER BY " + order + "\nLIMIT :limit";
        }
        return withFavorite(inner, seg.column() == null ? "p.id" + dir : "p.sort_value" + collate(seg) + dir + ", p.id" + dir, b);
    }

    /** The page rows of {@code inner} in {@code order}, with their favorite flag (see {@link #FAVORITE}). */
    private static SqlStatement withFavorite(String inner, String order, Map<String, Object> bindings) {
        return new SqlStatement("SELECT p.*, " + FAVORITE + "\nFROM (\n" + inner + "\n) p\nORDER BY " + order, bindings);
    }

    /** Whether {@link #collectFirstPage} serves this sort: every segment ordered by date. */
    boolean collectable() {
        return segments.stream().allMatch(seg -> seg.type() == ValueType.TIMESTAMP)
                && segments.stream().map(Segment::descending).distinct().count() == 1;
    }

    /**
     * The capped count and, when the matches are fewer than {@code cap}, the first page, from one
     * collection of at most {@code cap} matches (a bitmap scan): one row per page row, or one row
     * of nulls beside the count when there are none or too many. Replaces a capped count followed
     * by a collecting page statement, which read the same index entries and heap rows twice (a
     * word with a key and a BPM range: the word-and-key GIN scan alone is ~5 ms at 1M files).
     * Columns: {@code total}, {@code first_segment} (how many of the collected matches lie in the
     * first segment: with more than {@code cap} matches, a sample of how they split between the
     * relevance tiers), the page columns, and {@code seg} (the segment of each row).
     */
    SqlStatement collectFirstPage(int cap, int limit) {
        Map<String, Object> b = new LinkedHashMap<>(bindings);
        String collect = "SELECT f.id, f.created_at, " + firstSegmentTest() + " AS seg, 0 AS n\nFROM files f" + where(List.of())
                + "\nLIMIT :cap";
        return firstPage(collect, false, cap, limit, b);
    }

    /**
     * What {@link #collectFirstPage} returns, from a bounded walk instead of a bitmap scan: the
     * date index (files_key_created for one key) is read index-only, files whose document
     * signature lacks a required word (or whose key, BPM, category, flag, duration or note count do
     * not fit, from the included columns) are skipped there, and at most {@code bound} of the rest are read by
     * primary key and tested. It stops at {@code cap} matches, like the collection; the column
     * {@code truncated} says the walk used up its bound first, so fewer than {@code cap} matches
     * prove nothing (the caller then collects). A common word with a filter the planner cannot
     * narrow by index (BPM, duration, favorites...) otherwise builds the bitmap of all the
     * word's files before the first heap row ("drum" and a duration range: 67 ms at 1M files).
     * Rows are numbered as walked; the one after the bound is let through unfiltered as the
     * sentinel that marks the truncation.
     */
    SqlStatement walkFirstPage(int cap, int limit, long bound) {
        if (walkMask() == 0) {
            throw new IllegalStateException("no required word to walk by");
        }
        Map<String, Object> b = new LinkedHashMap<>(bindings);
        b.put("walkMask", walkMask());
        b.put("bound", bound);
        b.put("sentinel", bound + 1);
        List<String> walk = new ArrayList<>();
        walk.add("(w.doc_sig & CAST(:walkMask AS bigint)) = CAST(:walkMask AS bigint)");
        walk.addAll(walkFilters);
        String dir = segments.get(0).descending() ? " DESC" : "";
        String collect = "SELECT f.id, f.created_at, " + firstSegmentTest() + " AS seg, w.n"
                + "\nFROM (SELECT w.id, row_number() OVER () AS n FROM (SELECT w.id FROM files w WHERE "
                + String.join(" AND ", walk) + "\n      ORDER BY w.created_at" + dir + ", w.id" + dir + " LIMIT :sentinel) w) w"
                + "\nJOIN files f ON f.id = w.id"
                + "\nWHERE (" + String.join("\n  AND ", filters) + ")\n   OR w.n = :sentinel"
                + "\nLIMIT :cap + 1";
        return firstPage(collect, true, cap, limit, b);
    }

    /** {@code seg}: 0 for a row of the first segment (a file-name match in relevance order), else 1. */
    private String firstSegmentTest() {
        return segments.size() > 1 ? "CASE WHEN f.name_tsv @@ " + TSQUERY + " THEN 0 ELSE 1 END" : "0";
    }

    /**
     * The count, the first segment's share, the truncation flag and (under the cap) the first
     * page, over {@code collect}: the matches as (id, created_at, seg, n), at most {@code cap}
     * of them, and with {@code walked} maybe the sentinel row (n past :bound) after them.
     */
    private SqlStatement firstPage(String collect, boolean walked, int cap, int limit, Map<String, Object> b) {
        if (!collectable()) {
            throw new IllegalStateException("not a date-ordered sort: " + query.sort());
        }
        b.put("cap", cap);
        b.put("limit", limit);
        String rank = text.isEmpty() ? "0.0" : "CASE WHEN s.seg = 0 THEN 1.0 ELSE 0.5 END";
        String dir = segments.get(0).descending() ? " DESC" : "";
        String match = walked ? "m.n <= :bound" : "true";
        String sql = "WITH m AS MATERIALIZED (\n" + collect + "),"
                + "\nt AS (SELECT count(*) FILTER (WHERE " + match + ") AS total,"
                + " count(*) FILTER (WHERE m.seg = 0 AND " + match + ") AS first_segment,"
                + " " + (walked ? "coalesce(bool_or(m.n > :bound), false)" : "false") + " AS truncated FROM m)"
                + "\nSELECT t.total, t.first_segment, t.truncated, p.*, " + FAVORITE
                + "\nFROM t LEFT JOIN LATERAL (\nSELECT " + COLUMNS + ",\n       " + rank + " AS rank, f.created_at AS sort_value, s.seg"
                + "\nFROM (SELECT m.id, m.seg FROM m WHERE " + match
                + " ORDER BY m.seg, m.created_at" + dir + ", m.id" + dir + " LIMIT :limit) s"
                + "\nJOIN files f ON f.id = s.id\n) p ON t.total < :cap AND NOT t.truncated"
                + "\nORDER BY p.seg, p.sort_value" + dir + ", p.id" + dir;
        return new SqlStatement(sql, b);
    }

    /**
     * A date-ordered segment walked down the date index (files_created, or files_key_created for
     * one key): {@code w} is an index-only scan that drops the files whose word signature lacks a
     * required word (and checks key, BPM, category, percussive flag, duration and note count on
     * the included columns), and only the files it lets
     * through are read by primary key and tested against the real filters. Run with hash and
     * merge joins off, so the join is a nested loop that keeps the walk's order and stops at the
     * limit.
     */
    private SqlStatement walkPage(int segmentIndex, Segment seg, List<String> base, @Nullable SearchCursor after,
            Map<String, Object> b, String rank) {
        String sig = nameTier(segmentIndex) ? "w.name_sig" : "w.doc_sig";
        List<String> walk = new ArrayList<>();
        walk.add("(" + sig + " & CAST(:walkMask AS bigint)) = CAST(:walkMask AS bigint)");
        b.put("walkMask", walkMask());
        walk.addAll(walkFilters);
        String cmp = seg.descending() ? "<" : ">";
        if (after != null) {
            walk.add("(w.created_at, w.id) " + cmp + " (" + castValue(seg.type()) + ", :afterId)");
            b.put("afterValue", bindValue(seg.type(), after.value()));
            b.put("afterId", after.id());
        }
        List<String> checks = new ArrayList<>(base);
        if (!seg.predicate().isEmpty()) {
            checks.add(seg.predicate());
        }
        String dir = seg.descending() ? " DESC" : "";
        String inner = "SELECT " + COLUMNS + ",\n       " + rank + " AS rank, f.created_at AS sort_value"
                + "\nFROM (SELECT w.id, w.created_at FROM files w WHERE " + String.join(" AND ", walk) + ") w"
                + "\nJOIN files f ON f.id = w.id" + where(checks, List.of())
                + "\nORDER BY w.created_at" + dir + ", w.id" + dir + "\nLIMIT :limit";
        return withFavorite(inner, "p.sort_value" + dir + ", p.id" + dir, b);
    }

    /**
     * Facet counts of the matches, grouped as (dim, value): 'k' key code, 'b' BPM bucket lower
     * bound (-1 none), 'c' category, 'm' manufacturer ('' none), 't' all. With a sample percentage,
     * over a TABLESAMPLE SYSTEM of the files (fixed seed, so repeated calls agree).
     */
    SqlStatement facets(@Nullable Double samplePercent) {
        Map<String, Object> b = new LinkedHashMap<>(bindings);
        String from = "files f";
        if (samplePercent != null) {
            from = "files f TABLESAMPLE SYSTEM (CAST(:samplePercent AS real)) REPEATABLE (17)";
            b.put("samplePercent", samplePercent);
        }
        // GROUPING SETS: one pass and one hash table per dimension. A LATERAL VALUES row per
        // dimension per file (the first version) cost ~30 us per sampled file in a Memoize'd
        // nested loop: 50 of 60 ms for a BPM-range sample of 1,800 files at 1M rows.
        return new SqlStatement("""
                SELECT CASE WHEN grouping(f.key_code) = 0 THEN 'k' WHEN grouping(b.bucket) = 0 THEN 'b'
                            WHEN grouping(f.category) = 0 THEN 'c' WHEN grouping(f.manufacturer) = 0 THEN 'm'
                            ELSE 't' END AS dim,
                       CASE WHEN grouping(f.key_code) = 0 THEN f.key_code::text WHEN grouping(b.bucket) = 0 THEN b.bucket::text
                            WHEN grouping(f.category) = 0 THEN f.category::text
                            WHEN grouping(f.manufacturer) = 0 THEN coalesce(f.manufacturer, '') ELSE '' END AS value,
                       count(*) AS files
                FROM %s
                CROSS JOIN LATERAL (SELECT coalesce((floor(f.bpm::float8 / %d) * %d)::int, -1) AS bucket) b%s
                GROUP BY GROUPING SETS ((f.key_code), (b.bucket), (f.category), (f.manufacturer), ())"""
                .formatted(from, FACET_BPM_WIDTH, FACET_BPM_WIDTH, where(List.of())), b);
    }

    private static final int FACET_BPM_WIDTH = io.midicatalog.api.FacetCounts.BPM_BUCKET_WIDTH;

    /**
     * The transaction-local settings a search statement is planned under: custom plans (the plan
     * depends on the bound word's frequency), no parallel workers (on small machines they cost
     * more than they save on queries that read a page), and the {@link Scan}s allowed.
     */
    static SqlStatement settings(Scan scan) {
        StringBuilder sql = new StringBuilder("SELECT ");
        Map<String, Object> b = new LinkedHashMap<>();
        int i = 0;
        for (var setting : planSettings(scan).entrySet()) {
            sql.append(i == 0 ? "" : ", ").append("set_config('").append(setting.getKey()).append("', :v").append(i).append(", true)");
            b.put("v" + i, setting.getValue());
            i++;
        }
        return new SqlStatement(sql.toString(), b);
    }

    /** The settings of {@link #settings(Scan)} by name (diagnostics EXPLAIN under the same ones). */
    static Map<String, String> planSettings(Scan scan) {
        String joins = scan == Scan.WALK ? "off" : "on";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("plan_cache_mode", "force_custom_plan");
        m.put("max_parallel_workers_per_gather", "0");
        m.put("enable_seqscan", scan == Scan.FREE || scan == Scan.SCAN ? "on" : "off");
        m.put("enable_indexscan", scan == Scan.BITMAP ? "off" : "on");
        m.put("enable_bitmapscan", scan == Scan.INDEX || scan == Scan.WALK || scan == Scan.SCAN ? "off" : "on");
        m.put("enable_hashjoin", joins);
        m.put("enable_mergejoin", joins);
        m.put("enable_sort", joins);
        return m;
    }

    /**
     * The scans a page statement of {@code segment} runs under: collected by bitmap, walked down
     * the date index by signature, walked down the key's date index, or the planner's choice.
     */
    Scan pageScan(int segment, boolean materialize) {
        return materialize ? Scan.BITMAP : signatureWalk(segment) ? Scan.WALK : walksByKey() ? Scan.INDEX : Scan.FREE;
    }

    /** One key, ordered by date: a walk goes down the (key, created_at) index. */
    boolean walksByKey() {
        return query.effectiveKeys().size() == 1 && (query.sort() == Sort.NEWEST || query.sort() == Sort.RELEVANCE);
    }

    /**
     * Scans a statement may use: the planner's choice; bitmap scans only (few matches: collect
     * them, then sort); index scans only (walk a sort index: used for text with one key, where the
     * planner cannot see how many of the key's rows pass the BPM check and would collect all the
     * word's files in that key instead of walking the key's newest rows); a signature walk (index
     * scans in a nested loop, no sort: see {@code walkPage}); no bitmap scans (a capped count
     * of a filter the text index holds but that many files pass: the planner prices the index's
     * bitmap far below its cost, 18 ms for the capped count of 3/4 (50K files) at 1M files,
     * where scanning the table finds the first 1,001 in 10 ms).
     */
    enum Scan { FREE, BITMAP, INDEX, WALK, SCAN }

    /** The exact number of files (the count table's total row). */
    static SqlStatement fileTotal() {
        return new SqlStatement("SELECT coalesce(sum(files), 0) FROM search_value_counts WHERE dim = 't'", Map.of());
    }

    /** The exact number of files whose search document contains {@code word}. */
    static SqlStatement wordTotal(String word) {
        return new SqlStatement("SELECT coalesce(sum(doc_files), 0) FROM search_word_counts WHERE word = :word",
                Map.of("word", word));
    }

    /** File counts of words (summed deltas of the trigger-maintained side table). */
    static SqlStatement wordCounts(List<String> words) {
        return new SqlStatement("""
                SELECT word, sum(name_files) AS name_files, sum(doc_files) AS doc_files
                FROM search_word_counts WHERE word = ANY(CAST(:words AS text[])) GROUP BY word""",
                Map.of("words", words.toArray(String[]::new)));
    }

    /** Per-value file counts (for estimates and unfiltered facets); manufacturers only those asked. */
    static SqlStatement valueCounts(@Nullable List<String> manufacturers) {
        String m = manufacturers == null ? "dim = 'm'" : "dim = 'm' AND value = ANY(CAST(:manufacturers AS text[]))";
        Map<String, Object> b = new LinkedHashMap<>();
        if (manufacturers != null) {
            b.put("manufacturers", manufacturers.toArray(String[]::new));
        }
        return new SqlStatement("SELECT dim::text AS dim, value, sum(files) AS files FROM search_value_counts"
                + " WHERE dim IN ('t', 'k', 'b', 'c') OR (" + m + ") GROUP BY dim, value", b);
    }

    private static String collate(Segment seg) {
        return seg.type() == ValueType.TEXT ? " COLLATE \"C\"" : "";
    }

    private static String castValue(ValueType type) {
        return switch (type) {
            case TIMESTAMP -> "CAST(:afterValue AS timestamptz)";
            case FLOAT -> "CAST(:afterValue AS real)";
            case DOUBLE -> "CAST(:afterValue AS double precision)";
            case TEXT -> "CAST(:afterValue AS text)";
            case NONE -> throw new IllegalStateException("no value in an id-only segment");
        };
    }

    private static Object bindValue(ValueType type, @Nullable Object value) {
        if (value == null) {
            throw new IllegalArgumentException("cursor has no sort value for this sort");
        }
        return switch (type) {
            case TIMESTAMP -> value instanceof Long micros ? Checks.timestamp(micros, "cursor time") : wrong(type);
            case FLOAT -> value instanceof Float ? value : wrong(type);
            case DOUBLE -> value instanceof Double ? value : wrong(type);
            case TEXT -> value instanceof String ? value : wrong(type);
            case NONE -> wrong(type);
        };
    }

    private static Object wrong(ValueType type) {
        throw new IllegalArgumentException("cursor does not fit this sort (" + type + ")");
    }
}
