-- midi-catalog schema v6: deferred index and foreign-key maintenance for very large first imports
-- (ImportOptions.deferIndexes; io.midicatalog.importer.DeferredMaintenance).
--
-- Why: for a bulk load, maintaining the secondary indexes of files (the two GIN search indexes
-- among them) row by row, and checking each child row's foreign key as it arrives, cost more than
-- building the indexes once and checking every key in one join at the end (measured on the
-- 100K-file library: see the README's import figures).
--
-- A deferring import drops the non-unique indexes and the cascading foreign keys of the tables it
-- writes, and restores them in one transaction when it ends, however it ends. Each dropped object
-- is a row here, written in the transaction that drops it, so a process killed mid-import leaves
-- the recipe behind: the next import, or migrate(), restores it. Unique indexes and primary keys
-- stay: they keep duplicates out while the import runs.
CREATE TABLE import_deferred (
    name        text        PRIMARY KEY,   -- the index or constraint
    kind        text        NOT NULL CHECK (kind IN ('index', 'foreign key')),
    restore     text        NOT NULL,      -- the statement that restores it
    repair      text,                      -- for a foreign key: what its ON DELETE action would
                                           -- have done to rows whose parent went meanwhile, run
                                           -- only when the restore finds such rows
    deferred_at timestamptz NOT NULL DEFAULT now()
);
