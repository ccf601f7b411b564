"""Local accounts: managing them (admins only) and signing in.

Signing in refuses with one message, at one moment, whatever the cause (unknown name, wrong password,
disabled account, too many attempts); throttles per account (with backoff and a lock that an admin or
the account's own trusted browser lifts), per trusted device and per client address
(:data:`observatory.auth.THROTTLES`); and audits every attempt: one line per attempt on an account,
one summary line per minute for the rest, so a flood of anonymous attempts cannot fill the database.

A signed-in staff session has a server-side record; the browser holds its token in an HttpOnly cookie
(set by the app's own route, observatory/ui/routes.py) and every run checks the record, so a sign-out
or a disabled account ends the session in every tab at once.

Nobody can lock the admins out: an admin cannot demote or disable their own account (:class:`OwnAccount`),
and no change may leave the store without an enabled admin (:class:`LastAdmin`, checked by the store
inside the writing transaction).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from observatory import auth
from observatory.domain import Actor, NotFound, ObservatoryError, Role
from observatory.store import Store, writes
from observatory.store import users as user_store
from observatory.store.users import LastAdmin, UserExists, UserRecord

__all__ = [
    "ANONYMOUS",
    "REFUSED",
    "Account",
    "Cookies",
    "LastAdmin",
    "OwnAccount",
    "SessionStart",
    "SignInResult",
    "UserExists",
    "account_exists",
    "change_role",
    "clear_lockout",
    "create_account",
    "end_session",
    "flush_summary",
    "list_accounts",
    "listing",
    "record_sign_out",
    "redeem_ticket",
    "reset_password",
    "resume_session",
    "session_actor",
    "set_disabled",
    "sign_in",
    "start_session",
]

_LOG = logging.getLogger(__name__)
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


# --- Signing in: bounded input, atomic throttles, the same answer at the same time for every refusal. ---

#: Every refusal is answered this long after the attempt began, whatever refused it (a check, a
#: throttle, a name that is not an account), so the time says nothing about the reason.
REFUSAL_SECONDS = 0.5
#: Per-client failure lists kept in memory at most (the oldest client is forgotten first).
MAX_CLIENTS = 10_000
#: A browser counts as a trusted device of an account this long after it last signed in as it.
TRUSTED_DEVICE = timedelta(days=30)
SUMMARY_ACTION = "failed sign-ins (summary)"
_SUMMARY_NAMES = 5
_SUMMARY_CLIENTS = 1_000


@dataclass
class _Summary:
    """Refusals that leave no row of their own, counted for one minute's audit line."""

    minute: datetime | None = None
    reasons: Counter[str] = field(default_factory=Counter)
    locked: Counter[str] = field(default_factory=Counter)
    names: list[str] = field(default_factory=list)
    clients: set[str] = field(default_factory=set)
    without_address: int = 0

    @property
    def total(self) -> int:
        return sum(self.reasons.values())

    def merge(self, other: _Summary) -> None:
        self.reasons.update(other.reasons)
        self.locked.update(other.locked)
        self.names.extend(n for n in other.names if n not in self.names)
        del self.names[_SUMMARY_NAMES:]
        self.clients.update(list(other.clients)[: max(0, _SUMMARY_CLIENTS - len(self.clients))])
        self.without_address += other.without_address

    def detail(self) -> str:
        minute = f"{self.minute:%Y-%m-%d %H:%M}" if self.minute else "?"
        parts = [f"{count} {reason}" for reason, count in sorted(self.reasons.items())]
        text = f"{minute} UTC: {self.total} refused without a check: " + ", ".join(parts)
        if self.locked:
            text += "; on locked accounts: " + ", ".join(f"{n} {c}" for n, c in sorted(self.locked.items()))
        if self.names:
            text += "; names not accounts, e.g. " + ", ".join(self.names)
        clients = f"{len(self.clients)}{'+' if len(self.clients) >= _SUMMARY_CLIENTS else ''}"
        return text + f"; from {clients} clients and {self.without_address} attempts without an address"


