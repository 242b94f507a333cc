/**
 * What the catalog's database is doing and what to change: statistics, {@code pg_stat_statements},
 * EXPLAIN ANALYZE of the queries the library runs (rolled back, read only), pool, cache and server
 * settings, maintenance calls, a slow-query log and a health score. Entry: {@code catalog.diagnostics()}.
 *
 * <p>The report types live here, not in {@code io.midicatalog.api}: they describe PostgreSQL
 * internals (plans, {@code pg_stat_*}, HikariCP), which the api module must not know.
 */
@NullMarked
package io.midicatalog.diagnostics;

import org.jspecify.annotations.NullMarked;
