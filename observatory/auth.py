"""Who may do what. Pure checks, called again by every write in services (not only by the pages)."""

from __future__ import annotations

import re
import secrets
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
    """``max_failures`` failed sign-ins within ``window`` lock for ``lockout`` after the last of them."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)

    @property
    def horizon(self) -> timedelta:
        """How far back failures can still matter."""
        return self.window + self.lockout


# Declared as data so the policy is visible and testable; one per thing an attacker can vary.
THROTTLES: dict[str, ThrottlePolicy] = {"account": ThrottlePolicy(), "client": ThrottlePolicy()}


def throttled(failures: Sequence[datetime], now: datetime, policy: ThrottlePolicy) -> bool:
    """True when some run of ``max_failures`` failures within ``window`` ended less than ``lockout`` ago.

    Args:
        failures: Times of failed attempts (any order; later than ``now`` is ignored).
        now: The time of the attempt being judged.
        policy: Thresholds and durations.
    """
    times = sorted(t for t in failures if now - policy.horizon <= t <= now)
    n = policy.max_failures
    return any(
        times[i] - times[i - n + 1] <= policy.window and now < times[i] + policy.lockout
        for i in range(n - 1, len(times))
    )


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in session: who, and when it started and was last used."""

    name: str
    role: Role
    started_at: datetime
    last_seen: datetime


def session_valid(
    session: Session,
    now: datetime,
    *,
    idle: timedelta = timedelta(minutes=30),
    absolute: timedelta = timedelta(hours=8),
) -> bool:
    """True while the session is neither idle for ``idle`` nor older than ``absolute`` (OWASP advice)."""
    return now - session.last_seen < idle and now - session.started_at < absolute
