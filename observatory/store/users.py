"""Named reads and writes for accounts, sign-in attempts, staff sessions, trusted devices, the audit log.

Each write is one transaction and, where it changes an account, appends its audit line in that same
transaction, so an account never changes without a trace. Hashing and policy live in observatory.auth;
this module stores the values it is given, and keeps one invariant itself: a change never leaves the
store without an enabled admin once it had one (checked inside the writing transaction, so two admins
demoting each other at the same moment cannot both succeed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import duckdb
import pandas as pd

from observatory.domain import NotFound, ObservatoryError, Role
from observatory.store.connection import Store
from observatory.store.writes import _audit

_SELECT = "SELECT name, role, password_hash, created_at, disabled FROM users"
# Whole statements, not assembled: the column to change is picked from this table by the caller.
_UPDATES: dict[str, str] = {
    "disabled": "UPDATE users SET disabled = ? WHERE name = ?",
    "password_hash": "UPDATE users SET password_hash = ? WHERE name = ?",
}


class UserExists(ObservatoryError):
    """An account with that name already exists."""


class LastAdmin(ObservatoryError):
    """The change would leave no enabled admin account."""


@dataclass(frozen=True, slots=True)
class UserRecord:
    """One stored account."""

    name: str
    role: Role
    password_hash: str | None
    created_at: datetime
    disabled: bool


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _record(row: tuple[object, ...]) -> UserRecord:
    name, role, password_hash, created_at, disabled = row
    return UserRecord(
        str(name),
        Role(str(role)),
        None if password_hash is None else str(password_hash),
        created_at,  # type: ignore[arg-type]  # DuckDB returns TIMESTAMP as datetime
        bool(disabled),
    )


def get_user(store: Store, name: str) -> UserRecord:
    """The account called ``name``.

    Raises:
        NotFound: If there is none.
    """
    found = store.rows(_SELECT + " WHERE name = ?", [name])
    if not found:
        raise NotFound(f"no user called {name!r}")
    return _record(found[0])


def list_users(store: Store) -> list[UserRecord]:
    """Every account, by name."""
    return [_record(row) for row in store.rows(_SELECT + " ORDER BY name")]


def create_user(
    store: Store, name: str, role: Role, password_hash: str, *, actor: str, now: datetime | None = None
) -> None:
    """Add an account and its ``create user`` audit line.

    Raises:
        UserExists: If the name is taken.
    """
    with store.transaction() as cur:
        if cur.execute("SELECT count(*) FROM users WHERE name = ?", [name]).fetchall()[0][0]:
            raise UserExists(f"a user called {name!r} already exists")
        cur.execute(
            "INSERT INTO users (name, role, password_hash, created_at, disabled) VALUES (?, ?, ?, ?, false)",
            [name, role.value, password_hash, now or _now()],
        )
        _audit(cur, actor, "create user", f"{name} as {role.value}")


def _guard_last_admin(cur: duckdb.DuckDBPyConnection, name: str) -> None:
    """Refuse when ``name`` is the only enabled admin (called before it stops being one)."""
    others = cur.execute(
        "SELECT count(*) FROM users WHERE role = ? AND NOT disabled AND name <> ?", [Role.ADMIN.value, name]
    ).fetchall()[0][0]
    if not others:
        raise LastAdmin(f"{name!r} is the last enabled admin; make another admin first")


def _current(cur: duckdb.DuckDBPyConnection, name: str) -> tuple[Role, bool]:
    """The account's role and whether it is disabled, read inside the writing transaction."""
    found = cur.execute("SELECT role, disabled FROM users WHERE name = ?", [name]).fetchall()
    if not found:
        raise NotFound(f"no user called {name!r}")
    return Role(str(found[0][0])), bool(found[0][1])


def _update(
    store: Store,
    name: str,
    column: str,
    value: object,
    audit: tuple[str, str, str],
    *,
    removes_admin: bool = False,
) -> None:
    """Set one column of an existing account and write its audit line, in one transaction.

    With ``removes_admin`` the change takes the account out of the enabled admins (if it is one), so
    it is refused when no other enabled admin would remain.
    """
    with store.transaction() as cur:
        role, disabled = _current(cur, name)
        if removes_admin and role is Role.ADMIN and not disabled:
            _guard_last_admin(cur, name)
        cur.execute(_UPDATES[column], [value, name])
        if column == "password_hash" or value is True:
            # A disabled account or a new password ends every open session of the account.
            _end_sessions_of(cur, name, audit[1])
        _audit(cur, *audit)


def set_role(store: Store, name: str, role: Role, *, actor: str) -> None:
    """Change an account's role.

    Raises:
        NotFound: If there is no such account.
        LastAdmin: If it is the last enabled admin and the new role is not admin.
    """
    with store.transaction() as cur:
        before, disabled = _current(cur, name)
        if before is Role.ADMIN and role is not Role.ADMIN and not disabled:
            _guard_last_admin(cur, name)
        cur.execute("UPDATE users SET role = ? WHERE name = ?", [role.value, name])
        _audit(cur, actor, "change role", f"{name}: {before.value} -> {role.value}")


