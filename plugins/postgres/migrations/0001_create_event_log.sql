-- 0001: the event log, each stream's current version, and the head of the log.
-- Runs with search_path set to the store's schema (options.schema).

-- Every event, append-only. Text columns hold UTF-8 as given; headers and payload are bytea so
-- that they round-trip byte for byte (jsonb would reorder keys and refuse \u0000).
-- headers: for each header in order, a 4-byte big-endian key length, the key bytes, a 4-byte
-- big-endian value length, the value bytes (empty for an event without headers).
CREATE TABLE events (
    global_position bigint      PRIMARY KEY CHECK (global_position >= 1),
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL CHECK (stream_version >= 1),
    event_id        text        NOT NULL UNIQUE,
    type_name       text        NOT NULL,
    content_type    text        NOT NULL,
    tenant_id       text        NOT NULL,
    correlation_id  text        NOT NULL,
    causation_id    text        NOT NULL,
    headers         bytea       NOT NULL,
    payload         bytea       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    UNIQUE (stream_id, stream_version)
);

-- One row per stream that has events: its current (last) version. Appends lock this row to
-- decide their expected-version check.
CREATE TABLE streams (
    stream_id       text   PRIMARY KEY,
    current_version bigint NOT NULL CHECK (current_version >= 0)
);

-- One row: the last global position handed out and the last recorded_at. Appends lock it to
-- number their events, so transactions commit in position order (docs/postgres-backend.md).
CREATE TABLE head (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    position    bigint      NOT NULL,
    recorded_at timestamptz NOT NULL
);
INSERT INTO head (position, recorded_at) VALUES (0, '-infinity');

-- Stored events never change: the log is append-only.
CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the events table is append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER events_are_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change();
