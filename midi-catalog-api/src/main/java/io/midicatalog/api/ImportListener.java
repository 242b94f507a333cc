package io.midicatalog.api;

import java.nio.file.Path;

/**
 * Hears an import's progress. Called from the importer's threads (never concurrently for one
 * import); implementations must be fast and must not throw.
 */
public interface ImportListener {
    /** A listener that ignores everything. */
    ImportListener NONE = new ImportListener() {};

    /** Counts so far; called after each committed batch and about every 250 ms while walking. */
    default void progress(ImportProgress progress) {}

    /** A file could not be imported (it is recorded in {@code import_failures} too). */
    default void failed(Path path, String reason) {}
}
