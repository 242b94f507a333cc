-- midi-catalog schema v5: word signatures in the sort indexes, so a search that walks files in
-- date order rejects most non-matching files from the index alone.
--
-- A word that is neither rare (collect its few matches with the GIN index, then sort) nor very
-- common (newest files match at once) made the walk down files_created read every file's heap
-- row to test its tsvector: 1% of files matching meant ~5,100 heap rows per page of 50 (4.2 ms
-- at 1M files); a quoted phrase in file names ~7,300 rows (31-71 ms). With a 64-bit Bloom
-- signature of the words in the index (two bits per word, computed in Java by
-- io.midicatalog.internal.SearchWords.signature), the walk is an index-only scan that passes on
-- only the files whose signature has every required word's bits, and only those are fetched and
-- tested against the real tsquery: the same two searches took 1.4 and 1.8 ms in a prototype.
--
-- The signatures are a pre-filter, never the answer: -1 (every bit set) lets every file through,
-- so rows written without one (older catalogs, other writers) are still found, only slower.

ALTER TABLE files
    ADD COLUMN name_sig bigint NOT NULL DEFAULT -1,
    ADD COLUMN doc_sig  bigint NOT NULL DEFAULT -1;

-- serves: newest-first listing (no filter, BPM range, keyset pages), and the date walk of text
--         searches, filtered on the included columns before any heap row is read
DROP INDEX files_created;
CREATE INDEX files_created ON files (created_at DESC, id DESC) INCLUDE (name_sig, doc_sig, key_code, bpm);

-- serves: key filter sorted by newest (key only, key + BPM, key + text), keyset pages of it
DROP INDEX files_key_created;
CREATE INDEX files_key_created ON files (key_code, created_at DESC, id DESC) INCLUDE (name_sig, doc_sig, bpm);

-- A writer that changes the words but not their signature (a hand-written UPDATE, a tool) must
-- not make files unfindable: such a row's signatures become -1 (pass everything). Fires only
-- for UPDATEs that name these columns, so moves and edits of other columns cost nothing.
CREATE FUNCTION files_signature_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name_sig = OLD.name_sig AND NEW.name_words IS DISTINCT FROM OLD.name_words THEN
        NEW.name_sig := -1;
    END IF;
    IF NEW.doc_sig = OLD.doc_sig
       AND (NEW.name_words, NEW.context_words) IS DISTINCT FROM (OLD.name_words, OLD.context_words) THEN
        NEW.doc_sig := -1;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER files_signature_guard BEFORE UPDATE OF name_words, context_words ON files
    FOR EACH ROW EXECUTE FUNCTION files_signature_guard();
