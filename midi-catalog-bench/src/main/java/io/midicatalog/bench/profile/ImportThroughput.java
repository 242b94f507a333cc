package io.midicatalog.bench.profile;

import java.util.Objects;

/**
 * How fast the library was filled.
 *
 * @param method what filled it: {@code importer} (generated MIDI files through the real importer)
 *     or {@code generated-rows} (CatalogRowGenerator's COPY of ready rows while the importer is not in this build)
 * @param filesPerSecond files (rows) of the import step divided by its wall time; file generation excluded
 * @param note conditions worth stating next to the figure (e.g. synchronous_commit=off)
 */
public record ImportThroughput(String method, long files, double seconds, double filesPerSecond, String note) {
    public ImportThroughput {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(note, "note");
    }
}
