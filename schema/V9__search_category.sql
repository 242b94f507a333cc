-- midi-catalog schema v9: the category, the facet most often combined with text, and the
-- percussive flag join the key in the text index and the sort indexes, so "text in a category" is
-- intersected inside the index instead of tested on each of the word's heap rows. The date
-- indexes it rebuilds (and favorites_created) become ascending, read backwards (see below).
--
-- Why: the category was checked on the heap only. Counting "chords" in the drums category read
-- heap rows of the word until it had found 1,001 in the category or run out: 12.6K of 176K
-- "chords" files are drums, so ~14K heap rows for the capped count (303 ms at 1M files on a
-- loaded 2-core machine), and "melody" in drums read all 100K "melody" files to count none
-- (156 ms). With the category in the GIN index the same counts read 38 ms and 17 ms of index and
-- only the matching heap rows. The percussive flag had the same cost ("melody" and percussive:
-- all 100K heap rows for none, 261 ms). A walk (a page of the newest text matches) now also
-- rejects other categories and the other flag from the index's included columns.
--
-- Cost: two more GIN entries per file (a search document has ~20) and three bytes in two btrees.
-- Migrating a 1M-file catalog rebuilds the three files indexes in ~11 s (measured on 2 cores under
-- load, maintenance_work_mem 1 GB) in one transaction that locks files: searches and writes wait.

-- serves: text match (doc_tsv @@ q) of every text search and its capped count; key_code and
--         category and percussive (btree_gin) let "text + key / category / percussive"
--         intersect inside the index
DROP INDEX files_doc_tsv;
CREATE INDEX files_doc_tsv ON files USING gin (doc_tsv, key_code, category, percussive);

-- serves: as in V5, plus the category and percussive flag of a walked file checked on the index.
-- Ascending now, read backwards for newest first: new files carry the latest created_at, and in
-- a descending btree every insert lands on its leftmost leaf, whose splits leave both halves
-- half full. 200K rows inserted in batches: descending 50% leaf density (2,151 pages),
-- ascending 90% (1,205 pages), so an import that keeps its indexes (not deferIndexes) left
-- the walk indexes twice their size. The same holds for favorites_created.
DROP INDEX files_created;
CREATE INDEX files_created ON files (created_at, id)
    INCLUDE (name_sig, doc_sig, key_code, bpm, category, percussive);
DROP INDEX files_key_created;
CREATE INDEX files_key_created ON files (key_code, created_at, id)
    INCLUDE (name_sig, doc_sig, bpm, category, percussive);
-- serves: favorites newest first (read backwards), as V1's descending index did
DROP INDEX favorites_created;
CREATE INDEX favorites_created ON favorites (created_at, file_id);
