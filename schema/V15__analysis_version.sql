-- midi-catalog schema v15: the files whose stored facts an older analysis computed.
--
-- Why: an import skips a file whose path, size and mtime are unchanged, so a library upgrade that
-- reads files better (the reader, the musical analysis, the rules that read BPM, key and category
-- from names) never reached the files already in a catalog: "I Am Free.mid", stored in A minor
-- by the name rule before this version, stayed in A minor for good. Now an import reads again, as
-- a file changed in place, every unchanged file listed in files_outdated whose primary path it
-- walks; its id, tags, favorites and hand-set values stay, and it leaves the list. Failures ("not
-- a MIDI file") carry the version of the reader that gave them, and an import reads again those
-- an older reader gave (io.midicatalog.importer.ImportRun.ANALYSIS_VERSION).
--
-- Version 2 changed name rules (io.midicatalog.importer.PathIntelligence): two-letter key tokens
-- (Am, Em, FM, GM) count only where a name reads as a loop's, a bare tonic only after a plausible
-- tempo, and a number after a work, track or volume word (No 104, Op 109, Vol 120) is no tempo.
-- Only the files whose names those rules may read differently are listed: a superset of them,
-- found by pattern, so an upgraded catalog reads those files again, not all of them (the patterns
-- use no [:alpha:] boundary: what it calls a letter depends on the database's locale, and a
-- character Java calls no letter, such as U+2160, may be one to it). The reader
-- of version 2 also reads files wrapped in a MacBinary header, so every earlier failure is read
-- again once.
--
-- A later change that alters stored facts lists the files it affects with a migration (all of
-- them when the reader or the analysis of notes changed); one that changes what the reader
-- accepts also raises the default of import_failures.analysis_version and ANALYSIS_VERSION to
-- match (ImporterTest checks they agree).
--
-- Why a list and not a version column on files: marking a file would rewrite its row, and with
-- a column in an index predicate every such update would add an entry to each of files' indexes;
-- the list costs one small row per outdated file and nothing once they are read again.

CREATE TABLE files_outdated (
    file_id bigint PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE
);

INSERT INTO files_outdated (file_id)
SELECT id FROM files
 WHERE filename ~ '(^|[^[:alnum:]])[A-G][mM]([^[:alnum:]]|$)'           -- a two-letter key token
    OR filename ~ '[0-9]{2,3}([bB][pP][mM])?[^[:alnum:]#]+[A-G][#b]?([^[:alnum:]#]|$)' -- a tonic after a number
    OR filename ~* '(^|[^A-Za-z])(no|nr|num|number|op|opus|bwv|k|kv|hob|rv|hwv|woo|symphony|sonata|concerto|psalm|hymn|track|trk|take|part|pt|vol|volume|disc|cd|chapter|episode|level|map|stage|act|scene|bank|preset|patch|program|page)[^[:alnum:]]*[0-9]{2,3}([^0-9]|$)';

-- every failure so far was an older reader's verdict (version 2 reads MacBinary-wrapped files)
ALTER TABLE import_failures ADD COLUMN analysis_version smallint NOT NULL DEFAULT 1;
ALTER TABLE import_failures ALTER COLUMN analysis_version SET DEFAULT 2;
