/**
 * The public surface of midi-catalog: immutable values, query objects, repository interfaces and
 * {@link io.midicatalog.api.CatalogException}. Nothing here knows JDBI, Caffeine or PostgreSQL.
 */
@NullMarked
package io.midicatalog.api;

import org.jspecify.annotations.NullMarked;
