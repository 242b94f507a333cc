-- midi-catalog schema v14: the failures' path index holds a hash of the path, not the path.
--
-- Why: a btree entry holds at most 2,704 bytes (8 kB pages), and V3's import_failures_path held
-- the whole path: a failure at a longer path (a deep tree, a walk error under a long folder name)
-- could not be recorded, and the batch that carried it failed with "index row size ... exceeds
-- btree version 4 maximum 2704". The paths the importer refuses for being too long for
-- file_locations' key (io.midicatalog.importer.BatchWriter.MAX_PATH_BYTES) are such failures. A
-- hash index stores four bytes a row whatever the path's length, so every failure keeps its whole
-- path and the re-import skip check still finds it.
--
-- Cost: the skip check (WHERE path = ANY(:paths) ORDER BY path, id DESC) becomes a bitmap scan
-- plus a sort of the few rows it finds, where the btree returned them in order; the table holds
-- one row per failed file per import. Building it reads import_failures once.

-- serves: re-import skip check of known-bad files (WHERE path = ANY(:paths))
DROP INDEX import_failures_path;
CREATE INDEX import_failures_path ON import_failures USING hash (path);
