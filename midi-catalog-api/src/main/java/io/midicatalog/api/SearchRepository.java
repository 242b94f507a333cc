package io.midicatalog.api;

/**
 * Searches the catalog: full text over file names and their context, filters, sorts, keyset
 * pages, counts and facets. Thread-safe.
 */
public interface SearchRepository {
    /**
     * One page of files matching {@code query}.
     *
     * @throws IllegalArgumentException when the query's cursor belongs to another query or is damaged
     * @throws CatalogException when the database fails (the message says which step)
     */
    SearchPage search(SearchQuery query);
}
