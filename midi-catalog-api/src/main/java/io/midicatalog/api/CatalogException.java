package io.midicatalog.api;

/**
 * The one root of every error midi-catalog throws on purpose. Unchecked: a catalog call either
 * works or tells you, in its message, what was wrong and where. SQL, JDBI and I/O exceptions are
 * wrapped at the repository boundary and kept as the cause.
 */
public class CatalogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
