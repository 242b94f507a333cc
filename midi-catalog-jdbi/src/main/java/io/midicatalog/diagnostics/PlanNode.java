package io.midicatalog.diagnostics;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One node of an executed plan, flattened from {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)}.
 *
 * @param depth 0 for the root
 * @param actualRows rows per loop, as PostgreSQL reports them
 * @param sharedReadBlocks blocks read from outside shared buffers (this node and its children)
 */
public record PlanNode(int depth, String nodeType, @Nullable String relation, @Nullable String index,
                       double planRows, double actualRows, long loops, double actualTotalMillis,
                       long sharedHitBlocks, long sharedReadBlocks, @Nullable String detail) {
    public PlanNode {
        Objects.requireNonNull(nodeType, "nodeType");
    }

    /** An EXPLAIN-like one-line description. */
    public String describe() {
        StringBuilder sb = new StringBuilder("  ".repeat(depth)).append("-> ").append(nodeType);
        if (index != null) {
            sb.append(" using ").append(index);
        }
        if (relation != null) {
            sb.append(" on ").append(relation);
        }
        sb.append(String.format(java.util.Locale.ROOT, " (rows est %.0f, actual %.0f x %d loops, %.3f ms, buffers hit %d read %d)",
                planRows, actualRows, loops, actualTotalMillis, sharedHitBlocks, sharedReadBlocks));
        if (detail != null) {
            sb.append(" [").append(detail).append(']');
        }
        return sb.toString();
    }

    static List<String> describeAll(List<PlanNode> nodes) {
        return nodes.stream().map(PlanNode::describe).toList();
    }
}
