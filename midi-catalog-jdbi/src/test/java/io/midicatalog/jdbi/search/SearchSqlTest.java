package io.midicatalog.jdbi.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.api.SearchQuery.Sort;
import io.midicatalog.internal.SearchWords;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL builder, without a database. */
class SearchSqlTest {

    private static SearchSql sql(SearchQuery q) {
        return new SearchSql(q, TextQuery.parse(q.text()));
    }

    @Test
    void count_onlyTheFiltersSet_noCatchAll() {
        SqlStatement s = sql(SearchQuery.builder().bpm(120, 130).build()).count(1001);
        assertThat(s.sql()).contains("f.bpm BETWEEN CAST(:bpmMin AS real) AND CAST(:bpmMax AS real)")
                .doesNotContain("IS NULL OR").doesNotContain("tsquery").doesNotContain("key_code");
        assertThat(s.bindings()).containsEntry("bpmMin", 120f).containsEntry("bpmMax", 130f).containsEntry("cap", 1001);
    }

    @Test
    void count_withText_bpmIsAFilterNotAnIndexCondition() {
        assertThat(sql(SearchQuery.builder().text("deep").bpm(120, 130).build()).count(10).sql())
                .contains("(f.bpm + 0) BETWEEN").contains("f.doc_tsv @@");
    }

    @Test
    void category_oneIsAnEqualityTheIndexesHold_severalAnArray() {
        SearchSql one = sql(SearchQuery.builder().text("kick").category(io.midicatalog.api.Category.DRUMS).build());
        assertThat(one.count(10).sql()).contains("f.category = CAST(:category AS smallint)").doesNotContain("ANY");
        assertThat(one.count(10).bindings()).containsEntry("category", (int) io.midicatalog.api.Category.DRUMS.code());
        // the walk checks it on the sort index's included column
        assertThat(one.page(1, null, 51, false).sql()).contains("w.category = CAST(:category AS smallint)");
        // collecting with a filter the document index holds, tier 1 keeps the document test (the
        // planner may use that index); walking, the file-name test is enough
        assertThat(one.page(0, null, 51, true).sql()).contains("f.doc_tsv @@").contains("f.name_tsv @@");
        assertThat(one.page(0, null, 51, false).sql()).doesNotContain("f.doc_tsv @@").contains("f.name_tsv @@");
        assertThat(sql(SearchQuery.builder().text("kick").build()).page(0, null, 51, true).sql())
                .doesNotContain("f.doc_tsv @@");
        SearchSql two = sql(SearchQuery.builder().text("kick")
                .categories(java.util.List.of(io.midicatalog.api.Category.DRUMS, io.midicatalog.api.Category.BASS)).build());
        assertThat(two.count(10).sql()).contains("f.category = ANY(CAST(:categories AS smallint[]))");
        assertThat(two.page(1, null, 51, false).sql()).contains("w.category = ANY(CAST(:categories AS smallint[]))");
    }

    @Test
    void gmFamiliesAndTimeSignature_inTheTextIndexByDefault_onTheHeapWhenAsked() {
        SearchQuery q = SearchQuery.builder().text("kick").gmFamily(io.midicatalog.api.GmFamily.BASS)
                .gmFamily(io.midicatalog.api.GmFamily.BASS).timeSignature(new io.midicatalog.api.TimeSignature(7, 8)).build();
        SearchSql indexed = sql(q);
        // the expressions of the text index (schema V11), after a cheap test of the bits
        assertThat(indexed.count(10).sql())
                .contains("(f.gm_families & :gmMask) <> 0 AND gm_family_list(f.gm_families) && CAST(:gmFamilies AS integer[])")
                .contains("time_signature_code(f.time_sig_num, f.time_sig_den) = CAST(:timeSignature AS integer)")
                .doesNotContain("f.time_sig_num = ");
        assertThat(indexed.count(10).bindings()).containsEntry("timeSignature", 7 * 65536 + 8)
                .containsEntry("gmMask", io.midicatalog.api.GmFamily.BASS.bit());
        assertThat((int[]) indexed.count(10).bindings().get("gmFamilies")).containsExactly(io.midicatalog.api.GmFamily.BASS.ordinal());
        assertThat(indexed.narrowsBeyondWalk()).isTrue();
        assertThat(indexed.indexedFilters()).containsExactlyInAnyOrder(SearchSql.IndexedFilter.values());

        SearchSql onHeap = indexed.withFiltersOnHeap(java.util.EnumSet.allOf(SearchSql.IndexedFilter.class));
        assertThat(onHeap.count(10).sql()).contains("(f.gm_families & :gmMask) <> 0")
                .contains("f.time_sig_num = CAST(:tsNum AS smallint) AND f.time_sig_den = CAST(:tsDen AS smallint)")
                .doesNotContain("gm_family_list").doesNotContain("time_signature_code");
        assertThat(onHeap.narrowsBeyondWalk()).isFalse();
        // the estimate of their share still reads the expressions' statistics
        assertThat(onHeap.uncountedRows().get(0).sql()).contains("gm_family_list").contains("time_signature_code");
        assertThat(onHeap.indexedFilterRows(SearchSql.IndexedFilter.TIME_SIGNATURE).sql())
                .startsWith("EXPLAIN (FORMAT JSON)").contains("time_signature_code");
        assertThat(onHeap.canonical()).isEqualTo(indexed.canonical()); // cursors stay valid
        assertThat(indexed.withFiltersOnHeap(java.util.EnumSet.noneOf(SearchSql.IndexedFilter.class))).isSameAs(indexed);
    }

