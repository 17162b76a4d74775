-- 0002: each stream's owner (plugin.h "Stream owners", ABI 1.3): the tenant_id of its version-1
-- event, kept on the stream's row, which the writer reads anyway to decide an append and a stream
-- read reads anyway for its paging summary (docs/sqlite-backend.md, "Stream owners").
--
-- SQLite cannot add a NOT NULL column without a default, so the table is made anew, the SQLite
-- way (sqlite.org/lang_altertable.html): streams written before this migration get the tenant of
-- their first event. A stream without a version-1 event would fail the NOT NULL and the migration
-- (no append ever writes one).
CREATE TABLE streams_with_owners (
    stream_id       BLOB    PRIMARY KEY,
    current_version INTEGER NOT NULL CHECK (current_version >= 1),
    owner           BLOB    NOT NULL
) WITHOUT ROWID;
INSERT INTO streams_with_owners (stream_id, current_version, owner)
SELECT s.stream_id, s.current_version, e.tenant_id
FROM streams s LEFT JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = 1;
DROP TABLE streams;
ALTER TABLE streams_with_owners RENAME TO streams;
