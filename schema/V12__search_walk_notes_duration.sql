-- midi-catalog schema v12: the note count and the duration join the included columns of the date
-- indexes, so a walk down them (a page of text matches, or the bounded walk that counts text
-- with a filter) rejects files outside a note-count or duration range from the index instead of
-- reading each of the word's files from the heap.
--
-- Why: "drum" (229K files at 1M) with 100-200 notes (10% of files) counted by the bounded walk
-- tested every file whose signature holds the word on the heap: 11.2 ms for the capped count,
-- 5.1 ms with the range checked on the index. A text search with a note-count range took 43 / 61
-- ms p50 / p95 and one with a duration range 30 / 72 ms (SearchBenchmark "common word +").
--
-- Cost: at 1M files files_created grows from 64 to 73 MB (8 bytes a row: the note count fits in
-- the tuple's alignment padding, the duration does not) and files_key_created from 64 to 82 MB
-- (16 bytes a row). Both are built beside the old ones and swapped at the end: writes wait for
-- the builds, searches only for the swap at the end (the whole migration: 2.7 s at 1M files).

-- serves: as in V9, plus note-count and duration ranges checked on the walked index
CREATE INDEX files_created_v12 ON files (created_at, id)
    INCLUDE (name_sig, doc_sig, key_code, bpm, category, percussive, note_count, duration_seconds);
CREATE INDEX files_key_created_v12 ON files (key_code, created_at, id)
    INCLUDE (name_sig, doc_sig, bpm, category, percussive, note_count, duration_seconds);

-- last: dropping an index locks its table against reads until the migration commits
DROP INDEX files_created;
ALTER INDEX files_created_v12 RENAME TO files_created;
DROP INDEX files_key_created;
ALTER INDEX files_key_created_v12 RENAME TO files_key_created;
