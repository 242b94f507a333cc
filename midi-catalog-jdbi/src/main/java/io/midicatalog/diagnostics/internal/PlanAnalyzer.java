package io.midicatalog.diagnostics.internal;

import io.midicatalog.diagnostics.Finding;
import io.midicatalog.diagnostics.PlanNode;
import io.midicatalog.diagnostics.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)} output into flat nodes and findings:
 * sequential scan over many rows, nested loop over many rows, external (disk) sort, more than
 * {@value #READ_BLOCKS_LIMIT} blocks read, row estimate off by {@value #ESTIMATE_FACTOR}x or more,
 * execution over {@value #SLOW_MILLIS} ms. Not API.
 */
public final class PlanAnalyzer {
    static final long READ_BLOCKS_LIMIT = 1000;
    static final double ESTIMATE_FACTOR = 10;
    static final double ESTIMATE_MIN_ROWS = 100;
    static final long NESTED_LOOP_ROWS = 10_000;
    static final double SLOW_MILLIS = 500;
    private static final Pattern FILTER_COLUMN = Pattern.compile(
            "\\(\\s*([a-z_][a-z0-9_]*)\\s*(?:=|>=|<=|<>|<|>|~~\\*?|@@|&&|@>)", Pattern.CASE_INSENSITIVE);

    /** The parsed plan: nodes in depth-first order, findings, and the times PostgreSQL reported. */
    public record Result(List<PlanNode> nodes, List<Finding> findings, double planningMillis, double executionMillis) {}

    private PlanAnalyzer() {}

    /**
     * @param subject the probe's name, used as the subject of findings
     * @param largeTableRows a sequential scan reading at least this many rows is a finding
     */
    public static Result analyze(String subject, String planJson, long largeTableRows) {
        Object parsed = MiniJson.parse(planJson);
        if (!(parsed instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("not an EXPLAIN (FORMAT JSON) result: " + abbreviate(planJson));
        }
        List<PlanNode> nodes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Set<String> misestimated = new LinkedHashSet<>();
        Map<?, ?> root = (Map<?, ?>) top.get("Plan");
        if (root == null) {
            throw new IllegalArgumentException("EXPLAIN output has no Plan: " + abbreviate(planJson));
        }
        walk(subject, root, 0, false, largeTableRows, nodes, findings, misestimated);
        double planning = number(top.get("Planning Time"));
        double execution = number(top.get("Execution Time"));
        long read = (long) number(root.get("Shared Read Blocks"));
        if (read > READ_BLOCKS_LIMIT) {
            findings.add(new Finding(Severity.WARNING, "plan", subject,
                    String.format(Locale.ROOT, "read %d blocks (%.1f MiB) from outside shared buffers", read,
                            read * 8 / 1024.0),
                    "the data this query needs is not cached: give shared_buffers about 25% of RAM, or make the query"
                            + " touch fewer pages (a more selective index, a covering index)", null));
        }
        if (execution > SLOW_MILLIS) {
            findings.add(new Finding(Severity.WARNING, "plan", subject,
                    String.format(Locale.ROOT, "execution took %.1f ms (target 500 ms)", execution),
                    "see the other findings of this query; the slowest node is where to start", null));
        }
        return new Result(nodes, findings, planning, execution);
    }

    /**
     * Adds the node and its subtree to {@code nodes} and their findings to {@code findings};
     * returns whether the subtree holds a row misestimate. That is reported once, where it starts:
     * not again at the nodes above it, which only pass it on, and not below a Limit, where a node
     * returning fewer rows than estimated was merely stopped early, nor at a CTE Scan, whose rows
     * are its CTE's (a plan of its own in the same tree).
     *
     * @param underLimit whether a Limit sits above this node
     */
    private static boolean walk(String subject, Map<?, ?> node, int depth, boolean underLimit, long largeTableRows,
                                List<PlanNode> nodes, List<Finding> findings, Set<String> misestimated) {
        String type = string(node.get("Node Type"));
        String relation = stringOrNull(node.get("Relation Name"));
        String index = stringOrNull(node.get("Index Name"));
        double planRows = number(node.get("Plan Rows"));
        double actualRows = number(node.get("Actual Rows"));
        long loops = Math.max(1, (long) number(node.get("Actual Loops")));
        String filter = stringOrNull(node.get("Filter"));
        String detail = detail(node);
        nodes.add(new PlanNode(depth, type, relation, index, planRows, actualRows, loops,
                number(node.get("Actual Total Time")), (long) number(node.get("Shared Hit Blocks")),
                (long) number(node.get("Shared Read Blocks")), detail));

        if (type.equals("Seq Scan") && relation != null) {
            double scanned = (actualRows + number(node.get("Rows Removed by Filter"))) * loops;
            if (scanned >= largeTableRows) {
                findings.add(seqScan(subject, relation, filter, scanned));
            }
        }
        if (type.equals("Nested Loop")) {
            List<?> children = (List<?>) node.get("Plans");
            if (children != null && children.size() == 2 && children.get(1) instanceof Map<?, ?> inner) {
                double innerRows = number(inner.get("Actual Rows")) * Math.max(1, number(inner.get("Actual Loops")));
                if (innerRows >= NESTED_LOOP_ROWS) {
                    String innerRel = stringOrNull(inner.get("Relation Name"));
                    findings.add(new Finding(Severity.WARNING, "plan", subject,
                            String.format(Locale.ROOT, "nested loop produced %.0f inner rows over %.0f loops",
                                    innerRows, number(inner.get("Actual Loops"))),
                            "the planner expected few outer rows: refresh statistics, and check that the join column"
                                    + " of the inner side is indexed; a hash join is cheaper at this size",
                            innerRel == null ? "ANALYZE;" : "ANALYZE " + innerRel + ";"));
                }
            }
        }
        if ("Disk".equals(node.get("Sort Space Type"))) {
            long usedKb = (long) number(node.get("Sort Space Used"));
            findings.add(new Finding(Severity.WARNING, "plan", subject,
                    "external sort: " + usedKb + " kB spilled to disk (sort key " + node.get("Sort Key") + ")",
                    "raise work_mem for this query, or serve the ORDER BY from an index so no sort is needed",
                    "SET LOCAL work_mem = '" + Math.max(4096, usedKb * 2) + "kB';"));
        }
        int at = findings.size();
        boolean below = false;
        Object children = node.get("Plans");
        if (children instanceof List<?> list) {
            for (Object child : list) {
                if (child instanceof Map<?, ?> map) {
                    below |= walk(subject, map, depth + 1, underLimit || type.equals("Limit"), largeTableRows, nodes,
                            findings, misestimated);
                }
            }
        }
        double high = Math.max(planRows, actualRows);
        double low = Math.max(1, Math.min(planRows, actualRows));
        boolean stoppedEarly = underLimit && actualRows < planRows;
        boolean off = high >= ESTIMATE_MIN_ROWS && high / low >= ESTIMATE_FACTOR && !stoppedEarly && !type.equals("CTE Scan");
        String key = relation != null ? relation : type;
        if (off && !below && misestimated.add(key)) {
            // before its subtree's findings, in plan order
            findings.add(at, new Finding(Severity.WARNING, "plan", subject,
                    String.format(Locale.ROOT, "%s%s: estimated %.0f rows, actually %.0f (%.0fx off)", type,
                            relation == null ? "" : " on " + relation, planRows, actualRows, high / low),
                    "refresh statistics; if it stays off, the columns are correlated: raise their statistics target"
                            + " or CREATE STATISTICS on them",
                    relation == null ? "ANALYZE;" : "ANALYZE " + relation + ";"));
        }
        return off || below;
    }

    private static Finding seqScan(String subject, String relation, @Nullable String filter, double scanned) {
        String message = String.format(Locale.ROOT, "sequential scan of %s read %.0f rows", relation, scanned);
        if (filter == null) {
            return new Finding(Severity.WARNING, "plan", subject, message + " without a filter",
                    "every row is read: if this is a count, cap it (LIMIT inside a subquery) or use the planner's"
                            + " estimate (pg_class.reltuples) above a threshold", null);
        }
        Set<String> columns = new LinkedHashSet<>();
        Matcher m = FILTER_COLUMN.matcher(filter);
        while (m.find()) {
            columns.add(m.group(1));
        }
        // a full-text match (@@) needs a GIN index: a btree on a tsvector cannot serve it (btree_gin,
        // which the schema installs, lets plain columns join the same GIN index)
        boolean fullText = filter.contains("@@");
        String sql = columns.isEmpty() ? null : "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + relation + "_"
                + String.join("_", columns) + (fullText ? "_gin" : "") + " ON " + relation
                + (fullText ? " USING gin" : "") + " (" + String.join(", ", columns) + ");";
        return new Finding(Severity.WARNING, "plan", subject, message + " to apply " + filter,
                "an index on the filtered columns lets PostgreSQL read only the matching rows; measure the import cost"
                        + " before adding it. If such an index exists already, the planner judged a scan cheaper"
                        + " because many rows match: then the query shape, not an index, is the fix", sql);
    }

    private static @Nullable String detail(Map<?, ?> node) {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("Index Cond", "Recheck Cond", "Filter", "Hash Cond", "Join Filter", "Sort Key",
                "Sort Method", "Sort Space Type")) {
            Object value = node.get(key);
            if (value != null) {
                parts.add(key + ": " + value);
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static double number(@Nullable Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static String string(@Nullable Object value) {
        return value == null ? "?" : value.toString();
    }

    private static @Nullable String stringOrNull(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
