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


def test_signin_attempt_is_kept_and_audited(store):
    users.record_signin(store, name="ana", client="10.0.0.1", outcome="failed", at=T0, detail="wrong")
    users.record_signin(store, name="ana", client="10.0.0.1", outcome="ok", at=T0, detail="fine")
    assert store.rows("SELECT name, client, outcome FROM signin_attempts ORDER BY outcome") == [
        ("ana", "10.0.0.1", "failed"),
        ("ana", "10.0.0.1", "ok"),
    ]
    assert _audit(store) == [("ana", "failed sign-in", "wrong"), ("ana", "sign-in", "fine")]


def test_signin_can_upgrade_the_hash(store):
    users.create_user(store, "ana", Role.VIEWER, HASH, actor="cli")
    users.record_signin(store, name="ana", client="c", outcome="ok", at=T0, detail="", new_hash="$new")
    assert users.get_user(store, "ana").password_hash == "$new"


def _attempt(store, name, client, outcome, minutes):
    at = T0 + timedelta(minutes=minutes)
    users.record_signin(store, name=name, client=client, outcome=outcome, at=at, detail="")


def test_account_failures_since_a_time(store):
    for minute in (0, 5, 10):
        _attempt(store, "ana", "c", "failed", minute)
    _attempt(store, "bob", "c", "failed", 6)
    _attempt(store, "ana", "c", "throttled", 7)
    found = users.account_failures(store, "ana", T0 + timedelta(minutes=5))
    assert found == [T0 + timedelta(minutes=5), T0 + timedelta(minutes=10)]


def test_success_clears_the_account_failures(store):
    _attempt(store, "ana", "c", "failed", 0)
    _attempt(store, "ana", "c", "ok", 1)
    _attempt(store, "ana", "c", "failed", 2)
    assert users.account_failures(store, "ana", T0) == [T0 + timedelta(minutes=2)]


def test_client_failures_span_names_and_survive_success(store):
    _attempt(store, "ana", "c", "failed", 0)
    _attempt(store, "bob", "c", "failed", 1)
    _attempt(store, "eve", "c", "ok", 2)
    _attempt(store, "ana", "other", "failed", 3)
    assert users.client_failures(store, "c", T0) == [T0, T0 + timedelta(minutes=1)]
