-- midi-catalog schema v7: a cheaper recount of the search word counts at the end of a deferring
-- import (ImportOptions.deferIndexes; io.midicatalog.importer.DeferredMaintenance).
--
-- V6's search_counts_rebuild unnested every file's doc_tsv and tested each word against the
-- file's name_tsv array: 0.74 s of CPU at 100K files. ts_stat() counts the documents holding each
-- lexeme in C, once over the documents and once over the names: 0.27 s for the same counts
-- (measured on the 100K-file library, embedded PostgreSQL 17). Same result: a word's doc_files is
-- the number of files whose doc_tsv holds it, its name_files the number whose name_tsv holds it,
-- for the words of some doc_tsv (every name word is one: doc_tsv is built from the name words and
-- the context words). Keep in step with search_counts_insert_delete (V2), as V6 said.
CREATE OR REPLACE FUNCTION search_counts_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_word_counts;
    INSERT INTO search_word_counts (word, name_files, doc_files)
    SELECT d.word, coalesce(n.ndoc, 0), d.ndoc
      FROM ts_stat('SELECT doc_tsv FROM files') d
      LEFT JOIN ts_stat('SELECT name_tsv FROM files') n ON n.word = d.word;
    DELETE FROM search_value_counts;
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
