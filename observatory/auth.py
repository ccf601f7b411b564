"""Who may do what. Pure checks, called again by every write in services (not only by the pages)."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from observatory.domain import Actor, ObservatoryError, PermissionDenied, Role

_RANK = {Role.PUBLIC: 0, Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}

# Minimum role per action, declared as data so the role matrix can be tested exhaustively.
ACTIONS: dict[str, Role] = {
    "read_published": Role.PUBLIC,
    "read_unsuppressed": Role.VIEWER,
    "import": Role.EDITOR,
    "rollback": Role.EDITOR,
    "edit_strategy": Role.EDITOR,
    "edit_indicators": Role.EDITOR,
    "manage_users": Role.ADMIN,
    "publish": Role.ADMIN,
}


def allowed(role: Role, action: str) -> bool:
    """True when ``role`` may perform ``action`` (an unknown action is never allowed)."""
    needed = ACTIONS.get(action)
    return needed is not None and _RANK[role] >= _RANK[needed]


def require(actor: Actor, action: str) -> None:
    """Raise unless the actor's role allows the action.

    Raises:
        PermissionDenied: If it does not.
    """
    if not allowed(actor.role, action):
        raise PermissionDenied(f"{actor.name} ({actor.role}) may not {action.replace('_', ' ')}")


def can_import(role: Role) -> bool:
    """Editors and admins import files and roll batches back."""
    return allowed(role, "import")


# --- Local accounts: password hashing, password policy, sign-in throttling, session expiry. ---
# Pure: values in, decisions out. Reading and writing accounts belongs to the store room.


class AccountError(ObservatoryError):
    """A user name, role, password or account change that the account policy refuses.

    Attributes:
        code: Which rule refused it (``bad-name``, ``bad-role``, ``password-too-short``,
            ``password-too-long`` …), so a screen can say it in the visitor's language.
    """

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


# OWASP Password Storage Cheat Sheet minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
ARGON2_PARAMETERS: dict[str, int] = {"memory_cost": 19_456, "time_cost": 2, "parallelism": 1}
_HASHER = PasswordHasher(
    time_cost=ARGON2_PARAMETERS["time_cost"],
    memory_cost=ARGON2_PARAMETERS["memory_cost"],
    parallelism=ARGON2_PARAMETERS["parallelism"],
    type=Type.ID,
)

MIN_PASSWORD_LENGTH = 12
# argon2 accepts any length; a cap keeps a megabyte "password" from becoming a cheap denial of service.
MAX_PASSWORD_LENGTH = 1024
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
ACCOUNT_ROLES: tuple[Role, ...] = (Role.VIEWER, Role.EDITOR, Role.ADMIN)


def hash_password(password: str) -> str:
    """Hash a password with argon2id (a ``$argon2id$…`` string carrying its salt and parameters)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; False for a mismatch or an unreadable hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than :data:`ARGON2_PARAMETERS`."""
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(24))


def dummy_verify(password: str) -> None:
    """Spend the time of one real verification, so an unknown name answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


def generate_password() -> str:
    """A random password of 20 URL-safe characters (about 120 bits)."""
    return secrets.token_urlsafe(15)


