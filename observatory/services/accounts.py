"""Local accounts: managing them (admins only) and signing in.

Signing in refuses with one message whatever the cause (unknown name, wrong password, disabled account,
too many attempts), spends the same argon2 work on an unknown name as on a known one, throttles per
account and per client (:data:`observatory.auth.THROTTLES`), and audits every attempt.

Nobody can lock the admins out: an admin cannot demote or disable their own account (:class:`OwnAccount`),
and no change may leave the store without an enabled admin (:class:`LastAdmin`, checked by the store
inside the writing transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from observatory import auth
from observatory.domain import Actor, NotFound, Role
from observatory.store import Store, writes
from observatory.store import users as user_store
from observatory.store.users import LastAdmin, UserExists, UserRecord

__all__ = [
    "ANONYMOUS",
    "REFUSED",
    "Account",
    "LastAdmin",
    "OwnAccount",
    "SignInResult",
    "UserExists",
    "account_exists",
    "change_role",
    "create_account",
    "list_accounts",
    "listing",
    "record_sign_out",
    "reset_password",
    "session_actor",
    "set_disabled",
    "sign_in",
]

REFUSED = "Sign-in refused: wrong name or password, or too many attempts. Try again later."
ANONYMOUS = Actor("anonymous", Role.PUBLIC)


class OwnAccount(auth.AccountError):
    """An admin tried to demote or disable their own account."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="own-account")


@dataclass(frozen=True, slots=True)
class Account:
    """What a screen may show of an account: never its password hash."""

    name: str
    role: Role
    created_at: datetime
    disabled: bool


@dataclass(frozen=True, slots=True)
class SignInResult:
    """Outcome of one sign-in: ``ok`` with the signed-in actor, or refused with :data:`REFUSED`."""

    ok: bool
    actor: Actor = ANONYMOUS
    message: str = ""


def _naive_utc(moment: datetime) -> datetime:
    # The store keeps naive UTC timestamps.
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def list_accounts(store: Store, *, actor: Actor) -> list[UserRecord]:
    """Every account, by name (the records carry the password hashes: never display those)."""
    auth.require(actor, "manage_users")
    return user_store.list_users(store)


def listing(store: Store, *, actor: Actor) -> list[Account]:
    """Every account by name, without its password hash (for screens).

    Raises:
        PermissionDenied: If the actor is not an admin.
    """
    return [
        Account(user.name, user.role, user.created_at, user.disabled)
        for user in list_accounts(store, actor=actor)
    ]


def account_exists(store: Store, name: str, *, actor: Actor) -> bool:
    """True when an account called ``name`` exists.

    Raises:
        PermissionDenied: If the actor is not an admin.
    """
    auth.require(actor, "manage_users")
    try:
        user_store.get_user(store, name)
    except NotFound:
        return False
    return True


def create_account(store: Store, name: str, role: Role, password: str, *, actor: Actor) -> None:
    """Create an account after checking the name, role and password policy.

    Raises:
        PermissionDenied: If the actor is not an admin.
        AccountError: If the name, role or password is refused.
        UserExists: If the name is taken.
    """
    auth.require(actor, "manage_users")
    auth.check_user_name(name)
    auth.check_account_role(role)
    auth.check_password(password)
    user_store.create_user(store, name, role, auth.hash_password(password), actor=actor.name)


def change_role(store: Store, name: str, role: Role, *, actor: Actor) -> None:
    """Give an account another role.

    Raises:
        PermissionDenied: If the actor is not an admin.
        AccountError: If the role is PUBLIC.
        OwnAccount: If an admin gives their own account a lower role.
        LastAdmin: If it would leave no enabled admin.
        NotFound: If there is no such account.
    """
    auth.require(actor, "manage_users")
    auth.check_account_role(role)
    if name == actor.name and role is not Role.ADMIN:
        raise OwnAccount(f"{actor.name} cannot take the admin role from their own account")
    user_store.set_role(store, name, role, actor=actor.name)


