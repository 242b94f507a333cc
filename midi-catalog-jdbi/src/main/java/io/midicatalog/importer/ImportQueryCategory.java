package io.midicatalog.importer;

import io.midicatalog.diagnostics.ProbeSamples;
import io.midicatalog.diagnostics.QueryCategory;
import io.midicatalog.diagnostics.QueryProbe;
import java.util.List;
import java.util.Map;

/**
 * The importer's read for diagnostics: the dedupe lookup of a batch's content hashes
 * ({@code BatchWriter}'s statement; here with one sampled hash in the array, which plans the
 * same way: one probe of the unique content_hash index per hash).
 */
public final class ImportQueryCategory implements QueryCategory {
    @Override
    public String name() {
        return "dedupe";
    }

    @Override
    public List<QueryProbe> probes(ProbeSamples samples) {
        byte[] hash = samples.contentHash();
        return List.of(new QueryProbe(name(), "dedupe: stored contents among a batch's hashes",
                BatchWriter.FIND_CONTENT_OF.formatted("ARRAY[CAST(:hash AS bytea)]"),
                Map.of("hash", hash != null ? hash : new byte[32])));
    }
}
