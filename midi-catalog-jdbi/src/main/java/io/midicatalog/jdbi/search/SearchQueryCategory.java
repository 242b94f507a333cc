package io.midicatalog.jdbi.search;

import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.diagnostics.ProbeSamples;
import io.midicatalog.diagnostics.QueryCategory;
import io.midicatalog.diagnostics.QueryProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search shapes for diagnostics: the statements {@link SearchSql} builds for a few typical
 * queries (the same builder the repository runs), with words sampled from the catalog, each with
 * the planner settings the repository sets for it ({@link SearchSql#planSettings}), so the plans
 * shown are the plans that run. Each shape is shown every way the repository may count it and
 * run its first page (walking a sort index, or collecting the matches and sorting them), since
 * which one runs depends on the counts. Not shown: the shapes of the filters outside these
 * typical queries (GM families and time signatures with their index-or-heap forms and their
 * table-scanning count, a collected file-name tier tested on the rows).
 */
public final class SearchQueryCategory implements QueryCategory {
    private static final int PAGE = 50;
    private static final int COUNT_CAP = JdbiSearchRepository.COUNT_CAP + 1;

    @Override
    public String name() {
        return "search";
    }

    @Override
    public List<QueryProbe> probes(ProbeSamples samples) {
        Map<String, SearchQuery> shapes = new LinkedHashMap<>();
        if (samples.commonWord() != null) {
            shapes.put("common word", SearchQuery.builder().text(samples.commonWord()).build());
            shapes.put("common word + BPM 120-130 + key", SearchQuery.builder().text(samples.commonWord())
                    .bpm(120, 130).key(MusicalKey.A_MINOR).build());
            shapes.put("common word + BPM 120-130", SearchQuery.builder().text(samples.commonWord()).bpm(120, 130).build());
        }
        if (samples.rareWord() != null) {
            shapes.put("rare word", SearchQuery.builder().text(samples.rareWord()).build());
        }
        shapes.put("BPM range 120-130", SearchQuery.builder().bpm(120, 130).build());
        shapes.put("key only", SearchQuery.builder().key(MusicalKey.A_MINOR).build());
        shapes.put("no filter", SearchQuery.builder().build());

        List<QueryProbe> probes = new ArrayList<>();
        for (Map.Entry<String, SearchQuery> shape : shapes.entrySet()) {
            String name = shape.getKey();
            TextQuery text = TextQuery.parse(shape.getValue().text());
            SearchSql sql = new SearchSql(shape.getValue(), text);
            if (sql.unfiltered()) {
                probes.add(probe(name + ": count (count table)", SearchSql.fileTotal(), SearchSql.Scan.FREE));
            } else if (sql.textOnly() && text.singleWord() != null) {
                probes.add(probe(name + ": count (count table)", SearchSql.wordTotal(text.singleWord()), SearchSql.Scan.FREE));
            } else if (sql.hasText() && sql.collectable()) {
                probes.add(probe(name + ": capped count and first page, collected",
                        sql.collectFirstPage(COUNT_CAP, PAGE + 1), SearchSql.Scan.BITMAP));
                if (!sql.textOnly() && shape.getValue().effectiveKeys().isEmpty() && sql.signatureWalk(0)) {
                    probes.add(probe(name + ": capped count and first page, bounded walk",
                            sql.walkFirstPage(COUNT_CAP, PAGE + 1, 3L * COUNT_CAP), SearchSql.Scan.WALK));
                }
            } else {
                probes.add(probe(name + ": capped count", sql.count(COUNT_CAP),
                        sql.hasText() ? SearchSql.Scan.BITMAP : SearchSql.Scan.FREE));
            }
            probes.add(probe(name + ": first page, index walk", sql.page(0, null, PAGE + 1, false), sql.pageScan(0, false)));
            if (sql.hasText()) {
                probes.add(probe(name + ": first page, collect and sort", sql.page(0, null, PAGE + 1, true),
                        sql.pageScan(0, true)));
            }
        }
        if (samples.commonWord() != null) {
            SearchQuery broad = SearchQuery.builder().text(samples.commonWord()).facets(true).build();
            SearchSql sql = new SearchSql(broad, TextQuery.parse(broad.text()));
            probes.add(probe("facets: common word (2% sample)", sql.facets(2.0), SearchSql.Scan.FREE));
        }
        return probes;
    }

    private QueryProbe probe(String name, SqlStatement statement, SearchSql.Scan scan) {
        return probe(name(), name, statement, scan);
    }

    private static QueryProbe probe(String category, String name, SqlStatement statement, SearchSql.Scan scan) {
        return new QueryProbe(category, name, statement.sql(), statement.bindings(), SearchSql.planSettings(scan));
    }

    /**
     * The "count" category: how a search counts, apart from its page (the search category shows
     * each count beside the page it goes with). No filter, or one word alone, reads a count table;
     * anything else reads at most cap + 1 matches (then estimates).
     */
    public static QueryCategory counts() {
        return new QueryCategory() {
            @Override
            public String name() {
                return "count";
            }

            @Override
            public List<QueryProbe> probes(ProbeSamples samples) {
                List<QueryProbe> probes = new ArrayList<>();
                probes.add(probe(name(), "count, no filter (count table)", SearchSql.fileTotal(), SearchSql.Scan.FREE));
                if (samples.commonWord() != null) {
                    probes.add(probe(name(), "count, common word (count table)", SearchSql.wordTotal(samples.commonWord()),
                            SearchSql.Scan.FREE));
                }
                SearchQuery bpm = SearchQuery.builder().bpm(120, 130).build();
                probes.add(probe(name(), "count, BPM 120-130 (capped)",
                        new SearchSql(bpm, TextQuery.parse(null)).count(COUNT_CAP), SearchSql.Scan.FREE));
                return probes;
            }
        };
    }
}
