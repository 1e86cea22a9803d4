-- Staff accounts. One access level: every enabled user may do everything.
-- Usernames are ASCII (checked by the admin tool) and compared case-insensitively (NOCASE folds ASCII).
CREATE TABLE users (
    id                     INTEGER NOT NULL PRIMARY KEY,
    username               TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 1 AND 64),
    password_hash          TEXT    NOT NULL,  -- argon2id, PHC string format
    created_at             INTEGER NOT NULL,
    -- Tokens issued before this instant are refused: a new password (or a re-created account)
    -- ends every earlier session.
    credentials_changed_at INTEGER NOT NULL,
    failed_attempts        INTEGER NOT NULL DEFAULT 0,  -- consecutive failed logins
    locked_until           INTEGER,                     -- Unix seconds; NULL when not locked
    disabled               INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);
