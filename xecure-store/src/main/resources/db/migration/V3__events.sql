-- Events, delivered exactly once and listed page by page (GET /admin/events).
--
-- A batch of request events may reach the store twice: the recorder deletes a spooled batch only
-- after the store committed it, so a crash between the two delivers it again at the next start,
-- and a commit whose answer was lost is spooled and delivered again. Every batch carries an id,
-- stored in the same transaction as its events: a batch whose id is here is skipped whole.
-- One row per batch instead of a unique index on request_id: a random key in a per-event index
-- doubled the cost of writing an event on H2.
CREATE TABLE event_batches (
    batch_id  VARCHAR(64)              NOT NULL PRIMARY KEY,
    stored_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Lists are newest first by (occurred_at, seq) and page on that pair: the index covers the whole
-- order, so a page is read from the index instead of sorting the table. It replaces the index on
-- occurred_at alone (retention deletes by time use it too): no extra index on the write path.
DROP INDEX request_events_time;
CREATE INDEX request_events_time ON request_events (occurred_at, seq);
DROP INDEX admin_events_time;
CREATE INDEX admin_events_time ON admin_events (occurred_at, seq);
