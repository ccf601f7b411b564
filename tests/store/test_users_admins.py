"""The store never loses its last enabled admin, whoever asks (checked inside the writing transaction)."""

import pytest

from observatory.domain import Role
from observatory.store import connect, users

HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"


@pytest.fixture
def store():
    opened = connect(":memory:")
    users.create_user(opened, "ana", Role.ADMIN, HASH, actor="cli")
    yield opened
    opened.close()


def test_last_admin_cannot_lose_the_role(store):
    with pytest.raises(users.LastAdmin):
        users.set_role(store, "ana", Role.EDITOR, actor="cli")
    assert users.get_user(store, "ana").role is Role.ADMIN


def test_last_admin_cannot_be_disabled(store):
    with pytest.raises(users.LastAdmin):
        users.set_disabled(store, "ana", True, actor="cli")
    assert not users.get_user(store, "ana").disabled


def test_refusal_leaves_no_audit_line(store):
    with pytest.raises(users.LastAdmin):
        users.set_disabled(store, "ana", True, actor="cli")
    assert store.rows("SELECT action FROM audit_log") == [("create user",)]


def test_password_reset_of_the_last_admin_is_allowed(store):
    users.set_password_hash(store, "ana", HASH + "x", actor="cli")
    assert users.get_user(store, "ana").password_hash == HASH + "x"


def test_second_admin_lets_the_first_go(store):
    users.create_user(store, "eva", Role.ADMIN, HASH, actor="cli")
    users.set_role(store, "ana", Role.VIEWER, actor="cli")
    with pytest.raises(users.LastAdmin):
        users.set_disabled(store, "eva", True, actor="cli")