def set_disabled(store: Store, name: str, disabled: bool, *, actor: str) -> None:
    """Disable an account (it can no longer sign in) or enable it again.

    Raises:
        NotFound: If there is no such account.
        LastAdmin: If it is the last enabled admin and ``disabled`` is true.
    """
    action = "disable user" if disabled else "enable user"
    _update(store, name, "disabled", disabled, (actor, action, name), removes_admin=disabled)


def set_password_hash(store: Store, name: str, password_hash: str, *, actor: str) -> None:
    """Replace an account's password hash (a reset by an admin).

    Raises:
        NotFound: If there is no such account.
    """
    _update(store, name, "password_hash", password_hash, (actor, "reset password", name))


# --- Sign-in attempts on accounts: reserved and decided in one transaction, settled after the check. ---

_FAILURES = (
    "SELECT attempted_at FROM signin_attempts WHERE name = ? AND outcome IN ('pending', 'failed') "
    "AND attempted_at >= ? AND device IS NOT DISTINCT FROM ? AND id > coalesce((SELECT max(id) "
    "FROM signin_attempts WHERE name = ? "
    "AND (outcome = 'ok' OR (outcome = 'cleared' AND ?::VARCHAR IS NULL))), 0) "
    "ORDER BY attempted_at"
)
#: Attempt rows older than this are no longer read by any throttle (the audit log keeps them all).
KEEP_ATTEMPTS = timedelta(days=1)


def reserve_attempt(
    store: Store,
    name: str,
    *,
    device: str | None,
    at: datetime,
    since: datetime,
    throttled: Callable[[list[datetime]], bool],
) -> int | None:
    """Decide the throttle and reserve the attempt in one transaction; the reserved row's id, or None.

    The failures read are the account's (attempts without a trusted device) or, for an attempt that
    comes with a trusted device's digest, that device's own; both count since ``since`` and since the
    account's last success (an admin's ``cleared`` row also ends the account's count). A reserved
    attempt counts as a failure until it is settled, so concurrent guesses see each other: writers
    are serialised, and the check-then-insert happens under that one lock.
    """
    with store.transaction() as cur:
        cur.execute("DELETE FROM signin_attempts WHERE attempted_at < ?", [at - KEEP_ATTEMPTS])
        rows = cur.execute(_FAILURES, [name, since, device, name, device]).fetchall()
        if throttled([row[0] for row in rows]):
            return None
        found = cur.execute(
            "INSERT INTO signin_attempts (attempted_at, name, device, outcome) VALUES (?, ?, ?, 'pending') "
            "RETURNING id",
            [at, name, device],
        ).fetchall()
    return int(found[0][0])


def settle_attempt(
    store: Store,
    attempt: int,
    *,
    name: str,
    ok: bool,
    detail: str,
    new_hash: str | None = None,
) -> None:
    """Record how a reserved attempt ended, with its audit line; store ``new_hash`` when upgraded."""
    with store.transaction() as cur:
        cur.execute(
            "UPDATE signin_attempts SET outcome = ? WHERE id = ?", ["ok" if ok else "failed", attempt]
        )
        if new_hash is not None:
            cur.execute("UPDATE users SET password_hash = ? WHERE name = ?", [new_hash, name])
        _audit(cur, name, "sign-in" if ok else "failed sign-in", detail)


def clear_lockout(store: Store, name: str, *, actor: str, at: datetime) -> None:
    """End the account's failure count now (an admin lifting a lock), with its audit line.

    Raises:
        NotFound: If there is no such account.
    """
    with store.transaction() as cur:
        _current(cur, name)
        cur.execute(
            "INSERT INTO signin_attempts (attempted_at, name, device, outcome) "
            "VALUES (?, ?, NULL, 'cleared')",
            [at, name],
        )
        _audit(cur, actor, "clear sign-in lock", name)


def attempt_outcomes(store: Store, name: str) -> list[str]:
    """The outcomes of the stored attempts on ``name``, oldest first (for checks and tests)."""
    return [
        str(r[0])
        for r in store.rows("SELECT outcome FROM signin_attempts WHERE name = ? ORDER BY id", [name])
    ]


# --- Trusted devices: browsers an account signed in from, known by the digest of their cookie. ---


def trust_device(store: Store, name: str, digest: str, *, at: datetime) -> None:
    """Remember a browser ``name`` signed in from (a second sign-in from it refreshes its date)."""
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO trusted_devices (token_digest, name, created_at, last_used) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (token_digest) DO UPDATE SET last_used = excluded.last_used",
            [digest, name, at, at],
        )


def device_trusted(store: Store, name: str, digest: str, *, since: datetime) -> bool:
    """True when the browser with this digest signed in as ``name`` since ``since``."""
    found = store.scalar(
        "SELECT count(*) FROM trusted_devices WHERE token_digest = ? AND name = ? AND last_used >= ?",
        [digest, name, since],
    )
    return bool(found)


