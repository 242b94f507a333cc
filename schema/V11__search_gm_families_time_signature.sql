-- midi-catalog schema v11: the GM instrument families and the time signature join the key, the
-- category and the percussive flag in the text index, so "text in a family" or "text in 7/8" is
-- intersected inside the index, and a family or a signature alone is found by the index.
--
-- Why: both were tested on the heap only. Counting "drum" (229K files) in a GM family collected
-- the word's matches and read heap rows until 1,001 were in the family or the word ran out: at
-- 1M files "drum" + a 1% family (381 files) 270 ms, a family no file has 414 ms (bitmap-only
-- plans, as the search runs them). In the index the same counts read 9.6 ms and 0.5 ms. Without
-- text a family no file has walked the whole date index (0.5-1.6 s for an empty page).
--
-- How: a GIN index holds values, not bits, so the bit set is turned into the array of its family
-- numbers (gm_family_list, written as one expression so the planner inlines it) and searched with
-- && ("any of these families"); the time signature becomes one integer (time_signature_code).
-- Searches write the same expressions, so the index matches them. Statistics on the two
-- expressions give the planner each family's and each signature's share (an import's ANALYZE
-- names columns, which skips index expressions but builds these).
--
-- Cost: about three more GIN entries per file for a typical file (a search document has ~20);
-- the index grew from 28 to 30 MB at 1M generated files. Migrating a 1M-file catalog builds the
-- new index in a few seconds beside the old one, in one transaction: writes wait for the build,
-- searches only for the swap at its end (the old index is dropped last).

CREATE FUNCTION gm_family_list(families integer) RETURNS integer[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(ARRAY[
        CASE WHEN families & 1 <> 0 THEN 0 END,
        CASE WHEN families & 2 <> 0 THEN 1 END,
        CASE WHEN families & 4 <> 0 THEN 2 END,
        CASE WHEN families & 8 <> 0 THEN 3 END,
        CASE WHEN families & 16 <> 0 THEN 4 END,
        CASE WHEN families & 32 <> 0 THEN 5 END,
        CASE WHEN families & 64 <> 0 THEN 6 END,
        CASE WHEN families & 128 <> 0 THEN 7 END,
        CASE WHEN families & 256 <> 0 THEN 8 END,
        CASE WHEN families & 512 <> 0 THEN 9 END,
        CASE WHEN families & 1024 <> 0 THEN 10 END,
        CASE WHEN families & 2048 <> 0 THEN 11 END,
        CASE WHEN families & 4096 <> 0 THEN 12 END,
        CASE WHEN families & 8192 <> 0 THEN 13 END,
        CASE WHEN families & 16384 <> 0 THEN 14 END,
        CASE WHEN families & 32768 <> 0 THEN 15 END,
        CASE WHEN families & 65536 <> 0 THEN 16 END
    ], NULL)
$$;

-- numerator and denominator (smallints) as one integer, unique for every pair; NULL when either is
CREATE FUNCTION time_signature_code(numerator smallint, denominator smallint) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT numerator * 65536 + denominator
$$;

-- serves: as in V9, plus "text + GM families" (gm_family_list(gm_families) && families) and
--         "text + time signature" (time_signature_code(...) = code) intersected inside the index,
--         and either of them without text
CREATE INDEX files_doc_tsv_v11 ON files USING gin (doc_tsv, key_code, category, percussive,
    gm_family_list(gm_families), time_signature_code(time_sig_num, time_sig_den));

CREATE STATISTICS files_gm_family_list ON (gm_family_list(gm_families)) FROM files;
CREATE STATISTICS files_time_signature_code ON (time_signature_code(time_sig_num, time_sig_den)) FROM files;

ANALYZE files (gm_families, time_sig_num, time_sig_den);

-- last: dropping an index locks its table against reads until the migration commits
DROP INDEX files_doc_tsv;
ALTER INDEX files_doc_tsv_v11 RENAME TO files_doc_tsv;
