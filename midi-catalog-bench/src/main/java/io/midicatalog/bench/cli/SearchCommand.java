package io.midicatalog.bench.cli;

import io.midicatalog.PoolProfile;
import io.midicatalog.api.Category;
import io.midicatalog.api.FacetCounts;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchHit;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code search [TEXT] [--bpm 120-130] [--key "A minor"]... [--manufacturer M] [--collection C]
 * [--category C] [--tag T]... [--favorites] [--sort S] [--limit N] [--cursor C] [--facets] [--json]}:
 * one page of {@code catalog.search()}. With {@code --json} one object:
 * {@code {"total","totalIsEstimate","nextCursor","results":[...],"facets":{...}}}.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search the catalog: words, \"phrases\", -excluded, or; filters; one page at a time.")
public final class SearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TEXT", description = "Search text (web-search syntax).")
    @Nullable String text;

    @Option(names = "--bpm", paramLabel = "MIN-MAX", description = "BPM range, e.g. 120-130, 120- or -130.")
    @Nullable String bpm;

    @Option(names = "--half-double", description = "Also match half and double the BPM range.")
    boolean halfDouble;

    @Option(names = "--key", paramLabel = "KEY", description = "Key such as \"A minor\", Am, F#m (repeatable).")
    List<String> keys = new ArrayList<>();

    @Option(names = "--compatible-keys", description = "Widen the keys to harmonically compatible ones.")
    boolean compatibleKeys;

    @Option(names = "--manufacturer", paramLabel = "M", description = "Manufacturer (repeatable).")
    List<String> manufacturers = new ArrayList<>();

    @Option(names = "--collection", paramLabel = "C", description = "Collection (repeatable).")
    List<String> collections = new ArrayList<>();

    @Option(names = "--category", paramLabel = "C", description = "Category such as bass, drums, \"full mix\" (repeatable).")
    List<String> categories = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "T", description = "Tag the files must carry (repeatable: all of them).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--favorites", description = "Favorites only.")
    boolean favorites;

    @Option(names = "--sort", paramLabel = "S", description = "relevance, newest, bpm, name, duration (default: relevance with text, else newest).")
    SearchQuery.@Nullable Sort sort;

    @Option(names = "--desc", description = "Descending (BPM, name, duration); --asc for oldest first.")
    boolean desc;

    @Option(names = "--asc", description = "Ascending.")
    boolean asc;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Page size 1-500 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--cursor", paramLabel = "C", description = "Cursor of the previous page (same filters).")
    @Nullable String cursor;

    @Option(names = "--facets", description = "Also count by key, BPM bucket, category and manufacturer.")
    boolean facets;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SearchQuery query = query();
        try (DatabaseOptions.Session session = database.open(PoolProfile.SEARCH_HEAVY)) {
            SearchPage page = session.catalog().search().search(query);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(toJson(page)));
            } else {
                print(out, page);
            }
            out.flush();
        }
        return 0;
    }

    SearchQuery query() {
        SearchQuery.Builder b = SearchQuery.builder().text(text).pageSize(limit).cursor(cursor).facets(facets)
                .favoritesOnly(favorites).compatibleKeys(compatibleKeys).bpmHalfDouble(halfDouble)
                .manufacturers(manufacturers).collections(collections).tagsAll(tags);
        if (bpm != null) {
            String[] parts = bpm.trim().split("-", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--bpm must look like 120-130, 120- or -130: " + bpm);
            }
            try {
                b.bpm(parts[0].isBlank() ? null : Float.parseFloat(parts[0]), parts[1].isBlank() ? null : Float.parseFloat(parts[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--bpm must look like 120-130, 120- or -130: " + bpm, e);
            }
        }
        for (String k : keys) {
            b.key(MusicalKey.parse(k).orElseThrow(() -> new IllegalArgumentException("unknown key: " + k)));
        }
        for (String c : categories) {
            b.category(Category.parse(c).orElseThrow(() -> new IllegalArgumentException("unknown category: " + c)));
        }
        if (sort != null) {
            b.sort(sort);
        }
        if (desc && asc) {
            throw new IllegalArgumentException("give at most one of --asc and --desc");
        }
        if (desc || asc) {
            b.direction(desc ? SearchQuery.Direction.DESC : SearchQuery.Direction.ASC);
        }
        return b.build();
    }

    static Map<String, Object> toJson(SearchPage page) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("total", page.total());
        root.put("totalIsEstimate", page.totalIsEstimate());
        root.put("nextCursor", page.nextCursor());
        List<Map<String, Object>> results = new ArrayList<>();
        for (SearchHit h : page.rows()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", h.id());
            r.put("path", h.path());
            r.put("filename", h.filename());
            r.put("bpm", h.bpm());
            r.put("key", h.key().isKnown() ? h.key().displayName() : null);
            r.put("manufacturer", h.manufacturer());
            r.put("collection", h.collection());
            r.put("durationSeconds", h.durationSeconds());
            r.put("rank", h.rank());
            results.add(r);
        }
        root.put("results", results);
        FacetCounts f = page.facets();
        Map<String, Object> facets = new LinkedHashMap<>();
        if (f != null) {
            Map<String, Long> byKey = new LinkedHashMap<>();
            f.byKey().forEach((k, v) -> byKey.put(k.displayName(), v));
            Map<String, Long> byBpm = new LinkedHashMap<>();
            f.byBpmBucket().forEach((k, v) -> byBpm.put(k < 0 ? "none" : k + "-" + (k + FacetCounts.BPM_BUCKET_WIDTH), v));
            Map<String, Long> byCategory = new LinkedHashMap<>();
            f.byCategory().forEach((k, v) -> byCategory.put(k.label(), v));
            facets.put("estimated", f.estimated());
            facets.put("key", byKey);
            facets.put("bpm", byBpm);
            facets.put("category", byCategory);
            facets.put("manufacturer", f.byManufacturer());
        }
        root.put("facets", facets);
        return root;
    }

    private static void print(PrintWriter out, SearchPage page) {
        out.printf(Locale.ROOT, "%s%,d files%n", page.totalIsEstimate() ? "about " : "", page.total());
        for (SearchHit h : page.rows()) {
            out.printf(Locale.ROOT, "%8d  %-40s %6s  %-9s  %s%n", h.id(), h.filename(),
                    h.bpm() == null ? "" : String.format(Locale.ROOT, "%.1f", h.bpm()), h.key().shortName(), h.path());
        }
        if (page.nextCursor() != null) {
            out.println("next page: --cursor " + page.nextCursor());
        }
        if (page.facets() != null) {
            FacetCounts f = page.facets();
            out.println("facets" + (f.estimated() ? " (estimated)" : "") + ":");
            out.println("  key: " + f.byKey());
            out.println("  bpm: " + f.byBpmBucket());
            out.println("  category: " + f.byCategory());
            out.println("  manufacturer: " + f.byManufacturer());
        }
    }
}