# --- Staff sessions: the server-side record behind the browser's session cookie. ---


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One staff session as stored (the token itself is never stored, only its digest)."""

    token_digest: str
    name: str
    started_at: datetime
    last_seen: datetime
    ended_at: datetime | None


_SESSION = "SELECT token_digest, name, started_at, last_seen, ended_at FROM staff_sessions"
#: Session records older than this are deleted when a new session starts (the audit log keeps them).
KEEP_SESSIONS = timedelta(days=31)


def _session(row: tuple[object, ...]) -> SessionRecord:
    digest, name, started_at, last_seen, ended_at = row
    return SessionRecord(str(digest), str(name), started_at, last_seen, ended_at)  # type: ignore[arg-type]


def create_session(store: Store, name: str, digest: str, *, at: datetime) -> None:
    """Start a session record for ``name`` (and forget records older than :data:`KEEP_SESSIONS`)."""
    with store.transaction() as cur:
        cur.execute("DELETE FROM staff_sessions WHERE started_at < ?", [at - KEEP_SESSIONS])
        cur.execute(
            "INSERT INTO staff_sessions (token_digest, name, started_at, last_seen) VALUES (?, ?, ?, ?)",
            [digest, name, at, at],
        )


def session_record(store: Store, digest: str) -> SessionRecord | None:
    """The session with this token digest, ended or not; None if there is none."""
    found = store.rows(_SESSION + " WHERE token_digest = ?", [digest])
    return _session(found[0]) if found else None


def touch_session(store: Store, digest: str, *, at: datetime) -> None:
    """Note that the session was used at ``at``."""
    with store.transaction() as cur:
        cur.execute(
            "UPDATE staff_sessions SET last_seen = ? WHERE token_digest = ? AND ended_at IS NULL",
            [at, digest],
        )


def end_session(store: Store, digest: str, *, at: datetime, reason: str, actor: str) -> bool:
    """End one session (signed out, expired) with its audit line; False if it had already ended."""
    with store.transaction() as cur:
        found = cur.execute(
            "UPDATE staff_sessions SET ended_at = ?, end_reason = ? "
            "WHERE token_digest = ? AND ended_at IS NULL RETURNING name",
            [at, reason, digest],
        ).fetchall()
        if found:
            _audit(cur, actor, "sign-out", reason)
    return bool(found)


def _end_sessions_of(cur: duckdb.DuckDBPyConnection, name: str, reason: str) -> None:
    cur.execute(
        "UPDATE staff_sessions SET ended_at = ?, end_reason = ? WHERE name = ? AND ended_at IS NULL",
        [_now(), reason, name],
    )


def open_sessions(store: Store, name: str) -> int:
    """How many sessions of ``name`` are still open."""
    return int(
        store.scalar("SELECT count(*) FROM staff_sessions WHERE name = ? AND ended_at IS NULL", [name])
    )


# --- The audit log: append-only (written by writes._audit), read here page by page. ---

_AUDIT_WHERE = (
    "WHERE (?::VARCHAR IS NULL OR action = ?) AND (?::VARCHAR IS NULL OR actor = ?) "
    "AND (?::TIMESTAMP IS NULL OR logged_at >= ?) AND (?::TIMESTAMP IS NULL OR logged_at < ?)"
)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit lines to read; None means any.

    Attributes:
        action: Only this action (``create user``, ``publish`` …).
        actor: Only lines written by this person.
        first_day: From this day on (included).
        last_day: Up to this day (included).
    """

    action: str | None = None
    actor: str | None = None
    first_day: date | None = None
    last_day: date | None = None

    def parameters(self) -> list[object]:
        """The values of :data:`_AUDIT_WHERE`, in order."""
        start = None if self.first_day is None else datetime.combine(self.first_day, datetime.min.time())
        end = None
        if self.last_day is not None:
            end = datetime.combine(self.last_day + timedelta(days=1), datetime.min.time())
        return [self.action, self.action, self.actor, self.actor, start, start, end, end]


def audit_lines(store: Store, where: AuditFilter, *, limit: int, offset: int = 0) -> pd.DataFrame:
    """Audit lines matching ``where``, newest first: id, logged_at, actor, action, detail."""
    return store.frame(
        f"SELECT id, logged_at, actor, action, detail FROM audit_log {_AUDIT_WHERE} "  # noqa: S608 - constant
        "ORDER BY logged_at DESC, id DESC LIMIT ? OFFSET ?",
        [*where.parameters(), limit, offset],
    )


def audit_count(store: Store, where: AuditFilter) -> int:
    """How many audit lines match ``where``."""
    return int(store.scalar(f"SELECT count(*) FROM audit_log {_AUDIT_WHERE}", where.parameters()))  # noqa: S608


def audit_values(store: Store, column: str) -> list[str]:
    """The distinct actions (``column="action"``) or people (``"actor"``) in the audit log, sorted."""
    if column not in {"action", "actor"}:
        raise KeyError(column)
    rows = store.rows(f"SELECT DISTINCT {column} FROM audit_log ORDER BY 1")  # noqa: S608 - name checked
    return [str(row[0]) for row in rows]
