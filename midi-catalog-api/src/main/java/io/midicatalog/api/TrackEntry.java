package io.midicatalog.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a DAW needs to load one file: where it is and its SMF header facts.
 *
 * @param id catalog id of the file
 * @param path primary location (absolute)
 * @param filename file name of the primary location
 * @param format SMF format 0-2, null when the file was not analysed
 * @param tracks number of tracks, null when not analysed
 * @param division ticks per quarter note (SMPTE: frames x ticks per frame), null when not analysed
 * @param smpte true when the division is SMPTE time code
 * @param durationSeconds duration through the tempo map, null when not analysed
 * @param durationTicks tick of the last event, null when not analysed
 * @param missing none of the file's locations was found by the last import that walked them (kept,
 *     in case it comes back): the path may not open
 */
public record TrackEntry(long id, String path, String filename, @Nullable Integer format, @Nullable Integer tracks,
        @Nullable Integer division, boolean smpte, @Nullable Double durationSeconds, @Nullable Long durationTicks,
        boolean missing) {
    public TrackEntry {
        if (id < 1) {
            throw new IllegalArgumentException("id must be positive: " + id);
        }
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(filename, "filename");
    }
}
