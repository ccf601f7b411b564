"""Named reads and writes for local accounts and sign-in attempts.

Each write is one transaction and, where it changes an account, appends its audit line in that same
transaction, so an account never changes without a trace. Hashing and policy live in observatory.auth;
this module stores the values it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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


def _update(store: Store, name: str, column: str, value: object, audit: tuple[str, str, str]) -> None:
    """Set one column of an existing account and write its audit line, in one transaction."""
    with store.transaction() as cur:
        if not cur.execute("SELECT count(*) FROM users WHERE name = ?", [name]).fetchall()[0][0]:
            raise NotFound(f"no user called {name!r}")
        cur.execute(_UPDATES[column], [value, name])
        _audit(cur, *audit)


def set_role(store: Store, name: str, role: Role, *, actor: str) -> None:
    """Change an account's role.

    Raises:
        NotFound: If there is no such account.
    """
    with store.transaction() as cur:
        found = cur.execute("SELECT role FROM users WHERE name = ?", [name]).fetchall()
        if not found:
            raise NotFound(f"no user called {name!r}")
        cur.execute("UPDATE users SET role = ? WHERE name = ?", [role.value, name])
        _audit(cur, actor, "change role", f"{name}: {found[0][0]} -> {role.value}")


def set_disabled(store: Store, name: str, disabled: bool, *, actor: str) -> None:
    """Disable an account (it can no longer sign in) or enable it again.

    Raises:
        NotFound: If there is no such account.
    """
    action = "disable user" if disabled else "enable user"
    _update(store, name, "disabled", disabled, (actor, action, name))


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
