package io.midicatalog.diagnostics;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The executed plan of one probe with what is wrong with it.
 *
 * @param error why EXPLAIN failed (then nodes and times are empty / 0), else null
 * @param planJson the raw {@code EXPLAIN (FORMAT JSON)} output, for tools
 */
public record QueryPlan(String category, String name, String sql, double planningMillis, double executionMillis,
                        List<PlanNode> nodes, List<Finding> findings, String planJson, @Nullable String error) {
    public QueryPlan {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        nodes = List.copyOf(nodes);
        findings = List.copyOf(findings);
        Objects.requireNonNull(planJson, "planJson");
    }

    /** The plan as indented text lines, like EXPLAIN's text format. */
    public List<String> planText() {
        return PlanNode.describeAll(nodes);
    }
}
