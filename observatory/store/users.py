"""Named reads and writes for local accounts, sign-in attempts and the audit log.

Each write is one transaction and, where it changes an account, appends its audit line in that same
transaction, so an account never changes without a trace. Hashing and policy live in observatory.auth;
this module stores the values it is given, and keeps one invariant itself: a change never leaves the
store without an enabled admin once it had one (checked inside the writing transaction, so two admins
demoting each other at the same moment cannot both succeed).
"""

from __future__ import annotations

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


def record_signin(
    store: Store,
    *,
    name: str,
    client: str,
    outcome: str,
    at: datetime,
    detail: str,
    new_hash: str | None = None,
) -> None:
    """Keep one sign-in attempt and its audit line; store ``new_hash`` when the hash was upgraded."""
    action = "sign-in" if outcome == "ok" else "failed sign-in"
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO signin_attempts (attempted_at, name, client, outcome) VALUES (?, ?, ?, ?)",
            [at, name, client, outcome],
        )
        if new_hash is not None:
            cur.execute("UPDATE users SET password_hash = ? WHERE name = ?", [new_hash, name])
        _audit(cur, name, action, detail)


def account_failures(store: Store, name: str, since: datetime) -> list[datetime]:
    """Failed attempts on ``name`` since ``since`` and since its last successful sign-in."""
    rows = store.rows(
        "SELECT attempted_at FROM signin_attempts WHERE name = ? AND outcome = 'failed' "
        "AND attempted_at >= ? AND attempted_at > coalesce((SELECT max(attempted_at) "
        "FROM signin_attempts WHERE name = ? AND outcome = 'ok'), TIMESTAMP '0001-01-01') "
        "ORDER BY attempted_at",
        [name, since, name],
    )
    return [row[0] for row in rows]


def client_failures(store: Store, client: str, since: datetime) -> list[datetime]:
    """Failed attempts from ``client`` (on any name) since ``since``; a success does not clear them."""
    rows = store.rows(
        "SELECT attempted_at FROM signin_attempts WHERE client = ? AND outcome = 'failed' "
        "AND attempted_at >= ? ORDER BY attempted_at",
        [client, since],
    )
    return [row[0] for row in rows]


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
