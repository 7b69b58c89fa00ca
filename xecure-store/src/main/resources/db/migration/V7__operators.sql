-- Operators (SPEC §10): named accounts of the admin API and the console, each with a role, and
-- their bearer credentials. Only hashes are kept: the password as an Argon2id PHC string
-- ($argon2id$v=19$m=...,t=...,p=...$salt$hash), each token as the SHA-256 of its plaintext.
--
-- Emails are stored lower case, so the UNIQUE constraint is a case-insensitive one on both
-- databases. An operator deleted is gone with its tokens: audit events keep its id as the actor.
CREATE TABLE operators (
    id            VARCHAR(64)              NOT NULL PRIMARY KEY,
    email         VARCHAR(320)             NOT NULL,
    name          VARCHAR(255)             NOT NULL,
    role          VARCHAR(16)              NOT NULL,
    disabled      BOOLEAN                  NOT NULL,
    password_hash VARCHAR(255),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT operators_email_unique UNIQUE (email),
    CONSTRAINT operators_role CHECK (role IN ('owner', 'operator', 'auditor'))
);

-- kind 'token': a personal API token, valid until revoked; kind 'session': a console sign-in,
-- valid until expires_at and while used within the idle timeout (checked by the application).
CREATE TABLE operator_tokens (
    id           VARCHAR(64)              NOT NULL PRIMARY KEY,
    operator_id  VARCHAR(64)              NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    kind         VARCHAR(16)              NOT NULL,
    name         VARCHAR(255)             NOT NULL,
    hash         VARCHAR(64)              NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE,
    last_used_at TIMESTAMP WITH TIME ZONE,
    revoked_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT operator_tokens_hash_unique UNIQUE (hash),
    CONSTRAINT operator_tokens_hash_hex CHECK (CHAR_LENGTH(hash) = 64 AND hash = LOWER(hash)),
    CONSTRAINT operator_tokens_kind CHECK (kind IN ('token', 'session'))
);

CREATE INDEX operator_tokens_operator ON operator_tokens (operator_id, kind, id);
