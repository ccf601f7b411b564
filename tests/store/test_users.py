"""Accounts and sign-in attempts in the store, each change with its audit line."""

from datetime import datetime, timedelta

import pytest

from observatory.domain import NotFound, Role
from observatory.store import connect, users
from observatory.store.users import UserExists

HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
T0 = datetime(2024, 5, 1, 9, 0)


@pytest.fixture
def store():
    opened = connect(":memory:")
    yield opened
    opened.close()


def _audit(store):
    return store.rows("SELECT actor, action, detail FROM audit_log ORDER BY id")


def test_migration_creates_the_signin_attempts_table(store):
    assert store.scalar("SELECT count(*) FROM signin_attempts") == 0


def test_created_user_reads_back(store):
    users.create_user(store, "ana", Role.EDITOR, HASH, actor="cli", now=T0)
    found = users.get_user(store, "ana")
    assert found == users.UserRecord("ana", Role.EDITOR, HASH, T0, False)


def test_creation_is_audited(store):
    users.create_user(store, "ana", Role.EDITOR, HASH, actor="root")
    assert _audit(store) == [("root", "create user", "ana as editor")]


def test_duplicate_name_is_refused_and_leaves_no_trace(store):
    users.create_user(store, "ana", Role.EDITOR, HASH, actor="cli")
    with pytest.raises(UserExists):
        users.create_user(store, "ana", Role.ADMIN, HASH, actor="cli")
    assert users.get_user(store, "ana").role is Role.EDITOR
    assert len(_audit(store)) == 1


def test_unknown_user_is_not_found(store):
    with pytest.raises(NotFound):
        users.get_user(store, "nobody")


def test_users_are_listed_by_name(store):
    for name in ("zoe", "ana", "mia"):
        users.create_user(store, name, Role.VIEWER, HASH, actor="cli")
    assert [u.name for u in users.list_users(store)] == ["ana", "mia", "zoe"]


def test_role_change_is_stored_and_audited(store):
    users.create_user(store, "ana", Role.VIEWER, HASH, actor="cli")
    users.set_role(store, "ana", Role.ADMIN, actor="root")
    assert users.get_user(store, "ana").role is Role.ADMIN
    assert _audit(store)[-1] == ("root", "change role", "ana: viewer -> admin")


def test_role_change_of_unknown_user_is_not_found(store):
    with pytest.raises(NotFound):
        users.set_role(store, "nobody", Role.ADMIN, actor="cli")
    assert _audit(store) == []


def test_disable_and_enable_are_stored_and_audited(store):
    users.create_user(store, "ana", Role.VIEWER, HASH, actor="cli")
    users.set_disabled(store, "ana", True, actor="root")
    assert users.get_user(store, "ana").disabled
    users.set_disabled(store, "ana", False, actor="root")
    assert not users.get_user(store, "ana").disabled
    assert [a[1] for a in _audit(store)] == ["create user", "disable user", "enable user"]


def test_disable_unknown_user_is_not_found(store):
    with pytest.raises(NotFound):
        users.set_disabled(store, "nobody", True, actor="cli")


def test_password_reset_is_stored_and_audited_without_the_hash(store):
    users.create_user(store, "ana", Role.VIEWER, HASH, actor="cli")
    users.set_password_hash(store, "ana", HASH + "x", actor="root")
    assert users.get_user(store, "ana").password_hash == HASH + "x"
    assert _audit(store)[-1] == ("root", "reset password", "ana")


def _never(_failures):
    return False


def _reserve(store, name="ana", *, minutes=0, device=None, throttled=_never):
    at = T0 + timedelta(minutes=minutes)
    return users.reserve_attempt(
        store, name, device=device, at=at, since=T0 - timedelta(hours=1), throttled=throttled
    )


def test_attempt_is_reserved_then_settled_with_its_audit_line(store):
    users.create_user(store, "ana", Role.VIEWER, HASH, actor="cli")
    first = _reserve(store)
    users.settle_attempt(store, first, name="ana", ok=False, detail="wrong")
    second = _reserve(store, minutes=1)
    users.settle_attempt(store, second, name="ana", ok=True, detail="fine")
    assert users.attempt_outcomes(store, "ana") == ["failed", "ok"]
    assert _audit(store)[1:] == [("ana", "failed sign-in", "wrong"), ("ana", "sign-in", "fine")]


def test_signin_can_upgrade_the_hash(store):
    users.create_user(store, "ana", Role.VIEWER, HASH, actor="cli")
    users.settle_attempt(store, _reserve(store), name="ana", ok=True, detail="", new_hash="$new")
    assert users.get_user(store, "ana").password_hash == "$new"


def test_the_throttle_sees_pending_and_failed_attempts_since_the_last_success(store):
    seen = []

    def spy(failures):
        seen.append(list(failures))
        return False

    users.settle_attempt(store, _reserve(store), name="ana", ok=False, detail="")
    users.settle_attempt(store, _reserve(store, minutes=1), name="ana", ok=True, detail="")
    users.settle_attempt(store, _reserve(store, minutes=2), name="ana", ok=False, detail="")
    _reserve(store, minutes=3)  # still pending
    _reserve(store, "bob", minutes=3)
    _reserve(store, minutes=4, throttled=spy)
    assert seen == [[T0 + timedelta(minutes=2), T0 + timedelta(minutes=3)]]


def test_a_throttled_attempt_leaves_no_row(store):
    assert _reserve(store, throttled=lambda failures: True) is None
    assert users.attempt_outcomes(store, "ana") == []


def test_a_trusted_device_has_its_own_count_and_an_admin_clear_ends_the_account_count(store):
    users.create_user(store, "ana", Role.VIEWER, HASH, actor="cli")
    seen = {}
    users.settle_attempt(store, _reserve(store), name="ana", ok=False, detail="")
    users.settle_attempt(store, _reserve(store, device="d1"), name="ana", ok=False, detail="")
    _reserve(store, minutes=1, device="d1", throttled=lambda f: seen.setdefault("device", f) and False)
    users.clear_lockout(store, "ana", actor="root", at=T0 + timedelta(minutes=2))
    _reserve(store, minutes=3, throttled=lambda f: seen.setdefault("account", f) and False)
    assert seen == {"device": [T0], "account": []}
    assert _audit(store)[-1] == ("root", "clear sign-in lock", "ana")


def test_old_attempts_are_forgotten(store):
    _reserve(store)
    _reserve(store, minutes=25 * 60)
    assert len(users.attempt_outcomes(store, "ana")) == 1


def test_sessions_end_when_the_account_is_disabled_or_its_password_reset(store):
    users.create_user(store, "ana", Role.VIEWER, HASH, actor="cli")
    users.create_user(store, "root", Role.ADMIN, HASH, actor="cli")
    users.create_session(store, "ana", "s1", at=T0)
    users.create_session(store, "ana", "s2", at=T0)
    users.set_password_hash(store, "ana", HASH, actor="root")
    assert users.open_sessions(store, "ana") == 0
    users.create_session(store, "ana", "s3", at=T0)
    users.set_disabled(store, "ana", True, actor="root")
    assert users.open_sessions(store, "ana") == 0
    assert users.session_record(store, "s3").ended_at is not None
