-- Usage per hour and per UTC day (issue 10): a chart over a day, a week or a month reads these
-- instead of every minute row of the range. Each has the columns of usage_minute (V4); its
-- epoch_minute is the first minute of the hour (a multiple of 60) or of the UTC day (a multiple of
-- 1440), so the three tables answer the same SQL, and a query whose range starts and ends on an
-- hour (a day) reads the same minutes from usage_hour (usage_day) as from usage_minute.
--
-- They are written in the transaction that adds the minute rows, with the same counts
-- (n = n + ?, latency_max_us = GREATEST(...)): the three never disagree, and the hour and the
-- day in progress are as current as the minute. Retention deletes each on its own schedule.
CREATE TABLE usage_hour (
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
    PRIMARY KEY (dimension, id, epoch_minute, api),
    CONSTRAINT usage_hour_dimension CHECK (dimension IN ('key', 'developer', 'api')),
    CONSTRAINT usage_hour_aligned CHECK (MOD(epoch_minute, 60) = 0)
);

-- Ranking every id of a dimension over a range (top keys, all APIs) adds up one or two columns of
-- each row in the range: the index holds every column that query reads, so it reads the index
-- alone (PostgreSQL: an index-only scan of the pages vacuum has marked visible), a fifth of the
-- row's width. Retention by age reads it too.
CREATE INDEX usage_hour_rank ON usage_hour (dimension, epoch_minute, id, api, developer_id, granted, denied);
-- one developer's keys or APIs over a time range, without reading every other developer's rows
CREATE INDEX usage_hour_developer ON usage_hour (dimension, developer_id, epoch_minute);

CREATE TABLE usage_day (
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
    PRIMARY KEY (dimension, id, epoch_minute, api),
    CONSTRAINT usage_day_dimension CHECK (dimension IN ('key', 'developer', 'api')),
    CONSTRAINT usage_day_aligned CHECK (MOD(epoch_minute, 1440) = 0)
);

CREATE INDEX usage_day_rank ON usage_day (dimension, epoch_minute, id, api, developer_id, granted, denied);
CREATE INDEX usage_day_developer ON usage_day (dimension, developer_id, epoch_minute);

-- Usage already counted: each hour and day rolled up from its minute rows.
INSERT INTO usage_hour
SELECT dimension, id, (epoch_minute / 60) * 60, api, MAX(developer_id),
       SUM(granted), SUM(denied), SUM(status_2xx), SUM(status_3xx), SUM(status_4xx),
       SUM(status_5xx), SUM(latency_sum_us), MAX(latency_max_us), SUM(denied_key_missing),
       SUM(denied_key_invalid), SUM(denied_developer_suspended), SUM(denied_insufficient_scope),
       SUM(denied_ip_not_allowed), SUM(denied_cors_rejected), SUM(denied_rate_limited),
       SUM(denied_quota_exceeded), SUM(denied_too_many_failures), SUM(denied_key_ambiguous),
       SUM(denied_store_unavailable), SUM(denied_body_too_large), SUM(denied_bad_request),
       SUM(denied_other)
FROM usage_minute
GROUP BY dimension, id, (epoch_minute / 60) * 60, api;

INSERT INTO usage_day
SELECT dimension, id, (epoch_minute / 1440) * 1440, api, MAX(developer_id),
       SUM(granted), SUM(denied), SUM(status_2xx), SUM(status_3xx), SUM(status_4xx),
       SUM(status_5xx), SUM(latency_sum_us), MAX(latency_max_us), SUM(denied_key_missing),
       SUM(denied_key_invalid), SUM(denied_developer_suspended), SUM(denied_insufficient_scope),
       SUM(denied_ip_not_allowed), SUM(denied_cors_rejected), SUM(denied_rate_limited),
       SUM(denied_quota_exceeded), SUM(denied_too_many_failures), SUM(denied_key_ambiguous),
       SUM(denied_store_unavailable), SUM(denied_body_too_large), SUM(denied_bad_request),
       SUM(denied_other)
FROM usage_minute
GROUP BY dimension, id, (epoch_minute / 1440) * 1440, api;

-- Request events of one key, newest first (GET /admin/events?key=): the index holds the list's
-- whole order after the key, so a page is read from it, a cursor's page included, however rare
-- the key's events are among the others (on the time index, a page of a key with 1 event in
-- 20,000 read a million rows: 1.6 to 2 s at 10 million events). It is paid on every event
-- written: on H2 it doubles the store's CPU per event (24-27 us to 46-52 us in paired runs of the
-- event writer benchmark, as V3 found for request_id); on PostgreSQL the difference was within
-- the noise of a loaded machine. It is the only one:
-- - a developer has many keys, so its events are a larger share, and its page is found on the
--   time index after a few thousand rows (tens of ms at 10 million events, 1,000 developers);
-- - the APIs are few, each a large share of the events.
-- A developer or an API with very few events among many others is the case left slow.
CREATE INDEX request_events_key ON request_events (key_id, occurred_at, seq);
