package io.midicatalog.api;

/**
 * Stops an import at the next batch boundary: batches already committed stay, nothing is marked
 * missing. Thread-safe; one token may serve several imports.
 */
public final class ImportCancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
