-- midi-catalog schema v2: full-text search, sort indexes, and the small side tables that let a
-- search choose its plan, estimate counts and answer unfiltered facets without reading files.
--
-- The importer knows none of this: the search documents are generated columns derived from
-- files.name_words / files.context_words (filled with io.midicatalog.internal.SearchWords), and
-- the side tables are kept current by statement-level triggers with transition tables, which
-- fire once per bulk INSERT / UPDATE / DELETE (not once per row).

-- ---------------------------------------------------------------------------------------------
-- Search documents. 'simple' config: no stemming and no stop words, so a query word matches
-- exactly the words SearchWords produced (the query side normalises with SearchWords too).
-- to_tsvector(regconfig, text) is immutable, so STORED generated columns are allowed and cost
-- one parse per written row (no trigger call).
-- ---------------------------------------------------------------------------------------------
ALTER TABLE files
    ADD COLUMN name_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name_words)) STORED,
    ADD COLUMN doc_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name_words || ' ' || context_words)) STORED;

-- serves: text match (doc_tsv @@ q) of every text search, its capped count, exact facets of
--         small results; key_code (btree_gin) lets "text + key" intersect inside the index
CREATE INDEX files_doc_tsv ON files USING gin (doc_tsv, key_code);
-- serves: relevance tier 1 (file-name matches) when the word is rare in file names
CREATE INDEX files_name_tsv ON files USING gin (name_tsv);
-- serves: key filter sorted by newest (key only, key + BPM), keyset pages of it
CREATE INDEX files_key_created ON files (key_code, created_at DESC, id DESC);
-- serves: BPM range filter, BPM sort and its keyset pages (nulls: bpm IS NULL ORDER BY id)
CREATE INDEX files_bpm ON files (bpm, id);
-- serves: name sort and its keyset pages (byte order, same in every locale)
CREATE INDEX files_filename_c ON files (filename COLLATE "C", id);
-- serves: duration sort and its keyset pages
CREATE INDEX files_duration ON files (duration_seconds, id);

-- ---------------------------------------------------------------------------------------------
-- Side tables. Append-only deltas (one row per word per write statement), summed when read and
-- compacted now and then: concurrent import transactions never wait for each other on a hot
-- word's counter row, which an UPSERT of one row per word would make them do until commit.
-- ---------------------------------------------------------------------------------------------

-- How many files contain a word in the file name / anywhere in the search document.
CREATE TABLE search_word_counts (
    word       text    NOT NULL,
    name_files integer NOT NULL,
    doc_files  integer NOT NULL
);
-- serves: frequency gate and text-only count estimates (sum over word = ANY(:words))
CREATE INDEX search_word_counts_word ON search_word_counts (word);

-- How many files have each value of the facet dimensions:
--   dim 'k' key code, 'b' floor(bpm) (-1 none), 'c' category, 'm' manufacturer ('' none), 't' all files.
CREATE TABLE search_value_counts (
    dim   "char" NOT NULL,
    value text   NOT NULL,
    files bigint NOT NULL
);
-- serves: count estimates (share of a BPM range / keys / categories), unfiltered facets, total
CREATE INDEX search_value_counts_dim ON search_value_counts (dim, value);

-- Folds the deltas into one row per word / value. Cheap to call often; one caller at a time.
CREATE FUNCTION search_compact_counts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('midi_catalog.search_compact_counts')) THEN
        RETURN;
    END IF;
    WITH gone AS (DELETE FROM search_word_counts RETURNING word, name_files, doc_files)
    INSERT INTO search_word_counts (word, name_files, doc_files)
    SELECT word, sum(name_files), sum(doc_files) FROM gone GROUP BY word
    HAVING sum(doc_files) <> 0 OR sum(name_files) <> 0;
    WITH gone AS (DELETE FROM search_value_counts RETURNING dim, value, files)
    INSERT INTO search_value_counts (dim, value, files)
    SELECT dim, value, sum(files) FROM gone GROUP BY dim, value HAVING sum(files) <> 0;
