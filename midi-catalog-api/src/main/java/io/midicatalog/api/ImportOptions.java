package io.midicatalog.api;

import org.jspecify.annotations.Nullable;

/**
 * How an import runs. Build with {@link #builder()}; every setter fails fast on a bad value.
 *
 * @param threads threads that read, hash and analyse files (default: one more than the cores, see
 *     {@link #DEFAULT_THREADS})
 * @param writers database connections that write batches at once (default 2)
 * @param batchSize files per write transaction (default 2,000)
 * @param manufacturerDepth folder level under the root that names the manufacturer (1 = the first
 *     folder; 0 = none; default 1)
 * @param collectionDepth folder level that names the collection (0 = none; default 2); must be
 *     deeper than the manufacturer's
 * @param followSymlinks follow symbolic links to folders and files (loops are detected and skipped)
 * @param deferIndexes for very large first imports (100K+ files into an empty or small catalog):
 *     while the import writes, drop the non-unique indexes (the search indexes among them) and the
 *     foreign keys of the file tables and pause the search and browse count triggers; at its end
 *     build the indexes, check the keys and recount once (about 1.5 s per 100K files). The rebuild
 *     runs however the import ends (completed, cancelled or failed); if the process dies, the next
 *     import or {@code migrate()} does it, since the catalog records what was deferred. Meanwhile
 *     searches find the right files but slowly, counts, facets and browse lists lag, and other
 *     writers wait while the rebuild runs. Unique indexes and keys stay, so duplicates never get
 *     in. Default false.
 * @param maxFileSize files larger than this many bytes are not read: each is a failure that gives
 *     its size, on every import until it shrinks or the limit is raised (default
 *     {@link #DEFAULT_MAX_FILE_SIZE}, 64 MiB; at most {@link #MAX_FILE_SIZE}, the largest array the
 *     JVM makes). An analysis thread holds a whole file while it reads it, so the heap needs about
 *     {@code threads} times the largest file read, beside the analyser's own work; real MIDI files
 *     rarely reach 1 MB, and what passes a larger limit is most likely no MIDI file at all (a disk
 *     image or an archive named {@code .mid})
 * @param cancellation token that stops the import at the next batch boundary, or null
 */
public record ImportOptions(int threads, int writers, int batchSize, int manufacturerDepth, int collectionDepth,
        boolean followSymlinks, boolean deferIndexes, long maxFileSize, @Nullable ImportCancellation cancellation) {

    public static final int MAX_BATCH_SIZE = 10_000;
    /** The default {@link #maxFileSize()}: 64 MiB. */
    public static final long DEFAULT_MAX_FILE_SIZE = 64L << 20;
    /** The largest {@link #maxFileSize()}: a file is read into one array. */
    public static final long MAX_FILE_SIZE = Integer.MAX_VALUE - 8;

    public ImportOptions {
        positive("threads", threads, 1024);
        positive("writers", writers, 64);
        positive("batchSize", batchSize, MAX_BATCH_SIZE);
        if (manufacturerDepth < 0 || manufacturerDepth > 32) {
            throw new IllegalArgumentException("manufacturerDepth must be 0-32: " + manufacturerDepth);
        }
        if (collectionDepth < 0 || collectionDepth > 32) {
            throw new IllegalArgumentException("collectionDepth must be 0-32: " + collectionDepth);
        }
        if (collectionDepth > 0 && manufacturerDepth > 0 && collectionDepth <= manufacturerDepth) {
            throw new IllegalArgumentException("collectionDepth must be deeper than manufacturerDepth ("
                    + manufacturerDepth + "): " + collectionDepth);
        }
        fileSize(maxFileSize);
    }

    private static void fileSize(long value) {
        if (value < 1 || value > MAX_FILE_SIZE) {
            throw new IllegalArgumentException("maxFileSize must be 1-" + MAX_FILE_SIZE + ": " + value);
        }
    }

    private static void positive(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be 1-" + max + ": " + value);
        }
    }

    public static ImportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.threads = threads;
        b.writers = writers;
        b.batchSize = batchSize;
        b.manufacturerDepth = manufacturerDepth;
        b.collectionDepth = collectionDepth;
        b.followSymlinks = followSymlinks;
        b.deferIndexes = deferIndexes;
        b.maxFileSize = maxFileSize;
        b.cancellation = cancellation;
        return b;
    }

    /**
     * Reading, hashing and analysing threads by default: one more than the cores. A thread that
     * waits for a file's bytes, or for room in the writers' queue, leaves its core to the others
     * and to the database: a 100K-file import on 2 cores with {@code deferIndexes} ran at a median
     * 18,817 files/s with 2 threads and 20,009 with 3 (six runs each, alternated, idle machine).
     */
    public static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors() + 1;

    /** Fail-fast builder of {@link ImportOptions}. */
    public static final class Builder {
        private int threads = DEFAULT_THREADS;
        private int writers = 2;
        private int batchSize = 2_000;
        private int manufacturerDepth = 1;
        private int collectionDepth = 2;
        private boolean followSymlinks;
        private boolean deferIndexes;
        private long maxFileSize = DEFAULT_MAX_FILE_SIZE;
        private @Nullable ImportCancellation cancellation;

        private Builder() {}

        public Builder threads(int value) {
            positive("threads", value, 1024);
            threads = value;
            return this;
        }

        public Builder writers(int value) {
            positive("writers", value, 64);
            writers = value;
            return this;
        }

        public Builder batchSize(int value) {
            positive("batchSize", value, MAX_BATCH_SIZE);
            batchSize = value;
            return this;
        }

        public Builder manufacturerDepth(int value) {
            if (value < 0 || value > 32) {
                throw new IllegalArgumentException("manufacturerDepth must be 0-32: " + value);
            }
            manufacturerDepth = value;
            return this;
        }

        public Builder collectionDepth(int value) {
            if (value < 0 || value > 32) {
                throw new IllegalArgumentException("collectionDepth must be 0-32: " + value);
            }
            collectionDepth = value;
            return this;
        }

        public Builder followSymlinks(boolean value) {
            followSymlinks = value;
            return this;
        }

        /** See {@link ImportOptions#deferIndexes()}. */
        public Builder deferIndexes(boolean value) {
            deferIndexes = value;
            return this;
        }

        /** See {@link ImportOptions#maxFileSize()}. */
        public Builder maxFileSize(long bytes) {
            fileSize(bytes);
            maxFileSize = bytes;
            return this;
        }

        public Builder cancellation(@Nullable ImportCancellation value) {
            cancellation = value;
            return this;
        }

        /** @throws IllegalArgumentException when the depths contradict each other */
        public ImportOptions build() {
            return new ImportOptions(threads, writers, batchSize, manufacturerDepth, collectionDepth, followSymlinks,
                    deferIndexes, maxFileSize, cancellation);
        }
    }
}
