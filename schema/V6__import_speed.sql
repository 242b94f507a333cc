-- midi-catalog schema v6: deferred index, foreign-key and count maintenance for very large first
-- imports (ImportOptions.deferIndexes; io.midicatalog.importer.DeferredMaintenance).
--
-- Why: for a bulk load, maintaining the secondary indexes of files (the two GIN search indexes
-- among them) row by row, checking each child row's foreign key as it arrives, and running the
-- count triggers of V2 and V4 once per batch cost more than building the indexes once, checking
-- every key in one join and counting every file once at the end (measured on the 100K-file
-- library: see the README's import figures).
--
-- A deferring import drops the non-unique indexes and the cascading foreign keys of the tables it
-- writes and disables the insert count triggers of files, and restores them in one transaction
-- when it ends, however it ends. Each object is a row here, written in the transaction that drops
-- or disables it, so a process killed mid-import leaves the recipe behind: the next import, or
-- migrate(), restores it. Unique indexes and primary keys stay: they keep duplicates out while
-- the import runs.
CREATE TABLE import_deferred (
    name        text        PRIMARY KEY,   -- the index or constraint
    kind        text        NOT NULL CHECK (kind IN ('index', 'foreign key', 'trigger', 'count')),
    restore     text        NOT NULL,      -- the statements that restore it
    repair      text,                      -- for a foreign key: what its ON DELETE action would
                                           -- have done to rows whose parent went meanwhile, run
                                           -- only when the restore finds such rows
    deferred_at timestamptz NOT NULL DEFAULT now()
);

-- Recounts the search side tables of V2 from every file: what search_counts_insert_delete adds
-- for an insert of all of them (same formulas; keep the two in step: DeferredIndexesTest compares
-- the counts of a deferred import with those of a normal one). One pass over files costs a
-- quarter of what the trigger costs per batch for the same rows (0.35 s against about 1.4 s for
-- the word counts of 100K files).
CREATE FUNCTION search_counts_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_word_counts;
    INSERT INTO search_word_counts (word, name_files, doc_files)
    SELECT w.word, sum((w.word = ANY (tsvector_to_array(f.name_tsv)))::int), count(*)
      FROM files f, unnest(tsvector_to_array(f.doc_tsv)) AS w(word)
     GROUP BY w.word;
    DELETE FROM search_value_counts;
    -- one GROUP BY per dimension: a third of the trigger's LATERAL VALUES over every file (0.10 s
    -- against 0.36 s at 100K files); the 't' row is there even for an empty catalog
    INSERT INTO search_value_counts (dim, value, files)
    SELECT 'k'::"char", key_code::text, count(*) FROM files GROUP BY key_code
    UNION ALL
    SELECT 'b', coalesce(floor(bpm)::int, -1)::text, count(*) FROM files GROUP BY 2
    UNION ALL
    SELECT 'c', category::text, count(*) FROM files GROUP BY category
    UNION ALL
    SELECT 'm', coalesce(manufacturer, ''), count(*) FROM files GROUP BY 2
    UNION ALL
    SELECT 't', '', count(*) FROM files;
$$;

-- Recounts the browse counts of V4 from every file: what browse_counts_track adds for an insert
-- of all of them (the dimensions of browse_counts_add, one GROUP BY each, where browse_counts_add
-- over every value combination took 0.4 s at 100K files). Keep in step with V4, as above.
CREATE FUNCTION browse_counts_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM browse_counts;
    INSERT INTO browse_counts (dimension, a, b, files)
    SELECT 'manufacturer', manufacturer, '', count(*) FROM files WHERE manufacturer IS NOT NULL GROUP BY 2
    UNION ALL
    SELECT 'collection', coalesce(manufacturer, ''), collection, count(*) FROM files
     WHERE collection IS NOT NULL GROUP BY 2, 3
    UNION ALL
    SELECT 'key', key_code::text, '', count(*) FROM files GROUP BY 2
    UNION ALL
    SELECT 'category', category::text, '', count(*) FROM files GROUP BY 2
    UNION ALL
    SELECT 'time_signature', time_sig_num::text, time_sig_den::text, count(*) FROM files
     WHERE time_sig_num IS NOT NULL AND time_sig_den IS NOT NULL GROUP BY 2, 3;
$$;
