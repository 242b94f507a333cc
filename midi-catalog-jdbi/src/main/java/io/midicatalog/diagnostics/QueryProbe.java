package io.midicatalog.diagnostics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One read query to EXPLAIN: the SQL text the library really runs and sample values for its named
 * parameters ({@code :name}). Only {@code SELECT} / {@code WITH} queries are accepted; they run
 * inside a read-only transaction that is rolled back.
 *
 * @param category the query category (search, count, dedupe, track, details, tags ...)
 * @param name the shape within it, e.g. {@code common word + bpm + key}
 * @param settings planner settings the library sets for this query in its transaction (e.g.
 *     {@code enable_seqscan = off}), set the same way before the EXPLAIN so the plan shown is
 *     the plan that runs; names are lower-case setting names
 */
public record QueryProbe(String category, String name, String sql, Map<String, Object> bindings,
                         Map<String, String> settings) {
    private static final Pattern READ = Pattern.compile("^\\s*(select|with|values|table)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern WRITE = Pattern.compile("\\b(insert|update|delete|merge|truncate)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SETTING = Pattern.compile("[a-z][a-z0-9_.]*");

    public QueryProbe {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(bindings, "bindings");
        Objects.requireNonNull(settings, "settings");
        String lower = sql.toLowerCase(Locale.ROOT);
        if (!READ.matcher(lower).find() || WRITE.matcher(lower).find()) {
            throw new IllegalArgumentException("only read queries can be profiled: " + firstLine(sql));
        }
        for (var e : settings.entrySet()) {
            if (!SETTING.matcher(e.getKey()).matches() || e.getValue() == null) {
                throw new IllegalArgumentException("not a setting: " + e.getKey() + " = " + e.getValue());
            }
        }
        bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** A query that runs with the server's planner settings. */
    public QueryProbe(String category, String name, String sql, Map<String, Object> bindings) {
        this(category, name, sql, bindings, Map.of());
    }

    private static String firstLine(String sql) {
        String s = sql.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }
}
