package io.midicatalog.api;

import java.util.Optional;

/** Everything about one file, for a details pane. Thread-safe. */
public interface FileDetailsRepository {
    /**
     * One file's details in one round trip (one statement with array subqueries; about as cheap as
     * a primary key lookup).
     *
     * @throws IllegalArgumentException when {@code id < 1}
     * @throws CatalogException when the database fails
     */
    Optional<FileDetails> get(long id);
}