def check_password(password: str) -> None:
    """Apply the password policy: length only, as NIST SP 800-63B advises (no composition rules).

    Raises:
        AccountError: If the password is too short or too long.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters", code="password-too-short"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            f"the password may have at most {MAX_PASSWORD_LENGTH} characters", code="password-too-long"
        )


def check_user_name(name: str) -> None:
    """Names are 1–64 letters, digits or ``._@-``, starting with a letter or digit.

    Raises:
        AccountError: If the name does not follow that rule.
    """
    if not _NAME_RE.match(name):
        raise AccountError(
            f"not a valid user name: {name!r} (letters, digits and ._@- only, at most 64)", code="bad-name"
        )


def check_account_role(role: Role) -> None:
    """Accounts are viewers, editors or admins; PUBLIC is what anonymous visitors are.

    Raises:
        AccountError: If the role is PUBLIC.
    """
    if role not in ACCOUNT_ROLES:
        raise AccountError(f"an account cannot have the role {role}", code="bad-role")


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """When failed sign-ins hold back the next attempt.

    ``free_failures`` failures within ``window`` cost nothing; each one after them makes the next
    attempt wait ``backoff`` × 2^(failures − free_failures) after the last failure; ``max_failures``
    failures within ``window`` lock for ``lockout`` after the last of them (or until the lock is
    cleared: a success, an admin, or the right password from a trusted device ends the count).
    """

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)
    free_failures: int = 3
    backoff: timedelta = timedelta(seconds=1)

    @property
    def horizon(self) -> timedelta:
        """How far back failures can still matter."""
        return self.window + self.lockout

    @property
    def admitted_at_once(self) -> int:
        """How many checks the policy lets through at one instant on a fresh count."""
        return (
            self.max_failures if self.backoff <= timedelta(0) else min(self.free_failures, self.max_failures)
        )


# Declared as data so the policy is visible and testable; one per thing an attacker can vary. A trusted
# device (a browser the account signed in from before) has its own count, so a stranger's guesses
# cannot lock its owner out of it.
THROTTLES: dict[str, ThrottlePolicy] = {
    "account": ThrottlePolicy(),
    "device": ThrottlePolicy(),
    "client": ThrottlePolicy(free_failures=5, backoff=timedelta(0)),
}


def throttled(failures: Sequence[datetime], now: datetime, policy: ThrottlePolicy) -> bool:
    """True when the failures hold back an attempt at ``now``: locked, or still inside the backoff.

    Args:
        failures: Times of failed attempts (any order; later than ``now`` is ignored).
        now: The time of the attempt being judged.
        policy: Thresholds and durations.
    """
    times = sorted(t for t in failures if now - policy.horizon <= t <= now)
    n = policy.max_failures
    if any(
        times[i] - times[i - n + 1] <= policy.window and now < times[i] + policy.lockout
        for i in range(n - 1, len(times))
    ):
        return True
    recent = [t for t in times if now - policy.window <= t]
    extra = len(recent) - policy.free_failures
    if extra < 0 or policy.backoff <= timedelta(0):
        return False
    return now < recent[-1] + policy.backoff * 2**extra


# --- What an anonymous visitor sends: bounded and normalised before anything reads or stores it. ---

#: Longer input is not read at all (a name is at most 64 characters; NFKC can lengthen a little).
MAX_TYPED_NAME = 256


def normalise_name(typed: str) -> str | None:
    """The account name a visitor typed, normalised (NFKC, outer spaces removed); None if it cannot be one.

    A name that breaks the account-name rule can never sign in, so it is neither looked up nor stored.
    """
    if len(typed) > MAX_TYPED_NAME:
        return None
    name = unicodedata.normalize("NFKC", typed).strip()
    return name if _NAME_RE.match(name) else None


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[str]) -> str | None:
    """The address a per-client throttle may key on, or None when there is none to trust.

    Args:
        peer: The address of the connection (the proxy's when there is one).
        forwarded_for: The ``X-Forwarded-For`` header values, in order.
        trusted: Addresses or networks of the reverse proxies in front of the app (a setting).

    A request straight from a client is keyed on its own address, and one that carries
    ``X-Forwarded-For`` without coming from a trusted proxy gets no address (the header is the
    client's to choose). From a trusted proxy, the right-most address that is not a trusted proxy is
    the client (entries further left are whatever the client sent). None means: no per-client
    bucket — never one shared by every visitor whose address is unknown.
    """
    networks = _networks(tuple(trusted))
    peer_ip = _ip(peer)
    if peer_ip is None:
        return None
    chain = _chain(forwarded_for)
    if not any(peer_ip in net for net in networks):
        return None if chain else str(peer_ip)
    for entry in reversed(chain):
        found = _ip(entry)
        if found is None:
            return None
        if not any(found in net for net in networks):
            return str(found)
    return None


#: What Streamlit's server (uvicorn, with its default settings) trusts: from these peers it has already
#: replaced the connection's address by the right-most other address of ``X-Forwarded-For``.
_SERVER_TRUSTED = ("127.0.0.1/32", "::1/128")


def connection_peer(reported: str | None, forwarded_for: Sequence[str]) -> str | None:
    """The connection's own address, given the one the server reports and the ``X-Forwarded-For`` values.

    Uvicorn believes ``X-Forwarded-For`` from a loopback peer and reports the right-most other address
    of it instead. When the reported address is exactly that entry, the connection came from this
    machine (a proxy on it, or anyone on it): the peer is then 127.0.0.1, and whether to believe the
    header is :func:`client_address`'s decision, from the ``trusted_proxies`` setting.
    """
    server = _networks(_SERVER_TRUSTED)
    for entry in reversed(_chain(forwarded_for)):
        found = _ip(entry)
        if found is None:
            break
        if not any(found in net for net in server):
            return "127.0.0.1" if reported is not None and str(found) == str(_ip(reported)) else reported
    return reported


def _chain(forwarded_for: Sequence[str]) -> list[str]:
    return [part.strip() for value in forwarded_for for part in value.split(",") if part.strip()]


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not text:
        return None
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


@lru_cache(maxsize=16)
def _networks(trusted: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in trusted if item.strip())


def new_token() -> str:
    """A random secret for a session, a device or a one-time ticket (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the store keeps of a secret token: its SHA-256, so a copy of the database signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in session: who, when it started and was last used, and its server record's token.

    ``token`` is None only for a session made without a server record (tests of the page code).
    """

    name: str
    role: Role
    started_at: datetime
    last_seen: datetime
    token: str | None = None


def session_valid(
    session: Session,
    now: datetime,
    *,
    idle: timedelta = timedelta(minutes=30),
    absolute: timedelta = timedelta(hours=8),
) -> bool:
    """True while the session is neither idle for ``idle`` nor older than ``absolute`` (OWASP advice)."""
    return now - session.last_seen < idle and now - session.started_at < absolute
