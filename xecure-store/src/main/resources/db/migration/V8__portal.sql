-- The developer portal (SPEC §10): developers invited by an operator set a password, sign in on
-- the portal's own listener and manage their own keys within what operators allow them.
-- Only hashes are kept: the password as an Argon2id PHC string, each invitation and session token
-- as the SHA-256 of its plaintext. Emails are stored lower case, so UNIQUE is case-insensitive.

-- one account per developer; it goes with neither: a deleted or suspended developer keeps its row
-- but cannot sign in (checked by the application on every request)
CREATE TABLE portal_accounts (
    developer_id  VARCHAR(64)              NOT NULL PRIMARY KEY REFERENCES developers (id),
    email         VARCHAR(320)             NOT NULL,
    password_hash VARCHAR(255)             NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT portal_accounts_email_unique UNIQUE (email)
);

-- single use: used_at is set once, in the transaction that sets the account
CREATE TABLE portal_invitations (
    id           VARCHAR(64)              NOT NULL PRIMARY KEY,
    developer_id VARCHAR(64)              NOT NULL REFERENCES developers (id),
    hash         VARCHAR(64)              NOT NULL,
    created_by   VARCHAR(255)             NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT portal_invitations_hash_unique UNIQUE (hash),
    CONSTRAINT portal_invitations_hash_hex CHECK (CHAR_LENGTH(hash) = 64 AND hash = LOWER(hash))
);

CREATE INDEX portal_invitations_developer ON portal_invitations (developer_id);

-- valid until expires_at (absolute timeout), while used within the idle timeout and not revoked
CREATE TABLE portal_sessions (
    id           VARCHAR(64)              NOT NULL PRIMARY KEY,
    developer_id VARCHAR(64)              NOT NULL REFERENCES developers (id),
    hash         VARCHAR(64)              NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT portal_sessions_hash_unique UNIQUE (hash),
    CONSTRAINT portal_sessions_hash_hex CHECK (CHAR_LENGTH(hash) = 64 AND hash = LOWER(hash))
);

CREATE INDEX portal_sessions_developer ON portal_sessions (developer_id);

-- what operators allow a developer to create in the portal; no row: nothing
CREATE TABLE portal_allowances (
    developer_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES developers (id),
    -- JSON arrays of strings, as in api_keys
    apis         VARCHAR     NOT NULL,
    scopes       VARCHAR     NOT NULL,
    max_keys     INTEGER     NOT NULL,
    plan         VARCHAR(64),
    CONSTRAINT portal_allowances_max_keys CHECK (max_keys >= 0)
);