    @Test
    void durationNotesPercussive_checkedOnTheWalkedIndex_andEstimatedTogether() {
        SearchSql sql = sql(SearchQuery.builder().text("kick").duration(10.0, 20.0).noteCount(100, null)
                .percussive(true).favoritesOnly(true).build());
        // the heap form, and the same conditions on the date index's included columns (schema V12)
        assertThat(sql.count(10).sql()).contains("f.duration_seconds >= :durationMin").contains("f.note_count >= :noteCountMin")
                .contains("f.percussive = :percussive");
        assertThat(sql.walkFirstPage(10, 51, 30).sql()).contains("w.duration_seconds >= :durationMin")
                .contains("w.duration_seconds <= :durationMax").contains("w.note_count >= :noteCountMin")
                .doesNotContain("w.note_count <=").contains("w.percussive = :percussive");
        assertThat(sql.page(1, null, 51, false).sql()).contains("w.note_count >= :noteCountMin");
        // their share, apart from the filters a walk tests on the heap (favorites here)
        SqlStatement walkChecked = sql.walkCheckedRows();
        assertThat(walkChecked).isNotNull();
        assertThat(walkChecked.sql()).startsWith("EXPLAIN (FORMAT JSON)").contains("f.note_count").doesNotContain("favorites");
        assertThat(sql.uncountedRows().get(0).sql()).contains("favorites").contains("f.note_count");
        assertThat(sql(SearchQuery.builder().text("kick").favoritesOnly(true).build()).walkCheckedRows()).isNull();
    }

    @Test
    void onDateIndexOnly_whenEveryFilterIsAnIncludedColumnOfFilesCreated() {
        assertThat(sql(SearchQuery.builder().gmFamily(io.midicatalog.api.GmFamily.BASS)
                .timeSignature(new io.midicatalog.api.TimeSignature(7, 8)).bpm(100, 120).key(MusicalKey.A_MINOR)
                .category(io.midicatalog.api.Category.DRUMS).percussive(true).duration(1.0, 9.0).noteCount(1, 99).build())
                .onDateIndexOnly()).isTrue();
        for (SearchQuery q : java.util.List.of(SearchQuery.builder().text("kick").build(),
                SearchQuery.builder().manufacturer("Acme").build(), SearchQuery.builder().collection("Beats").build(),
                SearchQuery.builder().tagsAll(java.util.List.of("dark")).build(),
                SearchQuery.builder().tagsAny(java.util.List.of("dark")).build(), SearchQuery.builder().favoritesOnly(true).build(),
                SearchQuery.builder().smfFormat(1).build(), SearchQuery.builder().multiTrack(true).build())) {
            assertThat(sql(q).onDateIndexOnly()).as("%s", q).isFalse();
        }
    }

    @Test
    void page_collectedNameTier_fileNameTestedOnRowsWhenTheNameIndexDoesNotPay() {
        SearchSql sql = sql(SearchQuery.builder().text("kick").gmFamily(io.midicatalog.api.GmFamily.BASS).build());
        assertThat(sql.page(0, null, 51, true, true).sql()).contains("AND f.name_tsv @@ CAST(:tsq AS tsquery)");
        assertThat(sql.page(0, null, 51, true, false).sql()).contains("(f.name_tsv @@ CAST(:tsq AS tsquery)) IS TRUE")
                .contains("f.doc_tsv @@");
        // without a filter the text index holds, tier 1 is the file-name index's alone either way
        SearchSql plain = sql(SearchQuery.builder().text("kick").build());
        assertThat(plain.page(0, null, 51, true, false).sql()).doesNotContain("IS TRUE").doesNotContain("f.doc_tsv @@");
    }