@dataclass
class _Guard:
    """A store's in-memory sign-in state: per-client failures and the running summary."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    clients: OrderedDict[str, list[datetime]] = field(default_factory=OrderedDict)
    summary: _Summary = field(default_factory=_Summary)
    tickets: dict[str, tuple[str, str, datetime]] = field(default_factory=dict)


_GUARDS: weakref.WeakKeyDictionary[Store, _Guard] = weakref.WeakKeyDictionary()
_GUARDS_LOCK = threading.Lock()


def _guard(store: Store) -> _Guard:
    with _GUARDS_LOCK:
        found = _GUARDS.get(store)
        if found is None:
            found = _GUARDS[store] = _Guard()
        return found


def _client_reserve(guard: _Guard, client: str | None, at: datetime) -> bool:
    """Count a guess from ``client`` unless the client is throttled (checked and counted under one lock)."""
    if client is None:
        return True
    policy = auth.THROTTLES["client"]
    with guard.lock:
        times = [t for t in guard.clients.pop(client, []) if at - policy.horizon <= t]
        allowed = not auth.throttled(times, at, policy)
        if allowed:
            times.append(at)
        guard.clients[client] = times
        while len(guard.clients) > MAX_CLIENTS:
            guard.clients.popitem(last=False)
    return allowed


def _client_release(guard: _Guard, client: str | None, at: datetime) -> None:
    """A guess that succeeded does not count against its client."""
    if client is None:
        return
    with guard.lock:
        times = guard.clients.get(client)
        if times and at in times:
            times.remove(at)


def _count(
    store: Store,
    reason: str,
    *,
    client: str | None,
    at: datetime,
    name: str | None = None,
    locked: str | None = None,
) -> None:
    """Add a refusal to the minute's summary; write the summary of a minute that has ended."""
    guard = _guard(store)
    minute = at.replace(second=0, microsecond=0)
    with guard.lock:
        finished = None
        if guard.summary.minute is not None and guard.summary.minute != minute and guard.summary.total:
            finished, guard.summary = guard.summary, _Summary()
        summary = guard.summary
        summary.minute = summary.minute if summary.total else minute
        summary.reasons[reason] += 1
        if locked is not None:
            summary.locked[locked] += 1
        if name is not None and len(summary.names) < _SUMMARY_NAMES and name not in summary.names:
            summary.names.append(name)
        if client is None:
            summary.without_address += 1
        elif len(summary.clients) < _SUMMARY_CLIENTS:
            summary.clients.add(client)
    if finished is not None:
        try:
            _write_summary(store, guard, finished)
        except ObservatoryError:
            _LOG.warning(
                "sign-in summary not written; its counts are carried into the next one", exc_info=True
            )


def _write_summary(store: Store, guard: _Guard, summary: _Summary) -> None:
    try:
        writes.audit(store, ANONYMOUS.name, SUMMARY_ACTION, summary.detail())
    except ObservatoryError:
        # Not written (disk full …): put the counts back, so the next summary carries them.
        with guard.lock:
            summary.merge(guard.summary)
            summary.minute = min(m for m in (summary.minute, guard.summary.minute) if m is not None)
            guard.summary = summary
        raise


def flush_summary(store: Store) -> int:
    """Write the running summary of refusals now (at shutdown, or before reading the audit log).

    Returns:
        How many refusals it counted (0: nothing was written).
    """
    guard = _guard(store)
    with guard.lock:
        summary, guard.summary = guard.summary, _Summary()
    if not summary.total:
        return 0
    _write_summary(store, guard, summary)
    return summary.total


def _check(user: UserRecord, password: str) -> str:
    """Verify the password of an account; the reason for refusing, '' when accepted."""
    if user.password_hash is None:
        auth.dummy_verify(password)
        return "no password set"
    if len(password) > auth.MAX_PASSWORD_LENGTH:
        auth.dummy_verify("")
        return "password too long"
    if not auth.verify_password(user.password_hash, password):
        return "wrong password"
    # Checked after the password so a disabled account answers exactly like a wrong password.
    return "disabled" if user.disabled else ""


def _refuse(started: float) -> SignInResult:
    """The one refusal, answered :data:`REFUSAL_SECONDS` after the attempt began."""
    time.sleep(max(0.0, started + REFUSAL_SECONDS - time.monotonic()))
    return SignInResult(False, ANONYMOUS, REFUSED)


