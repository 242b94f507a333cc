package io.midicatalog.importer;

import io.midicatalog.api.CatalogException;
import io.midicatalog.api.ImportListener;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportResult;
import io.midicatalog.api.Importer;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.midi.MidiAnalysis;
import io.midicatalog.midi.MidiAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The {@link Importer} of a catalog: each call runs one import (see {@link ImportRun} for the
 * pipeline). Thread-safe and stateless between calls.
 */
public final class DirectoryImporter implements Importer {
    private final DataSource dataSource;
    private final CatalogChanges changes;
    private final Function<byte[], MidiAnalysis> analyzer;
    private final Disk disk;

    public DirectoryImporter(DataSource dataSource, CatalogChanges changes) {
        this(dataSource, changes, MidiAnalyzer::analyze);
    }

    /** With another analyser (tests; it must throw {@code MidiFormatException} for bad bytes). */
    DirectoryImporter(DataSource dataSource, CatalogChanges changes, Function<byte[], MidiAnalysis> analyzer) {
        this(dataSource, changes, analyzer, Disk.REAL);
    }

    /** With another analyser and another way to the files (tests: failures root cannot be given). */
    DirectoryImporter(DataSource dataSource, CatalogChanges changes, Function<byte[], MidiAnalysis> analyzer,
            Disk disk) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.changes = Objects.requireNonNull(changes, "changes");
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.disk = Objects.requireNonNull(disk, "disk");
    }

    /**
     * Rebuilds the indexes and counts that an import with {@code deferIndexes} left deferred when
     * its process died (a no-op when nothing is deferred or a deferring import still runs).
     *
     * @throws CatalogException when the rebuild fails
     */
    public static void restoreDeferredIndexes(DataSource dataSource) {
        try {
            DeferredMaintenance.restoreLeftovers(dataSource);
        } catch (SQLException e) {
            throw new CatalogException("could not rebuild the indexes a deferring import left: " + e.getMessage(), e);
        }
    }

    @Override
    public ImportResult importDirectory(Path root, ImportOptions options, ImportListener listener) {
        if (root == null) {
            throw new IllegalArgumentException("root must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null (use ImportListener.NONE)");
        }
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            if (Files.isSymbolicLink(absolute)) {
                // an unmounted disk behind a link: importing nothing would mark its files missing
                throw new IllegalArgumentException("root is a dangling symbolic link: " + absolute + " -> "
                        + linkTarget(absolute) + " does not exist");
            }
            throw new IllegalArgumentException("root does not exist: " + absolute);
        }
        return new ImportRun(dataSource, changes, analyzer, disk, absolute, options, listener).run();
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
