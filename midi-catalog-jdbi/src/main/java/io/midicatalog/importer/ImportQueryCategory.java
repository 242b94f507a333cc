package io.midicatalog.importer;

import io.midicatalog.diagnostics.ProbeSamples;
import io.midicatalog.diagnostics.QueryCategory;
import io.midicatalog.diagnostics.QueryProbe;
import java.util.List;
import java.util.Map;

/**
 * The importer's read for diagnostics: the dedupe lookup of content hashes ({@code BatchWriter}'s
 * statement) with one sampled hash in the array. An import binds a batch of them (2,000 by
 * default), which on a small catalog the planner may answer with a scan of the table instead of
 * index probes; an array of one sampled hash repeated showed that plan but reported a 2,000x row
 * misestimate (every copy finds the same row) and printed 2,000 constants, so it is not used.
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
