-- How far each events file is stored, for the indexer that tails the gateway's JSON-lines events
-- file into the store.
--
-- The indexer stores a run of events and the byte offset of the file it read them up to in one
-- transaction: after a crash the store holds exactly the events before the offset recorded here,
-- so the indexer reads on from that offset and stores every event of the file once. A batch id per
-- run (V3) would not do: the runs read again after a crash need not be cut where they were before.
-- file_id names a file for good, whatever it is renamed to when it rolls over.
--
-- stored_at is the last time the offset moved: retention deletes the rows of files idle for longer
-- than events are kept, together with old event_batches rows.
CREATE TABLE events_file_positions (
    file_id      VARCHAR(64)              NOT NULL PRIMARY KEY,
    stored_up_to BIGINT                   NOT NULL,
    stored_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