    @Test
    void page_userValuesAreBoundNeverSpliced() {
        String evil = "x'; DROP TABLE files; --";
        SearchQuery q = SearchQuery.builder().text(evil).manufacturer(evil).collection(evil)
                .tagsAll(java.util.List.of(evil)).tagsAny(java.util.List.of(evil)).build();
        SearchSql sql = sql(q);
        for (SqlStatement s : new SqlStatement[] {sql.count(10), sql.page(0, null, 10, false), sql.page(1, null, 10, true),
            sql.facets(null), sql.facets(1.0)}) {
            assertThat(s.sql()).doesNotContain("DROP").doesNotContain("x'");
        }
        assertThat(sql.page(0, null, 10, false).bindings().values()).anySatisfy(v ->
                assertThat(v).isInstanceOf(String[].class));
    }

    @Test
    void positional_namedParametersBecomePlaceholdersInOrderCastsStay() {
        SearchSql sql = sql(SearchQuery.builder().text("deep").bpm(120, 130).key(MusicalKey.A_MINOR).build());
        SqlStatement page = sql.page(0, null, 51, true);
        SqlStatement.Positional p = page.positional();
        assertThat(p.sql()).doesNotContain(":tsq").doesNotContain(":bpmMin").doesNotContain(":limit")
                .contains("CAST(? AS tsquery)");
        assertThat(p.values()).hasSize((int) p.sql().chars().filter(c -> c == '?').count())
                .startsWith("'deep'").endsWith(51);
        assertThat(sql.facets(null).positional().sql()).contains("f.key_code::text").doesNotContain(":tsq");
        assertThatThrownBy(() -> new SqlStatement("SELECT :missing", java.util.Map.of()).positional())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(":missing");
    }

    @Test
    void settings_eachScanModeAllowsOnlyItsScans() {
        assertThat(SearchSql.planSettings(SearchSql.Scan.BITMAP)).containsEntry("enable_seqscan", "off")
                .containsEntry("enable_indexscan", "off").containsEntry("enable_bitmapscan", "on");
        assertThat(SearchSql.planSettings(SearchSql.Scan.INDEX)).containsEntry("enable_seqscan", "off")
                .containsEntry("enable_indexscan", "on").containsEntry("enable_bitmapscan", "off");
        assertThat(SearchSql.planSettings(SearchSql.Scan.FREE)).containsEntry("enable_seqscan", "on")
                .containsEntry("enable_indexscan", "on").containsEntry("enable_bitmapscan", "on")
                .containsEntry("enable_hashjoin", "on");
        // a signature walk: index scans joined by a nested loop that keeps the walk's order
        assertThat(SearchSql.planSettings(SearchSql.Scan.WALK)).containsEntry("enable_seqscan", "off")
                .containsEntry("enable_indexscan", "on").containsEntry("enable_bitmapscan", "off")
                .containsEntry("enable_hashjoin", "off").containsEntry("enable_mergejoin", "off");
        // a count that scans: the table or a btree, never a bitmap
        assertThat(SearchSql.planSettings(SearchSql.Scan.SCAN)).containsEntry("enable_seqscan", "on")
                .containsEntry("enable_indexscan", "on").containsEntry("enable_bitmapscan", "off");
        // the statement sets exactly those, locally in the transaction, every value bound
        for (SearchSql.Scan scan : SearchSql.Scan.values()) {
            SqlStatement st = SearchSql.settings(scan);
            var settings = SearchSql.planSettings(scan);
            assertThat(st.bindings().values()).containsExactlyElementsOf(settings.values());
            settings.keySet().forEach(name -> assertThat(st.sql()).contains("set_config('" + name + "', :v"));
            assertThat(st.sql().split("set_config", -1)).hasSize(settings.size() + 1);
            assertThat(st.sql()).doesNotContain("false)");
        }
        assertThat(SearchSql.planSettings(SearchSql.Scan.FREE)).containsEntry("plan_cache_mode", "force_custom_plan");
    }

