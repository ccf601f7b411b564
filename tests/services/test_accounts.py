"""Signing in: one refusal message, throttling per account and per client, audit, hash upgrade."""

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from observatory import auth
from observatory.domain import Actor, PermissionDenied, Role
from observatory.services import accounts
from observatory.store import connect
from observatory.store import users as user_store

ADMIN = Actor("root", Role.ADMIN)
PASSWORD = "correct horse battery"
T0 = datetime(2024, 5, 1, 9, 0)


@pytest.fixture(autouse=True)
def quick_refusals(monkeypatch):
    """Refusals answer at once here; their equal timing is tested in test_signin_attacks.py."""
    monkeypatch.setattr(accounts, "REFUSAL_SECONDS", 0.0)


@pytest.fixture
def store():
    opened = connect(":memory:")
    accounts.create_account(opened, "ana", Role.EDITOR, PASSWORD, actor=ADMIN)
    yield opened
    opened.close()


def _sign_in(store, password=PASSWORD, *, name="ana", client="10.0.0.1", minutes=0.0):
    return accounts.sign_in(store, name, password, client=client, now=T0 + timedelta(minutes=minutes))


def _audit(store):
    return store.rows("SELECT actor, action, detail FROM audit_log ORDER BY id")


def test_right_password_signs_in_with_the_account_role(store):
    result = _sign_in(store)
    assert result.ok and result.actor == Actor("ana", Role.EDITOR) and result.message == ""


def test_wrong_password_is_refused(store):
    result = _sign_in(store, "wrong password!")
    assert not result.ok and result.actor.role is Role.PUBLIC and result.message == accounts.REFUSED


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(store):
    assert _sign_in(store, name="nobody") == _sign_in(store, "wrong password!")


def test_disabled_user_is_refused_even_with_the_right_password(store):
    accounts.set_disabled(store, "ana", True, actor=ADMIN)
    assert _sign_in(store) == accounts.SignInResult(False, accounts.ANONYMOUS, accounts.REFUSED)


def test_reenabled_user_signs_in_again(store):
    accounts.set_disabled(store, "ana", True, actor=ADMIN)
    accounts.set_disabled(store, "ana", False, actor=ADMIN)
    assert _sign_in(store).ok


def test_every_attempt_is_audited(store):
    _sign_in(store, "wrong password!", minutes=1)
    _sign_in(store, name="nobody", minutes=2)
    _sign_in(store, minutes=3)
    assert accounts.flush_summary(store) == 1
    lines = _audit(store)[1:]
    assert [(a, b) for a, b, _ in lines] == [
        ("ana", "failed sign-in"),
        ("ana", "sign-in"),
        ("anonymous", accounts.SUMMARY_ACTION),
    ]
    assert "wrong password" in lines[0][2]
    assert "1 names that are not accounts" in lines[2][2] and "nobody" in lines[2][2]
    assert all("10.0.0.1" in detail for _, _, detail in lines[:2])


def test_sixth_attempt_on_an_account_is_refused_even_with_the_right_password(store):
    for attempt in range(5):
        assert not _sign_in(store, "wrong password!", client=f"c{attempt}", minutes=attempt).ok
    result = _sign_in(store, client="fresh", minutes=5)
    assert not result.ok and result.message == accounts.REFUSED
    accounts.flush_summary(store)
    assert "on locked accounts: ana 1" in _audit(store)[-1][2]


def test_account_is_released_after_the_lockout(store):
    for attempt in range(5):
        _sign_in(store, "wrong password!", client=f"c{attempt}", minutes=attempt)
    assert not _sign_in(store, minutes=18).ok
    assert _sign_in(store, minutes=19).ok


def test_sixth_attempt_from_a_client_is_refused_whatever_the_account(store):
    for attempt in range(5):
        assert not _sign_in(
            store, "wrong password!", name=f"guess{attempt}", client="bot", minutes=attempt
        ).ok
    assert not _sign_in(store, client="bot", minutes=5).ok
    assert _sign_in(store, client="someone else", minutes=5).ok


def test_client_is_released_after_the_lockout(store):
    for attempt in range(5):
        _sign_in(store, "wrong password!", name=f"guess{attempt}", client="bot", minutes=attempt)
    assert _sign_in(store, client="bot", minutes=19).ok


def test_success_resets_the_account_count(store):
    for attempt in range(4):
        _sign_in(store, "wrong password!", client=f"c{attempt}", minutes=attempt)
    assert _sign_in(store, client="desk", minutes=4).ok
    _sign_in(store, "wrong password!", client="c9", minutes=5)
    assert _sign_in(store, client="desk", minutes=6).ok


def test_timezone_aware_time_is_accepted(store):
    assert accounts.sign_in(store, "ana", PASSWORD, client="c", now=datetime(2024, 5, 1, tzinfo=UTC)).ok


def test_outdated_hash_is_upgraded_on_sign_in(store):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user_store.set_password_hash(store, "ana", weak, actor="test")
    assert _sign_in(store).ok
    upgraded = user_store.get_user(store, "ana").password_hash
    assert upgraded != weak and not auth.needs_rehash(upgraded) and auth.verify_password(upgraded, PASSWORD)


def test_current_hash_is_kept_on_sign_in(store):
    before = user_store.get_user(store, "ana").password_hash
    _sign_in(store)
    assert user_store.get_user(store, "ana").password_hash == before


def test_account_without_password_cannot_sign_in(store):
    store.rows("UPDATE users SET password_hash = NULL WHERE name = 'ana'")
    assert not _sign_in(store, "").ok


def test_only_admins_manage_accounts(store):
    editor = Actor("ed", Role.EDITOR)
    with pytest.raises(PermissionDenied):
        accounts.create_account(store, "bob", Role.VIEWER, PASSWORD, actor=editor)
    with pytest.raises(PermissionDenied):
        accounts.change_role(store, "ana", Role.ADMIN, actor=editor)
    with pytest.raises(PermissionDenied):
        accounts.list_accounts(store, actor=editor)


def test_weak_password_is_refused_at_creation(store):
    with pytest.raises(auth.AccountError):
        accounts.create_account(store, "bob", Role.VIEWER, "short", actor=ADMIN)
    assert not accounts.account_exists(store, "bob", actor=ADMIN)


def test_public_role_is_refused_for_an_account(store):
    with pytest.raises(auth.AccountError):
        accounts.change_role(store, "ana", Role.PUBLIC, actor=ADMIN)


def test_reset_password_replaces_the_old_one(store):
    accounts.reset_password(store, "ana", "a brand new passphrase", actor=ADMIN)
    assert not _sign_in(store, minutes=1).ok
    assert _sign_in(store, "a brand new passphrase", minutes=2).ok


def test_unknown_user_costs_one_hash_verification(store, monkeypatch):
    calls = []
    monkeypatch.setattr(auth, "dummy_verify", calls.append)
    _sign_in(store, "whatever password", name="nobody")
    assert calls == ["whatever password"]
