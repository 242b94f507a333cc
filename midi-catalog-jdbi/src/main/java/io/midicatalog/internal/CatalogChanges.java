package io.midicatalog.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What writes tell the rest of the catalog (the cache decorators above all): every write that
 * passes through a {@code MidiCatalog} reports here what it changed, after it committed. One
 * instance per catalog. Not API.
 */
public final class CatalogChanges {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogChanges.class);

    /** Receives change notices; implementations must be fast and must not throw. */
    public interface Listener {
        /** Rows of these files changed (metadata, category, path, missing flag, locations) or were deleted. */
        default void filesChanged(long[] fileIds) {}

        /** Tags of these files changed (tag added or removed). */
        default void fileTagsChanged(long[] fileIds) {}

        /** Tag names changed (rename, merge, delete): any file's tag list may be stale. */
        default void tagNamesChanged() {}

        /** Favorite flags of these files changed. */
        default void favoritesChanged(long[] fileIds) {}

        /** Files were added (an import batch committed): lists, counts and searches may be stale. */
        default void filesAdded(long[] fileIds) {}
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    public void filesChanged(long[] fileIds) {
        each(l -> l.filesChanged(fileIds));
    }

    public void fileTagsChanged(long[] fileIds) {
        each(l -> l.fileTagsChanged(fileIds));
    }

    public void tagNamesChanged() {
        each(Listener::tagNamesChanged);
    }

    public void favoritesChanged(long[] fileIds) {
        each(l -> l.favoritesChanged(fileIds));
    }

    public void filesAdded(long[] fileIds) {
        each(l -> l.filesAdded(fileIds));
    }

    private void each(java.util.function.Consumer<Listener> call) {
        for (Listener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("change listener {} failed; its view may be stale", listener, e);
            }
        }
    }
}
