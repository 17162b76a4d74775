-- 0003: the stream lifecycle (plugin.h "Stream lifecycle", ABI 1.5; docs/sqlite-backend.md,
-- "Stream lifecycle").
--
-- streams: a row may now have no events (current_version 0, owner NULL: a name tombstoned before
-- its first event), and carries truncate_before (versions below it are removed; 0 = never
-- changed) and tombstoned (1: no append or change ever again). The owner stays on the row, so it
-- outlives the events. SQLite cannot relax a CHECK, so the table is made anew, as in 0002.
CREATE TABLE streams_with_lifecycle (
    stream_id       BLOB    PRIMARY KEY,
    current_version INTEGER NOT NULL CHECK (current_version >= 0),
    owner           BLOB    CHECK (owner IS NOT NULL OR current_version = 0),
    truncate_before INTEGER NOT NULL DEFAULT 0 CHECK (truncate_before >= 0),
    tombstoned      INTEGER NOT NULL DEFAULT 0 CHECK (tombstoned IN (0, 1))
) WITHOUT ROWID;
INSERT INTO streams_with_lifecycle (stream_id, current_version, owner)
SELECT stream_id, current_version, owner FROM streams;
DROP TABLE streams;
ALTER TABLE streams_with_lifecycle RENAME TO streams;

-- Retention, one row per stream that has a limit (max_count or max_age_us not 0), and only those:
-- reads look every event up here, and an empty table costs them nothing. A stream may have a row
-- before its first event.
CREATE TABLE retention (
    stream_id  BLOB    PRIMARY KEY,
    max_count  INTEGER NOT NULL CHECK (max_count >= 0),
    max_age_us INTEGER NOT NULL CHECK (max_age_us >= 0),
    CHECK (max_count > 0 OR max_age_us > 0)
) WITHOUT ROWID;

-- The highest position removed so far and that event's recorded_at (trigger below): removing the
-- last events must not give their positions again, so the head at open is the higher of this and
-- the last event's position.
CREATE TABLE log_head (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    global_position INTEGER NOT NULL,
    recorded_at_us  INTEGER NOT NULL
);
INSERT INTO log_head (id, global_position, recorded_at_us) VALUES (1, 0, 0);

-- Events are removed now (by the writer only: delete, tombstone, truncate, retention); they still
-- never change.
DROP TRIGGER events_are_append_only_delete;

-- Keeps log_head at the highest position removed so far (the writer's head at open is the higher
-- of it and the last event's).
CREATE TRIGGER events_keep_the_head AFTER DELETE ON events
WHEN old.global_position > (SELECT global_position FROM log_head)
BEGIN
    UPDATE log_head SET global_position = old.global_position, recorded_at_us = old.recorded_at_us;
END;
