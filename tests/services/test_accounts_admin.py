"""Managing accounts from the admin screens: the listing, and the rules that keep an admin in charge."""

import dataclasses

import pytest

from observatory import auth
from observatory.domain import Actor, PermissionDenied, Role
from observatory.services import accounts
from observatory.store import connect
from observatory.store import users as user_store

ROOT = Actor("root", Role.ADMIN)
PASSWORD = "correct horse battery"


@pytest.fixture
def store():
    """ana is the only admin account; rui is an editor. ROOT (not an account) acts as the command line."""
    opened = connect(":memory:")
    accounts.create_account(opened, "ana", Role.ADMIN, PASSWORD, actor=ROOT)
    accounts.create_account(opened, "rui", Role.EDITOR, PASSWORD, actor=ROOT)
    yield opened
    opened.close()


ANA = Actor("ana", Role.ADMIN)


def _role(store, name):
    return user_store.get_user(store, name).role


def _last_audit(store):
    return store.rows("SELECT actor, action, detail FROM audit_log ORDER BY id DESC LIMIT 1")[0]


def test_listing_shows_name_role_created_and_disabled_but_no_hash(store):
    found = accounts.listing(store, actor=ANA)
    assert [(a.name, a.role, a.disabled) for a in found] == [
        ("ana", Role.ADMIN, False),
        ("rui", Role.EDITOR, False),
    ]
    assert {f.name for f in dataclasses.fields(accounts.Account)} == {
        "name",
        "role",
        "created_at",
        "disabled",
    }
    assert all(a.created_at is not None for a in found)


def test_admin_cannot_demote_their_own_account(store):
    accounts.create_account(store, "eva", Role.ADMIN, PASSWORD, actor=ANA)
    with pytest.raises(accounts.OwnAccount) as refused:
        accounts.change_role(store, "ana", Role.EDITOR, actor=ANA)
    assert refused.value.code == "own-account"
    assert _role(store, "ana") is Role.ADMIN


def test_admin_cannot_disable_their_own_account(store):
    accounts.create_account(store, "eva", Role.ADMIN, PASSWORD, actor=ANA)
    with pytest.raises(accounts.OwnAccount):
        accounts.set_disabled(store, "ana", True, actor=ANA)
    assert not user_store.get_user(store, "ana").disabled


def test_refused_change_writes_no_audit_line(store):
    before = store.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(accounts.OwnAccount):
        accounts.set_disabled(store, "ana", True, actor=ANA)
    assert store.scalar("SELECT count(*) FROM audit_log") == before


def test_admin_may_keep_their_own_admin_role(store):
    accounts.change_role(store, "ana", Role.ADMIN, actor=ANA)
    assert _role(store, "ana") is Role.ADMIN


def test_last_enabled_admin_cannot_be_demoted_by_anyone(store):
    with pytest.raises(accounts.LastAdmin):
        accounts.change_role(store, "ana", Role.VIEWER, actor=ROOT)
    assert _role(store, "ana") is Role.ADMIN


def test_last_enabled_admin_cannot_be_disabled_by_anyone(store):
    with pytest.raises(accounts.LastAdmin):
        accounts.set_disabled(store, "ana", True, actor=ROOT)
    assert not user_store.get_user(store, "ana").disabled


def test_a_disabled_admin_does_not_count_as_the_remaining_admin(store):
    accounts.create_account(store, "eva", Role.ADMIN, PASSWORD, actor=ANA)
    accounts.set_disabled(store, "eva", True, actor=ANA)
    with pytest.raises(accounts.LastAdmin):
        accounts.change_role(store, "ana", Role.EDITOR, actor=ROOT)


def test_another_admin_may_demote_an_admin_while_one_remains(store):
    accounts.create_account(store, "eva", Role.ADMIN, PASSWORD, actor=ANA)
    accounts.change_role(store, "eva", Role.EDITOR, actor=ANA)
    assert _role(store, "eva") is Role.EDITOR
    assert _last_audit(store) == ("ana", "change role", "eva: admin -> editor")


def test_another_admin_may_disable_an_admin_while_one_remains(store):
    accounts.create_account(store, "eva", Role.ADMIN, PASSWORD, actor=ANA)
    accounts.set_disabled(store, "eva", True, actor=ANA)
    assert user_store.get_user(store, "eva").disabled


def test_a_disabled_last_admin_may_still_be_demoted(store):
    # Nobody is locked out by it: the store had no enabled admin left to lose.
    accounts.create_account(store, "eva", Role.ADMIN, PASSWORD, actor=ANA)
    accounts.set_disabled(store, "eva", True, actor=ANA)
    accounts.change_role(store, "eva", Role.VIEWER, actor=ANA)
    assert _role(store, "eva") is Role.VIEWER


def test_enabling_an_account_is_never_refused_by_the_admin_rules(store):
    accounts.set_disabled(store, "rui", True, actor=ANA)
    accounts.set_disabled(store, "rui", False, actor=ANA)
    assert not user_store.get_user(store, "rui").disabled


def test_policy_errors_carry_a_code(store):
    with pytest.raises(auth.AccountError) as short:
        accounts.create_account(store, "bob", Role.VIEWER, "x" * 11, actor=ANA)
    with pytest.raises(auth.AccountError) as name:
        accounts.create_account(store, "bad name", Role.VIEWER, PASSWORD, actor=ANA)
    assert (short.value.code, name.value.code) == ("password-too-short", "bad-name")


def test_twelve_characters_are_enough(store):
    accounts.create_account(store, "bob", Role.VIEWER, "x" * 12, actor=ANA)
    assert accounts.account_exists(store, "bob", actor=ANA)


WRITES = {
    "create_account": lambda store, actor: accounts.create_account(
        store, "bob", Role.VIEWER, PASSWORD, actor=actor
    ),
    "change_role": lambda store, actor: accounts.change_role(store, "rui", Role.VIEWER, actor=actor),
    "set_disabled": lambda store, actor: accounts.set_disabled(store, "rui", True, actor=actor),
    "reset_password": lambda store, actor: accounts.reset_password(
        store, "rui", "another passphrase", actor=actor
    ),
    "listing": lambda store, actor: accounts.listing(store, actor=actor),
}


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.VIEWER, Role.EDITOR])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_below_admin_is_refused(store, write, role):
    before = store.rows("SELECT * FROM users ORDER BY name")
    with pytest.raises(PermissionDenied):
        WRITES[write](store, Actor("rui", role))
    assert store.rows("SELECT * FROM users ORDER BY name") == before
