-- midi-catalog schema v4: file counts for the browse lists and for tags, kept current by triggers.
--
-- Why count tables: a GROUP BY over 1M files for a manufacturer or key list costs 100+ ms, and
-- "tags with counts" as a GROUP BY over file_tags more; a browser asks for these lists at every
-- start. Statement-level triggers with transition tables (PostgreSQL 10+) fold a whole COPY or
-- INSERT ... SELECT batch into one upsert per distinct value, so an import pays per statement, not
-- per row, and the lists become scans of a few hundred rows.
--
-- Concurrency: an upsert locks the count rows it touches until commit, so concurrent writers that
-- touch the same value (same manufacturer, same key) queue at that row until the other commits.
-- Rows are upserted in key order, so two writers cannot deadlock on them.

-- ---------------------------------------------------------------------------------------------
-- Browse counts: one row per (dimension, value). Absent values are '' (primary key columns cannot
-- be NULL, and NULLS NOT DISTINCT needs PostgreSQL 15). Rows that reach 0 stay; readers skip them.
--   manufacturer:    a = manufacturer,          b = ''
--   collection:      a = manufacturer or '',    b = collection
--   key:             a = key_code,              b = ''
--   category:        a = category code,         b = ''
--   time_signature:  a = numerator,             b = denominator
-- Files count whether or not they are missing from disk (as search counts them).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE browse_counts (
    dimension text   NOT NULL
              CHECK (dimension IN ('manufacturer', 'collection', 'key', 'category', 'time_signature')),
    a         text   NOT NULL,
    b         text   NOT NULL DEFAULT '',
    files     bigint NOT NULL,
    PRIMARY KEY (dimension, a, b)   -- serves: every browse list (WHERE dimension = ...), trigger upserts
);

-- Adds grouped file deltas (one element per distinct value combination, n = +/- files) to the counts.
CREATE FUNCTION browse_counts_add(m text[], c text[], k smallint[], cat smallint[], tn smallint[],
                                  td smallint[], n bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO browse_counts AS bc (dimension, a, b, files)
    SELECT dimension, a, b, sum(n)
      FROM unnest(m, c, k, cat, tn, td, n) AS d(m, c, k, cat, tn, td, n)
     CROSS JOIN LATERAL (VALUES
            ('manufacturer', d.m, ''),
            ('collection', coalesce(d.m, ''), d.c),
            ('key', d.k::text, ''),
            ('category', d.cat::text, ''),
            ('time_signature', d.tn::text, d.td::text)) AS v(dimension, a, b)
     WHERE v.a IS NOT NULL AND v.b IS NOT NULL
     GROUP BY dimension, a, b
    HAVING sum(n) <> 0
     ORDER BY dimension, a, b
    ON CONFLICT (dimension, a, b) DO UPDATE SET files = bc.files + EXCLUDED.files
$$;

CREATE FUNCTION browse_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- new_rows / old_rows exist only for the events whose trigger declares them
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM browse_counts_add(array_agg(m), array_agg(c), array_agg(k), array_agg(cat),
                                  array_agg(tn), array_agg(td), array_agg(n))
           FROM (SELECT manufacturer m, collection c, key_code k, category cat, time_sig_num tn,
                        time_sig_den td, count(*) n
                   FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6) g;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM browse_counts_add(array_agg(m), array_agg(c), array_agg(k), array_agg(cat),
                                  array_agg(tn), array_agg(td), array_agg(-n))
           FROM (SELECT manufacturer m, collection c, key_code k, category cat, time_sig_num tn,
                        time_sig_den td, count(*) n
                   FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6) g;
    END IF;
    RETURN NULL;
END $$;

-- Transition tables allow one event per trigger, hence three triggers.
CREATE TRIGGER files_browse_counts_insert AFTER INSERT ON files
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION browse_counts_track();
CREATE TRIGGER files_browse_counts_update AFTER UPDATE ON files
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION browse_counts_track();
CREATE TRIGGER files_browse_counts_delete AFTER DELETE ON files
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION browse_counts_track();

-- Counts of files already in the catalog when this migration runs.
SELECT browse_counts_add(array_agg(m), array_agg(c), array_agg(k), array_agg(cat), array_agg(tn),
                         array_agg(td), array_agg(n))
  FROM (SELECT manufacturer m, collection c, key_code k, category cat, time_sig_num tn, time_sig_den td,
               count(*) n
          FROM files GROUP BY 1, 2, 3, 4, 5, 6) g;

-- ---------------------------------------------------------------------------------------------
-- Tag file counts: tags.file_count, kept by statement-level triggers on file_tags.
-- serves: tags with counts (TagRepository.withCounts, autocomplete ordering) without a GROUP BY
-- ---------------------------------------------------------------------------------------------
ALTER TABLE tags ADD COLUMN file_count bigint NOT NULL DEFAULT 0;

CREATE FUNCTION tag_counts_add(tag_ids bigint[], n bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE tags t SET file_count = t.file_count + d.n
      FROM (SELECT tag_id, sum(n) n FROM unnest(tag_ids, n) AS u(tag_id, n) GROUP BY tag_id) d
     WHERE t.id = d.tag_id AND d.n <> 0
$$;

CREATE FUNCTION tag_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM tag_counts_add(array_agg(tag_id), array_agg(n))
           FROM (SELECT tag_id, count(*) n FROM new_rows GROUP BY tag_id) g;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM tag_counts_add(array_agg(tag_id), array_agg(-n))
           FROM (SELECT tag_id, count(*) n FROM old_rows GROUP BY tag_id) g;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER file_tags_counts_insert AFTER INSERT ON file_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tag_counts_track();
CREATE TRIGGER file_tags_counts_update AFTER UPDATE ON file_tags
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tag_counts_track();
CREATE TRIGGER file_tags_counts_delete AFTER DELETE ON file_tags
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tag_counts_track();

UPDATE tags t SET file_count = c.n
  FROM (SELECT tag_id, count(*) n FROM file_tags GROUP BY tag_id) c
 WHERE t.id = c.tag_id;

-- serves: tags with counts, most used first (ORDER BY file_count DESC, lower(name) LIMIT ...)
CREATE INDEX tags_file_count ON tags (file_count DESC, lower(name));