    @Test
    void page_relevance_hasTwoTiersNewestFirst() {
        SearchSql sql = sql(SearchQuery.builder().text("deep").build());
        assertThat(sql.segments()).hasSize(2);
        assertThat(sql.page(0, null, 51, false).sql()).contains("f.name_tsv @@ CAST(:tsq AS tsquery)")
                .contains("ORDER BY w.created_at DESC, w.id DESC").contains("LIMIT :limit");
        assertThat(sql.page(1, null, 51, false).sql()).contains("NOT (f.name_tsv @@ CAST(:tsq AS tsquery))");
        // a word the signature cannot cover walks the plain date index
        assertThat(sql(SearchQuery.builder().text("日本").build()).page(0, null, 51, false).sql())
                .contains("ORDER BY f.created_at DESC, f.id DESC");
        assertThat(sql.page(0, null, 51, false).bindings()).containsEntry("tsq", "'deep'");
    }

    @Test
    void page_materialized_collectsThenSorts() {
        SqlStatement s = sql(SearchQuery.builder().text("deep").sort(Sort.NAME).build()).page(0, null, 10, true);
        assertThat(s.sql()).contains("WITH m AS MATERIALIZED").contains("ORDER BY m.sort_value COLLATE \"C\", m.id");
    }

    @Test
    void page_dateWalkWithRequiredWords_filtersBySignatureInTheIndex() {
        SearchSql sql = sql(SearchQuery.builder().text("deep house").key(MusicalKey.fromCode(9)).build());
        assertThat(sql.signatureWalk(0)).isTrue();
        SqlStatement tier1 = sql.page(0, null, 10, false);
        assertThat(tier1.sql()).contains("FROM (SELECT w.id, w.created_at FROM files w WHERE (w.name_sig & CAST(:walkMask AS bigint))")
                .contains("w.key_code = CAST(:key AS smallint)").contains("JOIN files f ON f.id = w.id")
                .contains("ORDER BY w.created_at DESC, w.id DESC")
                // a file-name match needs no document test when nothing is excluded
                .doesNotContain("f.doc_tsv @@");
        assertThat(tier1.bindings().get("walkMask")).isEqualTo(SearchWords.bits("deep") | SearchWords.bits("house"));
        assertThat(sql.page(1, null, 10, false).sql()).contains("(w.doc_sig & CAST(:walkMask AS bigint))")
                .contains("f.doc_tsv @@").contains("NOT (f.name_tsv @@");
        // alternatives require no word; excluded words keep the document test in tier 1
        assertThat(sql(SearchQuery.builder().text("deep or house").build()).signatureWalk(0)).isFalse();
        assertThat(sql(SearchQuery.builder().text("deep -house").build()).page(0, null, 10, false).sql()).contains("f.doc_tsv @@");
        assertThat(sql(SearchQuery.builder().text("deep").sort(Sort.BPM).build()).signatureWalk(0)).isFalse();
    }

    @Test
    void collectFirstPage_countsAndPagesFromOneCollection() {
        SearchSql sql = sql(SearchQuery.builder().text("deep house").bpm(120, 130).build());
        assertThat(sql.collectable()).isTrue();
        SqlStatement s = sql.collectFirstPage(1001, 51);
        assertThat(s.sql()).startsWith("WITH m AS MATERIALIZED").contains("LIMIT :cap")
                .contains("CASE WHEN f.name_tsv @@ CAST(:tsq AS tsquery) THEN 0 ELSE 1 END AS seg")
                .contains("ON t.total < :cap").endsWith("ORDER BY p.seg, p.sort_value DESC, p.id DESC");
        assertThat(s.sql().indexOf("doc_tsv")).isEqualTo(s.sql().lastIndexOf("doc_tsv")); // one text scan
        assertThat(s.bindings()).containsEntry("cap", 1001).containsEntry("limit", 51);
        assertThat(sql(SearchQuery.builder().text("deep").sort(Sort.BPM).build()).collectable()).isFalse();
        assertThat(sql(SearchQuery.builder().bpm(120, 130).sort(Sort.NEWEST).direction(SearchQuery.Direction.ASC).build())
                .collectFirstPage(11, 5).sql()).contains("ORDER BY m.seg, m.created_at, m.id LIMIT :limit");
    }

