-- midi-catalog schema v4: file counts for the browse lists and for tags, kept by triggers.
--
-- Why count tables: a GROUP BY over 1M files for the manufacturer list costs 85-215 ms p50, and
-- "tags with counts" as a GROUP BY over file_tags 64-78 ms (measured, TrackBenchmark); a
-- browser asks for these lists at every start. Statement-level triggers with transition tables
-- (PostgreSQL 10+) fold a whole COPY or INSERT ... SELECT into one delta row per distinct value,
-- so an import pays per statement, not per row (measured: no difference beyond noise on 200K
-- generated rows, 8.2-8.5K rows/s with the triggers, 7.9-9.0K without).
--
-- Append-only deltas, summed when read and compacted now and then (the design of V2's search
-- counts, for the same reason): concurrent import transactions never wait for each other on a hot
-- counter row, which an UPSERT of one row per value would make them do until commit.

-- ---------------------------------------------------------------------------------------------
-- Browse counts, one delta row per (dimension, value) per write statement. Absent values are ''.
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
    files     bigint NOT NULL
);
-- serves: every browse list (WHERE dimension = .. [AND a = ..] GROUP BY a, b), compaction
CREATE INDEX browse_counts_dimension ON browse_counts (dimension, a, b);

-- Tag file counts, one delta row per tag per write statement on file_tags. No foreign key: the
-- deltas of a tag's cascaded file_tags deletes arrive after the tag row is gone; readers join
-- tags, and compaction drops the rows of deleted tags.
CREATE TABLE tag_file_counts (
    tag_id bigint NOT NULL,
    files  bigint NOT NULL
);
-- serves: tags with counts, autocomplete counts (sum per tag_id), compaction
CREATE INDEX tag_file_counts_tag ON tag_file_counts (tag_id);

-- Folds the deltas into one row per value. A few ms; one caller at a time, others skip.
CREATE FUNCTION browse_compact_counts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('midi_catalog.browse_compact_counts')) THEN
        RETURN;
    END IF;
    WITH gone AS (DELETE FROM browse_counts RETURNING dimension, a, b, files)
    INSERT INTO browse_counts (dimension, a, b, files)
    SELECT dimension, a, b, sum(files) FROM gone GROUP BY dimension, a, b HAVING sum(files) <> 0;
    WITH gone AS (DELETE FROM tag_file_counts RETURNING tag_id, files)
    INSERT INTO tag_file_counts (tag_id, files)
    SELECT g.tag_id, sum(g.files) FROM gone g
     WHERE EXISTS (SELECT 1 FROM tags t WHERE t.id = g.tag_id)
     GROUP BY g.tag_id HAVING sum(g.files) <> 0;
END $$;

-- Adds grouped file deltas (one element per distinct value combination, n = +/- files).
CREATE FUNCTION browse_counts_add(m text[], c text[], k smallint[], cat smallint[], tn smallint[],
                                  td smallint[], n bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO browse_counts (dimension, a, b, files)
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
$$;

-- Files per value combination of the rows a statement wrote (n = +/- files), in arrays.
CREATE FUNCTION browse_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- new_rows / old_rows exist only for the events whose trigger declares them, hence three
    -- branches. An UPDATE that changes no counted column nets to zero and writes nothing.
    IF TG_OP = 'INSERT' THEN
        PERFORM browse_counts_add(array_agg(m), array_agg(c), array_agg(k), array_agg(cat),
                                  array_agg(tn), array_agg(td), array_agg(n))
           FROM (SELECT manufacturer m, collection c, key_code k, category cat, time_sig_num tn,
                        time_sig_den td, count(*) n
                   FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6) g;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM browse_counts_add(array_agg(m), array_agg(c), array_agg(k), array_agg(cat),
                                  array_agg(tn), array_agg(td), array_agg(-n))
           FROM (SELECT manufacturer m, collection c, key_code k, category cat, time_sig_num tn,
                        time_sig_den td, count(*) n
                   FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6) g;
    ELSE
        PERFORM browse_counts_add(array_agg(m), array_agg(c), array_agg(k), array_agg(cat),
                                  array_agg(tn), array_agg(td), array_agg(n))
           FROM (SELECT m, c, k, cat, tn, td, sum(n) n
                   FROM (SELECT manufacturer m, collection c, key_code k, category cat, time_sig_num tn,
                                time_sig_den td, 1 n FROM new_rows
                         UNION ALL
                         SELECT manufacturer, collection, key_code, category, time_sig_num, time_sig_den, -1
                           FROM old_rows) u
                  GROUP BY 1, 2, 3, 4, 5, 6) g;
    END IF;
    -- compaction costs a few ms; 1 in 20 write statements keeps the delta rows few
    IF random() < 0.05 THEN
        PERFORM browse_compact_counts();
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

-- Counts of the files already in the catalog when this migration runs.
SELECT browse_counts_add(array_agg(m), array_agg(c), array_agg(k), array_agg(cat), array_agg(tn),
                         array_agg(td), array_agg(n))
  FROM (SELECT manufacturer m, collection c, key_code k, category cat, time_sig_num tn, time_sig_den td,
               count(*) n
          FROM files GROUP BY 1, 2, 3, 4, 5, 6) g;

-- Tag deltas; only for tags that still exist (see tag_file_counts).
CREATE FUNCTION tag_counts_add(tag_ids bigint[], n bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO tag_file_counts (tag_id, files)
    SELECT u.tag_id, sum(u.n) FROM unnest(tag_ids, n) AS u(tag_id, n)
     WHERE EXISTS (SELECT 1 FROM tags t WHERE t.id = u.tag_id)
     GROUP BY u.tag_id HAVING sum(u.n) <> 0
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
    IF random() < 0.05 THEN
        PERFORM browse_compact_counts();
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER file_tags_counts_insert AFTER INSERT ON file_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tag_counts_track();
CREATE TRIGGER file_tags_counts_update AFTER UPDATE ON file_tags
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tag_counts_track();
CREATE TRIGGER file_tags_counts_delete AFTER DELETE ON file_tags
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tag_counts_track();

INSERT INTO tag_file_counts (tag_id, files) SELECT tag_id, count(*) FROM file_tags GROUP BY tag_id;
