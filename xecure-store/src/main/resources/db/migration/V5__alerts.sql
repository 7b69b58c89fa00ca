-- Alerts (SPEC §7): anomalies raised by the detectors, listed and acknowledged through the admin
-- API. One open alert per (type, subject): while it is open, new occurrences count into it
-- (count, last_seen, detail) rather than opening another; once acknowledged, the next occurrence
-- opens a new alert.
--
-- open_key is 'type subject' while the alert is open and NULL once it is acknowledged. Its UNIQUE
-- constraint is what keeps one open alert per (type, subject) across every node sharing the
-- database: a partial unique index would say the same, but H2 has none, and both databases allow
-- any number of NULLs in a UNIQUE column.
--
-- subject is a client IP or network, a key id or a developer id: never a plaintext key.
CREATE TABLE alerts (
    id         VARCHAR(64)              NOT NULL PRIMARY KEY,
    type       VARCHAR(32)              NOT NULL,
    subject    VARCHAR(255)             NOT NULL,
    detail     VARCHAR                  NOT NULL,
    first_seen TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
    count      BIGINT                   NOT NULL,
    status     VARCHAR(16)              NOT NULL,
    acked_at   TIMESTAMP WITH TIME ZONE,
    acked_by   VARCHAR(255),
    open_key   VARCHAR(300),
    CONSTRAINT alerts_open_key_unique UNIQUE (open_key),
    CONSTRAINT alerts_status CHECK (status IN ('open', 'acknowledged')),
    CONSTRAINT alerts_open_key_while_open CHECK ((status = 'open') = (open_key IS NOT NULL)),
    CONSTRAINT alerts_count CHECK (count >= 1)
);

-- GET /admin/alerts?status=&type= pages newest first (by id, which grows with first_seen)
CREATE INDEX alerts_status_id ON alerts (status, id);
CREATE INDEX alerts_type_id ON alerts (type, id);
