-- 0001: the event log and each stream's current version.
--
-- Text fields are stored as blobs, byte for byte as given (the plugin binds every field as a blob):
-- comparisons are then plain byte comparisons, and a NUL byte round-trips. headers: for each
-- header in order, a 4-byte big-endian key length, the key, a 4-byte big-endian value length,
-- the value (eventstore/header_codec.hpp; empty for an event without headers).

-- Every event, append-only. global_position is the rowid: the log is stored in position order.
CREATE TABLE events (
    global_position INTEGER PRIMARY KEY CHECK (global_position >= 1),
    stream_id       BLOB    NOT NULL,
    stream_version  INTEGER NOT NULL CHECK (stream_version >= 1),
    event_id        BLOB    NOT NULL UNIQUE,
    type_name       BLOB    NOT NULL,
    content_type    BLOB    NOT NULL,
    tenant_id       BLOB    NOT NULL,
    correlation_id  BLOB    NOT NULL,
    causation_id    BLOB    NOT NULL,
    headers         BLOB    NOT NULL,
    payload         BLOB    NOT NULL,
    recorded_at_us  INTEGER NOT NULL,
    UNIQUE (stream_id, stream_version)
);

-- One row per stream that has events: its current (last) version.
CREATE TABLE streams (
    stream_id       BLOB    PRIMARY KEY,
    current_version INTEGER NOT NULL CHECK (current_version >= 1)
) WITHOUT ROWID;

-- Stored events never change.
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the events table is append-only (UPDATE refused)');
END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the events table is append-only (DELETE refused)');
END;
