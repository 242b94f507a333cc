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
 * queries (the same builder the repository runs), with words sampled from the catalog. Each
 * shape is shown both ways the repository may run a page (walking the sort index to the first
 * page, or collecting the matches and sorting them), since which one runs depends on counts.
 * The repository also sets per-transaction planner settings for some shapes; EXPLAIN here runs
 * with the server's, so a plan may differ where those settings matter.
 */
public final class SearchQueryCategory implements QueryCategory {
    private static final int PAGE = 50;
    private static final int COUNT_CAP = 1_001;

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
        }
        if (samples.rareWord() != null) {
            shapes.put("rare word", SearchQuery.builder().text(samples.rareWord()).build());
        }
        shapes.put("BPM range 120-130", SearchQuery.builder().bpm(120, 130).build());
        shapes.put("key only", SearchQuery.builder().key(MusicalKey.A_MINOR).build());
        shapes.put("no filter", SearchQuery.builder().build());

        List<QueryProbe> probes = new ArrayList<>();
        for (Map.Entry<String, SearchQuery> shape : shapes.entrySet()) {
            SearchSql sql = new SearchSql(shape.getValue(), TextQuery.parse(shape.getValue().text()));
            probes.add(probe(shape.getKey() + ": first page, index walk", sql.page(0, null, PAGE + 1, false)));
            if (sql.hasText()) {
                probes.add(probe(shape.getKey() + ": first page, collect and sort", sql.page(0, null, PAGE + 1, true)));
            }
            probes.add(probe(shape.getKey() + ": capped count", sql.count(COUNT_CAP)));
        }
        if (samples.commonWord() != null) {
            SearchQuery broad = SearchQuery.builder().text(samples.commonWord()).facets(true).build();
            SearchSql sql = new SearchSql(broad, TextQuery.parse(broad.text()));
            probes.add(probe("facets: common word (2% sample)", sql.facets(2.0)));
        }
        return probes;
    }

    private QueryProbe probe(String name, SqlStatement statement) {
        return new QueryProbe(name(), name, statement.sql(), statement.bindings());
    }
}