def set_disabled(store: Store, name: str, disabled: bool, *, actor: Actor) -> None:
    """Disable an account, or enable it again.

    Raises:
        PermissionDenied: If the actor is not an admin.
        OwnAccount: If an admin disables their own account.
        LastAdmin: If it would leave no enabled admin.
        NotFound: If there is no such account.
    """
    auth.require(actor, "manage_users")
    if disabled and name == actor.name:
        raise OwnAccount(f"{actor.name} cannot disable their own account")
    user_store.set_disabled(store, name, disabled, actor=actor.name)


def reset_password(store: Store, name: str, password: str, *, actor: Actor) -> None:
    """Give an account a new password.

    Raises:
        PermissionDenied: If the actor is not an admin.
        AccountError: If the password is refused by the policy.
        NotFound: If there is no such account.
    """
    auth.require(actor, "manage_users")
    auth.check_password(password)
    user_store.set_password_hash(store, name, auth.hash_password(password), actor=actor.name)


def _is_throttled(store: Store, name: str, client: str, now: datetime) -> bool:
    account, per_client = auth.THROTTLES["account"], auth.THROTTLES["client"]
    return auth.throttled(
        user_store.account_failures(store, name, now - account.horizon), now, account
    ) or auth.throttled(user_store.client_failures(store, client, now - per_client.horizon), now, per_client)


def _check(store: Store, name: str, password: str) -> tuple[str, UserRecord | None]:
    """Verify the password; return the reason for refusing ('' when accepted) and the account."""
    try:
        user = user_store.get_user(store, name)
    except NotFound:
        auth.dummy_verify(password)
        return "unknown user", None
    if user.password_hash is None:
        auth.dummy_verify(password)
        return "no password set", user
    if not auth.verify_password(user.password_hash, password):
        return "wrong password", user
    # Checked after the password so a disabled account answers exactly like a wrong password.
    return ("disabled", user) if user.disabled else ("", user)


def sign_in(store: Store, name: str, password: str, *, client: str, now: datetime) -> SignInResult:
    """Check a name and password, throttle guessing, audit the attempt, upgrade an outdated hash.

    Args:
        store: The database.
        name: Name as typed.
        password: Password as typed.
        client: Who is asking (address or browser session), for per-client throttling.
        now: The time of the attempt.

    Returns:
        ok with the account's actor, or refused with :data:`REFUSED` whatever the reason.
    """
    at = _naive_utc(now)
    if _is_throttled(store, name, client, at):
        auth.dummy_verify(password)
        reason, outcome, user = "throttled", "throttled", None
    else:
        reason, user = _check(store, name, password)
        outcome = "failed" if reason else "ok"
    if outcome != "ok" or user is None:
        user_store.record_signin(
            store, name=name, client=client, outcome=outcome, at=at, detail=f"client {client}: {reason}"
        )
        return SignInResult(False, ANONYMOUS, REFUSED)
    new_hash = None
    if user.password_hash is not None and auth.needs_rehash(user.password_hash):
        new_hash = auth.hash_password(password)
    user_store.record_signin(
        store, name=name, client=client, outcome="ok", at=at, detail=f"client {client}", new_hash=new_hash
    )
    return SignInResult(True, Actor(user.name, user.role))


def session_actor(store: Store, name: str) -> Actor | None:
    """The actor a signed-in session acts as now: the account's current role; None if gone or disabled.

    Read again at every page run, so a changed role or a disabled account takes effect at once.
    """
    try:
        user = user_store.get_user(store, name)
    except NotFound:
        return None
    return None if user.disabled else Actor(user.name, user.role)


def record_sign_out(store: Store, actor: Actor, *, reason: str) -> None:
    """Write a sign-out (by the user, or by expiry) to the audit log."""
    writes.audit(store, actor.name, "sign-out", reason)
