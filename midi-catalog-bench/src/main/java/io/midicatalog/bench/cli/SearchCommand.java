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
 * [--category C] [--tag T]... [--favorites] [--sort S] [--limit N] [--cursor C] [--facets] [--json]},
 * plus the API's other filters ({@code --any-tag --meter --gm-family --percussive --duration --notes
 * --format --multi-track}):
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

    @Option(names = "--any-tag", paramLabel = "T", description = "Tag of which the files must carry at least one (repeatable).")
    List<String> anyTags = new ArrayList<>();

    @Option(names = "--favorites", description = "Favorites only.")
    boolean favorites;

    @Option(names = "--meter", paramLabel = "N/D", description = "Time signature, e.g. 3/4.")
    @Nullable String meter;

    @Option(names = "--gm-family", paramLabel = "F", description = "GM instrument family such as piano, bass, \"synth lead\", drums (repeatable: any of them).")
    List<String> gmFamilies = new ArrayList<>();

    @Option(names = "--percussive", negatable = true, description = "Only files that play the drum channel (--no-percussive: only files that do not).")
    @Nullable Boolean percussive;

    @Option(names = "--duration", paramLabel = "MIN-MAX", description = "Duration in seconds, e.g. 10-20, 10- or -20.")
    @Nullable String duration;

    @Option(names = "--notes", paramLabel = "MIN-MAX", description = "Number of notes, e.g. 100-200, 100- or -200.")
    @Nullable String notes;

    @Option(names = "--format", paramLabel = "N", description = "Standard MIDI File format 0, 1 or 2.")
    @Nullable Integer format;

    @Option(names = "--multi-track", negatable = true, description = "Only files with more than one track (--no-multi-track: at most one).")
    @Nullable Boolean multiTrack;

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
                .manufacturers(manufacturers).collections(collections).tagsAll(tags).tagsAny(anyTags)
                .percussive(percussive).multiTrack(multiTrack);
        if (format != null) {
            if (format < 0 || format > 2) {
                throw new IllegalArgumentException("--format must be 0, 1 or 2: " + format);
            }
            b.smfFormat(format);
        }
        if (bpm != null) {
            Double[] r = range("--bpm", bpm, "120-130");
            b.bpm(r[0] == null ? null : r[0].floatValue(), r[1] == null ? null : r[1].floatValue());
        }
        if (duration != null) {
            Double[] r = range("--duration", duration, "10-20");
            b.duration(r[0], r[1]);
        }
        if (notes != null) {
            Double[] r = range("--notes", notes, "100-200");
            b.noteCount(r[0] == null ? null : whole("--notes", r[0], notes), r[1] == null ? null : whole("--notes", r[1], notes));
        }
        if (meter != null) {
            try {
                b.timeSignature(io.midicatalog.api.TimeSignature.parse(meter));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--meter: " + e.getMessage(), e);
            }
        }
        for (String f : gmFamilies) {
            b.gmFamily(io.midicatalog.api.GmFamily.parse(f).orElseThrow(() -> new IllegalArgumentException("unknown GM family: " + f
                    + " (one of " + java.util.Arrays.stream(io.midicatalog.api.GmFamily.values())
                            .map(g -> g.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList() + ")")));
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

    /** MIN-MAX, MIN- or -MAX as two numbers, either null when open. */
    private static Double[] range(String option, String value, String example) {
        String[] parts = value.trim().split("-", -1);
        String usage = option + " must look like " + example + ", " + example.substring(0, example.indexOf('-') + 1)
                + " or " + example.substring(example.indexOf('-')) + ": " + value;
        if (parts.length != 2 || (parts[0].isBlank() && parts[1].isBlank())) {
            throw new IllegalArgumentException(usage);
        }
        Double[] range = new Double[2];
        for (int i = 0; i < 2; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            if (!part.matches("[0-9]+(\\.[0-9]+)?")) {
                throw new IllegalArgumentException(usage);
            }
            range[i] = Double.valueOf(part);
        }
        return range;
    }

    private static int whole(String option, double value, String given) {
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " takes whole numbers: " + given);
        }
        return (int) value;
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
            r.put("missing", h.missing()); // gone from disk at the last import that looked
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
                    h.bpm() == null ? "" : String.format(Locale.ROOT, "%.1f", h.bpm()), h.key().shortName(),
                    h.missing() ? h.path() + "  (missing)" : h.path());
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
