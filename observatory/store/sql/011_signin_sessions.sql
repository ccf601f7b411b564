-- Sign-in throttling that is atomic and bounded, staff sessions that survive a reload, trusted devices.
--
-- signin_attempts is rebuilt: it now keeps attempts on existing accounts only (a name that is not an
-- account is never stored; refusals of those are counted in a once-a-minute audit summary), and an
-- attempt is reserved ('pending') in the same transaction that decides the throttle, then settled
-- ('ok' or 'failed'), so concurrent guesses cannot all pass the check. The old rows were throttle state
-- only (each has its audit line) and may hold names of any length typed by anyone: they are dropped.
DROP TABLE signin_attempts;
CREATE SEQUENCE signin_attempt_ids START 1;
CREATE TABLE signin_attempts (
    id BIGINT PRIMARY KEY DEFAULT nextval('signin_attempt_ids'),
    attempted_at TIMESTAMP NOT NULL,
    name VARCHAR NOT NULL,          -- an account name (at most 64 characters)
    device VARCHAR,                 -- digest of the trusted-device token the attempt came with, if any
    outcome VARCHAR NOT NULL        -- 'pending', 'ok', 'failed', or 'cleared' (an admin lifted a lock)
);

-- A signed-in staff session: the browser holds the token in an HttpOnly cookie, the store its SHA-256.
CREATE TABLE staff_sessions (
    token_digest VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    end_reason VARCHAR
);

-- Browsers an account signed in from: their own throttle count, so a stranger's guesses cannot lock
-- the owner out of a browser they already use.
CREATE TABLE trusted_devices (
    token_digest VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used TIMESTAMP NOT NULL
);
