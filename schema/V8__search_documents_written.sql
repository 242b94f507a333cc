-- midi-catalog schema v8: the search documents of V2 become plain columns, written by the
-- importer and computed here for every other writer.
--
-- Why: parsing the words of every file with to_tsvector cost as much as all the rest of the COPY
-- into files (generated columns: 1.69 s of server CPU for 100K rows; no documents: 0.85 s). The
-- importer makes the same tsvector in Java for words that PostgreSQL's default parser is sure to
-- take one by one (io.midicatalog.internal.SearchWords.tsvector, checked against to_tsvector in
-- SearchDocumentsTest), and PostgreSQL only reads it (1.27 s with the documents as COPY text,
-- 0.86 s with the whole row as binary COPY, which the importer writes).
--
-- The documents stay what V2 defines, to_tsvector('simple', name_words) and
-- to_tsvector('simple', name_words || ' ' || context_words):
--  * an INSERT that brings no document (NULL: other writers, or words the importer leaves to the
--    database) gets them computed here;
--  * an UPDATE that names the words or the documents gets both recomputed from the words, so no
--    edit can make them disagree with the words.
-- A BEFORE INSERT row trigger makes COPY insert row by row instead of in groups; measured on the
-- same 100K rows that cost 0.04 s, against 0.42 s saved.
ALTER TABLE files
    ALTER COLUMN name_tsv DROP EXPRESSION,
    ALTER COLUMN doc_tsv DROP EXPRESSION;

CREATE FUNCTION files_search_documents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name_tsv := to_tsvector('simple'::regconfig, NEW.name_words);
    NEW.doc_tsv := to_tsvector('simple'::regconfig, NEW.name_words || ' ' || NEW.context_words);
    RETURN NEW;
END $$;

CREATE TRIGGER files_search_documents_insert BEFORE INSERT ON files
    FOR EACH ROW WHEN (NEW.name_tsv IS NULL OR NEW.doc_tsv IS NULL)
    EXECUTE FUNCTION files_search_documents();
CREATE TRIGGER files_search_documents_update BEFORE UPDATE OF name_words, context_words, name_tsv, doc_tsv ON files
    FOR EACH ROW EXECUTE FUNCTION files_search_documents();
