-- Cluster mode (SPEC §8): the change feed and the nodes sharing this database.
--
-- change_sequence holds one row, the sequence of the latest change. A writer adds to it in the
-- same transaction as the change it records, as the last statement before committing: the row
-- lock it takes is held until it commits, so sequences are handed out in commit order and without
-- gaps (a rolled back writer gives its numbers back). A plain sequence or identity would not do:
-- a reader could see sequence 8 committed while 7, taken earlier, is still in flight, and skip it.
CREATE TABLE change_sequence (
    id       INTEGER NOT NULL PRIMARY KEY,
    last_seq BIGINT  NOT NULL,
    CONSTRAINT change_sequence_one_row CHECK (id = 1)
);

INSERT INTO change_sequence (id, last_seq) VALUES (1, 0);

-- One row per change: what changed (a key, a developer, an API or a plan by name), not how. A node
-- applying it reads the row's current state.
CREATE TABLE changes (
    seq        BIGINT                   NOT NULL PRIMARY KEY,
    subject    VARCHAR(16)              NOT NULL,
    subject_id VARCHAR(64)              NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT changes_subject CHECK (subject IN ('key', 'developer', 'api', 'plan'))
);

-- Every gateway node's heartbeat, for GET /admin/nodes and for counting live nodes.
CREATE TABLE nodes (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    address         VARCHAR(255)             NOT NULL,
    version         VARCHAR(64)              NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat  TIMESTAMP WITH TIME ZONE NOT NULL,
    applied_seq     BIGINT                   NOT NULL,
    key_count       BIGINT                   NOT NULL,
    redis           VARCHAR(16)              NOT NULL
);
