-- midi-catalog schema v13: the GM family bits and the time signature join the included columns of
-- files_created, so a filter on them without text is counted and paged index-only.
--
-- Why: V11 put both in the text index, which finds a rare value at once; a common one is
-- counted by scanning until 1,001 files pass (a bitmap of all of them costs more), and the
-- newest page walks the date index: both read every row they test from the heap. A 3.7% GM
-- family took 15 ms to count at 1M files; with the bits in the date index the planner counts it
-- with an index-only scan in 3.5 ms (it chose that scan by itself).
--
-- Cost: files_created grows from 73 to 82 MB at 1M files (8 bytes a row: the family bits and the
-- two signature numbers fill one more 8-byte slot). files_key_created is left as it is: the walks
-- that use it test these filters on the heap, as before. Built beside the old index and swapped at
-- the end: writes wait for the build, searches only for the swap.

-- serves: as in V12, plus GM families and time signature checked on the index without text
CREATE INDEX files_created_v13 ON files (created_at, id)
    INCLUDE (name_sig, doc_sig, key_code, bpm, category, percussive, note_count, duration_seconds,
             gm_families, time_sig_num, time_sig_den);

-- last: dropping an index locks its table against reads until the migration commits
DROP INDEX files_created;
ALTER INDEX files_created_v13 RENAME TO files_created;