def _device_digest(store: Store, name: str, device: str | None, at: datetime) -> str | None:
    """The digest of ``device`` when it is a trusted device of ``name``, else None."""
    if not device or len(device) > 128:
        return None
    digest = auth.token_digest(device)
    return digest if user_store.device_trusted(store, name, digest, since=at - TRUSTED_DEVICE) else None


def sign_in(
    store: Store,
    name: str,
    password: str,
    *,
    client: str | None,
    now: datetime,
    device: str | None = None,
) -> SignInResult:
    """Check a name and password, throttle guessing, audit the attempt, upgrade an outdated hash.

    What an anonymous visitor sends is bounded before anything reads it: a name that cannot be an
    account (:func:`observatory.auth.normalise_name`) is never looked up or stored, and refusals that
    check no password (names that are not accounts, throttled guesses) are counted in memory and
    written as one audit line per minute (:func:`flush_summary`), so a flood adds a few hundred bytes
    a minute to the database. Attempts on accounts are reserved and decided in one transaction
    (:func:`observatory.store.users.reserve_attempt`), so concurrent guesses cannot pass the limit.

    Args:
        store: The database.
        name: Name as typed.
        password: Password as typed.
        client: The visitor's address from :func:`observatory.auth.client_address`; None when there
            is none to trust (then only the account's own count applies).
        now: The time of the attempt.
        device: The trusted-device token the browser sent, if any: an account's lock set by others'
            guesses does not apply to a browser it signed in from before (it has its own count).

    Returns:
        ok with the account's actor, or refused with :data:`REFUSED` whatever the reason, always
        :data:`REFUSAL_SECONDS` after the attempt began.
    """
    started = time.monotonic()
    at = _naive_utc(now)
    guard = _guard(store)
    clean = auth.normalise_name(name)
    # Refusals that say nothing about the name (a throttled client, a name no account can have) spend
    # no hashing work: a flood of them costs the server little, and the refusal time hides the saving.
    if not _client_reserve(guard, client, at):
        _count(store, "from throttled clients", client=client, at=at, name=clean)
        return _refuse(started)
    if clean is None:
        _count(store, "invalid names", client=client, at=at)
        return _refuse(started)
    try:
        user = user_store.get_user(store, clean)
    except NotFound:
        auth.dummy_verify(password[: auth.MAX_PASSWORD_LENGTH])
        _count(store, "names that are not accounts", client=client, at=at, name=clean)
        return _refuse(started)
    bucket = _device_digest(store, user.name, device, at)
    policy = auth.THROTTLES["device" if bucket else "account"]
    attempt = user_store.reserve_attempt(
        store,
        user.name,
        device=bucket,
        at=at,
        since=at - policy.horizon,
        throttled=lambda failures: auth.throttled(failures, at, policy),
    )
    if attempt is None:
        auth.dummy_verify(password[: auth.MAX_PASSWORD_LENGTH])
        _count(store, "on locked accounts", client=client, at=at, locked=user.name)
        return _refuse(started)
    reason = _check(user, password)
    where = f"client {client or 'without an address'}" + (" (trusted device)" if bucket else "")
    if reason:
        user_store.settle_attempt(store, attempt, name=user.name, ok=False, detail=f"{where}: {reason}")
        return _refuse(started)
    _client_release(guard, client, at)
    new_hash = None
    if user.password_hash is not None and auth.needs_rehash(user.password_hash):
        new_hash = auth.hash_password(password)
    user_store.settle_attempt(store, attempt, name=user.name, ok=True, detail=where, new_hash=new_hash)
    return SignInResult(True, Actor(user.name, user.role))


def clear_lockout(store: Store, name: str, *, actor: Actor, now: datetime) -> None:
    """Lift the sign-in lock of an account (admins): its failure count starts again from zero.

    Raises:
        PermissionDenied: If the actor is not an admin.
        NotFound: If there is no such account.
    """
    auth.require(actor, "manage_users")
    user_store.clear_lockout(store, name, actor=actor.name, at=_naive_utc(now))


