package io.midicatalog.diagnostics;

import java.util.List;

/**
 * A family of queries the catalog runs, profiled by EXPLAIN ANALYZE. Each part of the library
 * contributes its own (search contributes its shapes, tracks its loads), built from the same SQL
 * builder or DAO text it runs, so the profile never drifts from the real queries.
 */
public interface QueryCategory {
    /** Short name: {@code search}, {@code count}, {@code dedupe}, {@code track}, {@code details}, {@code tags}. */
    String name();

    /** The probes of this category for these sample values (empty when none apply). */
    List<QueryProbe> probes(ProbeSamples samples);
}
