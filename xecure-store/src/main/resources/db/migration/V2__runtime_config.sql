-- Runtime changes to APIs and plans made through the admin API (PUT/DELETE /admin/apis/{name},
-- PUT /admin/plans/{name}), applied over the configuration file's definitions at start-up.
--
-- config is the API or plan as JSON in the file's shape; NULL marks an API deleted at run time.
-- base fingerprints the file's definition the change replaced ('absent' when the file had none):
-- once the file's definition differs, the file wins again and the row is dropped, so the file
-- stays the declarative source for those who deploy it from git.
CREATE TABLE runtime_config (
    kind       VARCHAR(8)               NOT NULL,
    name       VARCHAR(64)              NOT NULL,
    config     VARCHAR,
    base       VARCHAR(64)              NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (kind, name),
    CONSTRAINT runtime_config_kind CHECK (kind IN ('api', 'plan'))
);
