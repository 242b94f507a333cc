package io.midicatalog.bench.profile;

import io.midicatalog.MidiCatalog;

/**
 * What fills the profiled catalog. {@link SyntheticSqlLibrary} works in every build; the generator
 * and importer (issue 4) plug in a source that writes real MIDI files and imports them.
 */
public interface LibrarySource {
    /** Fills the empty, migrated catalog and says how fast its import step went. */
    ImportThroughput fill(MidiCatalog catalog, Progress progress) throws Exception;
}