END $$;

-- Adds the counts of inserted rows or subtracts those of deleted rows: both triggers name their
-- transition table changed_rows, so one function serves both.
CREATE FUNCTION search_counts_insert_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO search_word_counts (word, name_files, doc_files)
    SELECT w.word, sign * sum((w.word = ANY (tsvector_to_array(r.name_tsv)))::int), sign * count(*)
      FROM changed_rows r, unnest(tsvector_to_array(r.doc_tsv)) AS w(word)
     GROUP BY w.word;
    INSERT INTO search_value_counts (dim, value, files)
    SELECT d.dim, d.value, sign * count(*)
      FROM changed_rows r,
           LATERAL (VALUES ('k'::"char", r.key_code::text),
                           ('b', coalesce(floor(r.bpm)::int, -1)::text),
                           ('c', r.category::text),
                           ('m', coalesce(r.manufacturer, '')),
                           ('t', '')) AS d(dim, value)
     GROUP BY d.dim, d.value;
    -- fold the deltas now and then (about every 50th write statement) so reads sum few rows
    IF random() < 0.02 THEN
        PERFORM search_compact_counts();
    END IF;
    RETURN NULL;
END $$;

-- An UPDATE removes the old rows' counts and adds the new rows', but only for rows whose counted
-- values changed (a path move or a tag edit must not rewrite the counters).
CREATE FUNCTION search_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_word_counts (word, name_files, doc_files)
    WITH changed AS (
        SELECT o.doc_tsv AS o_doc, o.name_tsv AS o_name, n.doc_tsv AS n_doc, n.name_tsv AS n_name
          FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.doc_tsv, n.name_tsv) IS DISTINCT FROM (o.doc_tsv, o.name_tsv))
    SELECT word, sum(nf), sum(df) FROM (
        SELECT w.word, (w.word = ANY (tsvector_to_array(c.n_name)))::int AS nf, 1 AS df
          FROM changed c, unnest(tsvector_to_array(c.n_doc)) AS w(word)
        UNION ALL
        SELECT w.word, -(w.word = ANY (tsvector_to_array(c.o_name)))::int, -1
          FROM changed c, unnest(tsvector_to_array(c.o_doc)) AS w(word)
    ) d GROUP BY word HAVING sum(nf) <> 0 OR sum(df) <> 0;
    INSERT INTO search_value_counts (dim, value, files)
    WITH changed AS (
        SELECT o.key_code AS o_key, o.bpm AS o_bpm, o.category AS o_cat, o.manufacturer AS o_man,
               n.key_code AS n_key, n.bpm AS n_bpm, n.category AS n_cat, n.manufacturer AS n_man
          FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.key_code, n.bpm, n.category, n.manufacturer) IS DISTINCT FROM (o.key_code, o.bpm, o.category, o.manufacturer))
    SELECT dim, value, sum(files) FROM (
        SELECT d.dim, d.value, d.files
          FROM changed c,
               LATERAL (VALUES ('k'::"char", c.n_key::text, 1), ('b', coalesce(floor(c.n_bpm)::int, -1)::text, 1),
                               ('c', c.n_cat::text, 1), ('m', coalesce(c.n_man, ''), 1),
                               ('k', c.o_key::text, -1), ('b', coalesce(floor(c.o_bpm)::int, -1)::text, -1),
                               ('c', c.o_cat::text, -1), ('m', coalesce(c.o_man, ''), -1)) AS d(dim, value, files)
    ) d GROUP BY dim, value HAVING sum(files) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER files_search_counts_insert AFTER INSERT ON files
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION search_counts_insert_delete();
CREATE TRIGGER files_search_counts_delete AFTER DELETE ON files
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION search_counts_insert_delete();
CREATE TRIGGER files_search_counts_update AFTER UPDATE ON files
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_counts_update();

-- The one row every count estimate divides by, so an empty catalog reads 0 rather than nothing.
INSERT INTO search_value_counts (dim, value, files) VALUES ('t', '', 0);
