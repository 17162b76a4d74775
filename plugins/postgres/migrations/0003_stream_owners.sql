-- 0003: each stream's owner (plugin.h "Stream owners", ABI 1.3): the tenant_id of its version-1
-- event, kept on the stream's row, which every append already locks and every stream read
-- already reads, so checking it costs no statement (statements.hpp; docs/postgres-backend.md,
-- "Stream owners"). Runs with search_path set to the store's schema.

ALTER TABLE streams ADD COLUMN owner text;

-- Streams written before this migration: the tenant of their first event.
UPDATE streams s SET owner = e.tenant_id
FROM events e WHERE e.stream_id = s.stream_id AND e.stream_version = 1;

-- A stream with events has its owner. Only the careful append's lock statement makes a row
-- without one (at version 0, inside its transaction): its write gives the row its owner and first
-- version in one UPDATE, or deletes it.
ALTER TABLE streams ADD CONSTRAINT streams_with_events_have_an_owner
    CHECK (owner IS NOT NULL OR current_version = 0);