# --- Staff sessions: a server-side record, an HttpOnly cookie holding its token, a one-time ticket. ---

#: How long the one-time ticket that turns a sign-in into the browser's cookies stays valid.
TICKET_LIFETIME = timedelta(seconds=60)
_MAX_TICKETS = 1_000


@dataclass(frozen=True, slots=True)
class SessionStart:
    """A new session: its token (the cookie's value) and the one-time ticket the browser exchanges for it."""

    token: str
    ticket: str


@dataclass(frozen=True, slots=True)
class Cookies:
    """What a redeemed ticket puts in the browser: the session token and the trusted-device token."""

    session: str
    device: str


def start_session(store: Store, actor: Actor, *, now: datetime, device: str | None = None) -> SessionStart:
    """Record a session for a signed-in actor and issue the ticket for its cookies.

    The browser's trusted-device token is kept if it sent one, else a new one is made; the device is
    trusted for the account from now on. Only digests of the tokens are stored.
    """
    at = _naive_utc(now)
    token, ticket = auth.new_token(), auth.new_token()
    device_token = device if device and len(device) <= 128 else auth.new_token()
    user_store.create_session(store, actor.name, auth.token_digest(token), at=at)
    user_store.trust_device(store, actor.name, auth.token_digest(device_token), at=at)
    guard = _guard(store)
    with guard.lock:
        for key in [k for k, (_, _, issued) in guard.tickets.items() if issued < at - TICKET_LIFETIME]:
            del guard.tickets[key]
        while len(guard.tickets) >= _MAX_TICKETS:
            guard.tickets.pop(next(iter(guard.tickets)))
        guard.tickets[auth.token_digest(ticket)] = (token, device_token, at)
    return SessionStart(token, ticket)


def redeem_ticket(store: Store, ticket: str, *, now: datetime) -> Cookies | None:
    """The cookies a one-time ticket stands for, once, within :data:`TICKET_LIFETIME`; else None."""
    at = _naive_utc(now)
    guard = _guard(store)
    with guard.lock:
        found = guard.tickets.pop(auth.token_digest(ticket), None) if len(ticket) <= 128 else None
    if found is None or found[2] < at - TICKET_LIFETIME:
        return None
    token, device_token, _ = found
    record = user_store.session_record(store, auth.token_digest(token))
    if record is None or record.ended_at is not None:
        return None
    return Cookies(token, device_token)


#: last_seen is written at most this often per session (each write is a transaction).
TOUCH_EVERY = timedelta(minutes=1)


def resume_session(
    store: Store, token: str, *, now: datetime, idle: timedelta, absolute: timedelta
) -> tuple[Actor | None, bool]:
    """The actor of the session with this token, or None; and whether it has just expired.

    A session is open until it is signed out, its account disabled or given a new password, or it
    goes ``idle`` without use or lasts ``absolute`` — the first run that finds it expired ends it.
    """
    at = _naive_utc(now)
    if not token or len(token) > 128:
        return None, False
    digest = auth.token_digest(token)
    record = user_store.session_record(store, digest)
    if record is None or record.ended_at is not None:
        return None, False
    span = auth.Session(record.name, Role.PUBLIC, record.started_at, record.last_seen)
    if not auth.session_valid(span, at, idle=idle, absolute=absolute):
        user_store.end_session(store, digest, at=at, reason="session expired", actor=record.name)
        return None, True
    found = session_actor(store, record.name)
    if found is None:
        user_store.end_session(store, digest, at=at, reason="account disabled", actor=record.name)
        return None, False
    if at - record.last_seen >= TOUCH_EVERY:
        user_store.touch_session(store, digest, at=at)
    return found, False


def end_session(store: Store, token: str, *, now: datetime, reason: str = "signed out") -> bool:
    """End the session with this token everywhere it is used; False if it was not open."""
    if not token or len(token) > 128:
        return False
    digest = auth.token_digest(token)
    record = user_store.session_record(store, digest)
    if record is None:
        return False
    return user_store.end_session(store, digest, at=_naive_utc(now), reason=reason, actor=record.name)


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
