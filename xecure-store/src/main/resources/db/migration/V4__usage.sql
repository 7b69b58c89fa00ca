-- Usage roll-ups (SPEC §7): each node counts request events in memory per minute and adds its
-- counts to these rows in batches (UPDATE ... SET n = n + ?, else INSERT), so two flushes of the
-- same minute, or several nodes, add up in one row.
--
-- One row per dimension ('key': a key identity, so a rotated key continues its predecessor's
-- history; 'developer'; 'api'), id, minute and API. Key and developer rows are split by API and
-- carry their developer, so the finer rows also answer "this developer's usage per API" or
-- "this developer's keys" without a join.
--
-- epoch_minute counts minutes since 1970-01-01T00:00Z (PostgreSQL: to_timestamp(epoch_minute *
-- 60)) rather than being a TIMESTAMP: rolling minutes up to hours and UTC days is then integer
-- arithmetic ((epoch_minute / 60) * 60), the same on H2 and PostgreSQL, whatever the session's
-- time zone. (It is not called "minute": that is a reserved word in H2.)
--
-- Denials are counted per problem code in their own columns: one row stays one row, and a query
-- sums columns instead of joining. A code without a column is counted in denied_other.
-- Latency is the whole request's, in microseconds: the sum (divided by requests for the mean)
-- and the maximum.
CREATE TABLE usage_minute (
    dimension                  VARCHAR(16) NOT NULL,
    id                         VARCHAR(64) NOT NULL,
    epoch_minute               BIGINT      NOT NULL,
    api                        VARCHAR(64) NOT NULL,
    developer_id               VARCHAR(64),
    granted                    BIGINT      NOT NULL,
    denied                     BIGINT      NOT NULL,
    status_2xx                 BIGINT      NOT NULL,
    status_3xx                 BIGINT      NOT NULL,
    status_4xx                 BIGINT      NOT NULL,
    status_5xx                 BIGINT      NOT NULL,
    latency_sum_us             BIGINT      NOT NULL,
    latency_max_us             BIGINT      NOT NULL,
    denied_key_missing         BIGINT      NOT NULL,
    denied_key_invalid         BIGINT      NOT NULL,
    denied_developer_suspended BIGINT      NOT NULL,
    denied_insufficient_scope  BIGINT      NOT NULL,
    denied_ip_not_allowed      BIGINT      NOT NULL,
    denied_cors_rejected       BIGINT      NOT NULL,
    denied_rate_limited        BIGINT      NOT NULL,
    denied_quota_exceeded      BIGINT      NOT NULL,
    denied_too_many_failures   BIGINT      NOT NULL,
    denied_key_ambiguous       BIGINT      NOT NULL,
    denied_store_unavailable   BIGINT      NOT NULL,
    denied_body_too_large      BIGINT      NOT NULL,
    denied_bad_request         BIGINT      NOT NULL,
    denied_other               BIGINT      NOT NULL,
    -- one id over a time range (a key's, a developer's usage) reads a contiguous range
    PRIMARY KEY (dimension, id, epoch_minute, api),
    CONSTRAINT usage_minute_dimension CHECK (dimension IN ('key', 'developer', 'api'))
);

-- every id of a dimension over a time range (top keys, all APIs), and retention by age
CREATE INDEX usage_minute_time ON usage_minute (dimension, epoch_minute);
