-- 0004: the stream lifecycle (plugin.h "Stream lifecycle", ABI 1.5; docs/postgres-backend.md,
-- "Stream lifecycle"). Each stream's row, which every append already locks, gets the state that
-- decides which of its events are readable; the owner is already there (0003) and outlives the
-- events. current_version is the stream's last_version: it never goes back. Runs with search_path
-- set to the store's schema.

ALTER TABLE streams
    ADD COLUMN truncate_before bigint  NOT NULL DEFAULT 0 CHECK (truncate_before >= 0),
    ADD COLUMN tombstoned      boolean NOT NULL DEFAULT false,
    ADD COLUMN max_count       bigint  NOT NULL DEFAULT 0 CHECK (max_count >= 0),
    ADD COLUMN max_age_us      bigint  NOT NULL DEFAULT 0 CHECK (max_age_us >= 0);

-- The streams with a retention, for read_all's filter and the background sweep.
CREATE INDEX streams_with_retention ON streams (stream_id) WHERE max_count > 0 OR max_age_us > 0;

-- Stored events still never change, and only the store removes them: a DELETE passes only in a
-- transaction that set eventstore.removing (the store's change_stream and sweep do).
CREATE OR REPLACE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('eventstore.removing', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the events table is append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
