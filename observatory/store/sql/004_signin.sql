-- Sign-in attempts, kept to throttle password guessing per account and per client. The name is the one
-- typed, which need not be an account; outcome is 'ok', 'failed' or 'throttled'.
CREATE TABLE signin_attempts (
    attempted_at TIMESTAMP NOT NULL,
    name VARCHAR NOT NULL,
    client VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL
);