    @Test
    void walkFirstPage_walksTheDateIndexBySignatureUpToItsBound() {
        SearchSql sql = sql(SearchQuery.builder().text("deep house").bpm(120, 130).favoritesOnly(true).build());
        SqlStatement s = sql.walkFirstPage(1001, 51, 5000);
        assertThat(s.sql()).startsWith("WITH m AS MATERIALIZED")
                .contains("(w.doc_sig & CAST(:walkMask AS bigint)) = CAST(:walkMask AS bigint)")
                .contains("w.bpm BETWEEN") // indexed filters are checked on the included columns
                .contains("ORDER BY w.created_at DESC, w.id DESC LIMIT :sentinel")
                .contains("OR w.n = :sentinel").contains("LIMIT :cap + 1")
                .contains("count(*) FILTER (WHERE m.n <= :bound) AS total")
                .contains("ON t.total < :cap AND NOT t.truncated");
        assertThat(s.bindings()).containsEntry("bound", 5000L).containsEntry("sentinel", 5001L)
                .containsEntry("walkMask", sql.walkMask());
        // every filter is tested on the walked files, the favorites too
        assertThat(s.sql()).contains("EXISTS (SELECT 1 FROM favorites fo WHERE fo.file_id = f.id)");
        assertThatThrownBy(() -> sql(SearchQuery.builder().text("deep or house").bpm(120, 130).build()).walkFirstPage(1001, 51, 10))
                .isInstanceOf(IllegalStateException.class);
        assertThat(sql.collectFirstPage(1001, 51).sql()).contains("false AS truncated");
    }

    @Test
    void page_favoriteFlag_onlyForThePageRows() {
        // inside the LIMIT the planner would hash the whole favorites table for every search
        SqlStatement s = sql(SearchQuery.builder().text("deep").build()).page(0, null, 10, false);
        assertThat(s.sql()).startsWith("SELECT p.*, EXISTS (SELECT 1 FROM favorites fav WHERE fav.file_id = p.id OFFSET 0)")
                .endsWith(") p\nORDER BY p.sort_value DESC, p.id DESC");
        assertThat(s.sql().indexOf("favorites")).isEqualTo(s.sql().lastIndexOf("favorites"));
    }

    @Test
    void page_afterCursor_seeksByRowComparison() {
        SearchSql sql = sql(SearchQuery.builder().sort(Sort.BPM).build());
        SqlStatement s = sql.page(0, new SearchCursor(1, 0, 120.5f, 77), 10, false);
        assertThat(s.sql()).contains("(f.bpm, f.id) > (CAST(:afterValue AS real), :afterId)").contains("f.bpm IS NOT NULL");
        assertThat(s.bindings()).containsEntry("afterValue", 120.5f).containsEntry("afterId", 77L);
        SqlStatement nulls = sql.page(1, new SearchCursor(1, 1, null, 77), 10, false);
        assertThat(nulls.sql()).contains("f.bpm IS NULL").contains("f.id > :afterId").contains("ORDER BY f.id");
    }

