-- midi-catalog schema v3: what the importer needs beyond v1.

-- A file that failed keeps its size and mtime, so a re-import skips it while it is unchanged
-- (it would fail again) and reads it again once it changes.
ALTER TABLE import_failures
    ADD COLUMN file_size_bytes bigint,
    ADD COLUMN file_mtime      timestamptz;
-- serves: re-import skip check of known-bad files (WHERE path = ANY(:paths) ORDER BY path, id DESC)
CREATE INDEX import_failures_path ON import_failures (path, id);
