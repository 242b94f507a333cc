package io.midicatalog.cache;

import io.midicatalog.api.FileDetails;
import io.midicatalog.api.FileDetailsRepository;
import io.midicatalog.jdbi.internal.Checks;
import java.util.Optional;

/** File details from a cache (absent files are cached as absent until an import adds them). */
final class CachingFileDetailsRepository implements FileDetailsRepository {
    private final FileDetailsRepository delegate;
    private final GuardedCache<Long, FileDetails> cache;

    CachingFileDetailsRepository(FileDetailsRepository delegate, GuardedCache<Long, FileDetails> cache) {
        this.delegate = delegate;
        this.cache = cache;
    }

    @Override
    public Optional<FileDetails> get(long id) {
        Checks.id(id);
        return Optional.ofNullable(cache.get(id, key -> delegate.get(key).orElse(null)));
    }
}
