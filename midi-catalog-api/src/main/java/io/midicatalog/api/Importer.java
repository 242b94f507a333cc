package io.midicatalog.api;

import java.nio.file.Path;

/**
 * Turns folders of MIDI files into catalog rows: walk, skip unchanged files, read, hash, analyse
 * on all cores, write in bulk (one transaction per batch). Re-importing a tree is cheap (unchanged
 * files are skipped by path, size and mtime before they are read), files gone from disk are marked
 * missing (never deleted), moved files keep their id, tags and favorites. Bad files become
 * import-failure rows; the import goes on.
 *
 * <p>Thread-safe: several imports may run at once, also of the same tree (they create no duplicate
 * rows). Obtain it from {@code MidiCatalog.importer()}.
 */
public interface Importer {

    /** Imports a tree with default options and no listener. */
    default ImportResult importDirectory(Path root) {
        return importDirectory(root, ImportOptions.defaults(), ImportListener.NONE);
    }

    /** Imports a tree with default options. */
    default ImportResult importDirectory(Path root, ImportListener listener) {
        return importDirectory(root, ImportOptions.defaults(), listener);
    }

    /** Imports a tree with default options. */
    default ImportResult importDirectory(Path root, ImportOptions options) {
        return importDirectory(root, options, ImportListener.NONE);
    }

    /**
     * Imports every {@code .mid .midi .kar .rmi} file (any case) under {@code root}, which may also
     * be a single file, or a symbolic link to a folder or file: its target is imported, with the
     * paths under the link, whether {@link ImportOptions#followSymlinks()} is set or not.
     *
     * @return the counts of this import; {@link ImportResult#status()} says whether it was cancelled
     * @throws IllegalArgumentException when root is null or does not exist (a dangling link included)
     * @throws CatalogException when the database fails beyond the retries of a batch (the batches
     *     committed before stay; a rerun completes the import)
     */
    ImportResult importDirectory(Path root, ImportOptions options, ImportListener listener);
}