    @Test
    void page_cursorValueOfAnotherType_isRejected() {
        SearchSql sql = sql(SearchQuery.builder().sort(Sort.BPM).build());
        assertThatThrownBy(() -> sql.page(0, new SearchCursor(1, 0, "text", 1), 10, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
    }

    @Test
    void keys_widenedToCompatibleKeysWhenAsked() {
        SqlStatement s = sql(SearchQuery.builder().key(MusicalKey.A_MINOR).compatibleKeys(true).build()).count(10);
        assertThat(sql(SearchQuery.builder().key(MusicalKey.A_MINOR).build()).count(10).sql())
                .contains("f.key_code = CAST(:key AS smallint)");
        assertThat((int[]) s.bindings().get("keys")).hasSize(6)
                .contains(MusicalKey.A_MINOR.code(), MusicalKey.C_MAJOR.code(), MusicalKey.E_MINOR.code(), MusicalKey.D_MINOR.code());
    }

    @Test
    void canonical_ignoresPageSizeCursorAndFacets() {
        SearchQuery a = SearchQuery.builder().text("deep").pageSize(10).build();
        SearchQuery b = SearchQuery.builder().text("deep").pageSize(500).facets(true).cursor("abc").build();
        assertThat(sql(a).canonical()).isEqualTo(sql(b).canonical());
        assertThat(sql(a).canonical()).isNotEqualTo(sql(SearchQuery.builder().text("house").build()).canonical());
    }

    @Test
    void canonical_valuesThatPrintAlike_differ() {
        List<List<SearchQuery>> pairs = List.of(
                List.of(SearchQuery.builder().manufacturers(List.of("Splice, Cymatics")).build(),
                        SearchQuery.builder().manufacturers(List.of("Splice", "Cymatics")).build()),
                List.of(SearchQuery.builder().tagsAll(List.of("a], tagsAny=[b")).build(),
                        SearchQuery.builder().tagsAll(List.of("a")).tagsAny(List.of("b")).build()),
                List.of(SearchQuery.builder().text("null").build(), SearchQuery.builder().build()),
                List.of(SearchQuery.builder().collections(List.of("")).build(), SearchQuery.builder().build()));
        for (List<SearchQuery> pair : pairs) {
            assertThat(sql(pair.get(0)).canonical()).as(pair.get(0).toString()).isNotEqualTo(sql(pair.get(1)).canonical());
        }
    }

    @Test
    void cursor_roundTripsAndRejectsOtherFingerprints() {
        for (Object value : new Object[] {null, 123456789L, 1.5f, 2.25d, "Drum ü.mid"}) {
            SearchCursor c = new SearchCursor(42, 1, value, 99);
            assertThat(SearchCursor.decode(c.encode(), 42)).isEqualTo(c);
            assertThatThrownBy(() -> SearchCursor.decode(c.encode(), 43))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another query");
        }
        assertThatThrownBy(() -> SearchCursor.decode("%%%", 42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SearchCursor.decode("AAAA", 42)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cursor_ofTheLongestFileNames_isTakenByTheQuery() {
        // 255 UTF-16 units, the longest name NTFS allows: 3 UTF-8 bytes each, or 4 a surrogate pair
        for (String name : List.of("\u65e5".repeat(251) + ".mid", "\uD83C\uDFB9".repeat(127) + "x")) {
            assertThat(name).hasSize(255);
            SearchQuery query = SearchQuery.builder().sort(Sort.NAME).build();
            long fingerprint = SearchCursor.fingerprint(sql(query).canonical());
            SearchCursor cursor = new SearchCursor(fingerprint, 0, name, Long.MAX_VALUE);
            SearchQuery next = query.toBuilder().cursor(cursor.encode()).build();
            assertThat(SearchCursor.decode(next.cursor(), fingerprint)).isEqualTo(cursor);
        }
    }

    @Test
    void cursor_textWithNulOrInvalidUtf8_isRejected() {
        String nul = new SearchCursor(42, 0, "ab\u0000c.mid", 7).encode();
        assertThatThrownBy(() -> SearchCursor.decode(nul, 42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not one this library made");
        byte[] bytes = java.util.Base64.getUrlDecoder().decode(new SearchCursor(42, 0, "abc", 7).encode());
        bytes[15] = (byte) 0xC0;   // the first byte of the text: 0xC0 starts no UTF-8 sequence
        String invalid = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThatThrownBy(() -> SearchCursor.decode(invalid, 42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not one this library made");
    }

    @Test
    void page_timestampCursorOutsidePostgresTimestamps_isRejected() {
        SearchSql sql = sql(SearchQuery.builder().build());
        for (long micros : new long[] {Long.MIN_VALUE, -210_866_803_200_000_001L}) {
            assertThatThrownBy(() -> sql.page(0, new SearchCursor(1, 0, micros, 1), 10, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
        }
        assertThat(sql.page(0, new SearchCursor(1, 0, Long.MAX_VALUE, 1), 10, false).bindings().get("afterValue"))
                .hasToString("+294247-01-10T04:00:54.775807Z");
    }

    @Test
    void query_nulInAFilterList_namesWhereItIs() {
        assertThatThrownBy(() -> SearchQuery.builder().tagsAll(List.of("dark", "a\u0000b")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tagsAll must not contain NUL (U+0000), found in value 1 at position 1");
        assertThatThrownBy(() -> SearchQuery.builder().tagsAny(List.of("\u0000")).build())
                .hasMessage("tagsAny must not contain NUL (U+0000), found in value 0 at position 0");
        assertThatThrownBy(() -> SearchQuery.builder().manufacturer("Spl\u0000ice").build())
                .hasMessage("manufacturers must not contain NUL (U+0000), found in value 0 at position 3");
        assertThatThrownBy(() -> SearchQuery.builder().collection("x").collection("y\u0000").build())
                .hasMessage("collections must not contain NUL (U+0000), found in value 1 at position 1");
    }

    @Test
    void query_pageSizeOutsideLimits_namesTheLimit() {
        assertThatThrownBy(() -> SearchQuery.builder().pageSize(501)).hasMessageContaining("1-500");
        assertThatThrownBy(() -> SearchQuery.builder().pageSize(0)).hasMessageContaining("1-500");
        assertThatThrownBy(() -> SearchQuery.builder().sort(Sort.RELEVANCE).build()).hasMessageContaining("needs text");
    }
}
