"""Staff sessions behind the cookie: a server record, a one-time ticket, ended everywhere at once."""

from datetime import datetime, timedelta

import pytest

from observatory import auth
from observatory.domain import Actor, Role
from observatory.services import accounts
from observatory.store import connect
from observatory.store import users as user_store

ADMIN = Actor("root", Role.ADMIN)
ANA = Actor("ana", Role.EDITOR)
T0 = datetime(2024, 5, 1, 9, 0)
LIMITS = {"idle": timedelta(minutes=30), "absolute": timedelta(hours=8)}


@pytest.fixture
def store():
    opened = connect(":memory:")
    accounts.create_account(opened, "root", Role.ADMIN, "correct horse battery", actor=ADMIN)
    accounts.create_account(opened, "ana", Role.EDITOR, "correct horse battery", actor=ADMIN)
    yield opened
    opened.close()


def _resume(store, token, minutes=0.0):
    return accounts.resume_session(store, token, now=T0 + timedelta(minutes=minutes), **LIMITS)


def test_a_ticket_gives_the_cookies_once_and_only_while_fresh(store):
    started = accounts.start_session(store, ANA, now=T0)
    cookies = accounts.redeem_ticket(store, started.ticket, now=T0 + timedelta(seconds=5))
    assert cookies is not None and cookies.session == started.token
    assert accounts.redeem_ticket(store, started.ticket, now=T0 + timedelta(seconds=6)) is None
    late = accounts.start_session(store, ANA, now=T0)
    assert accounts.redeem_ticket(store, late.ticket, now=T0 + timedelta(seconds=61)) is None
    assert accounts.redeem_ticket(store, "made up", now=T0) is None


def test_only_digests_are_stored(store):
    started = accounts.start_session(store, ANA, now=T0, device="browser-token")
    stored = store.rows("SELECT token_digest FROM staff_sessions") + store.rows(
        "SELECT token_digest FROM trusted_devices"
    )
    assert started.token not in str(stored) and "browser-token" not in str(stored)
    assert (auth.token_digest(started.token),) in stored


def test_a_session_resumes_until_idle_or_absolute_expiry(store):
    token = accounts.start_session(store, ANA, now=T0).token
    assert _resume(store, token, 29) == (ANA, False)
    assert _resume(store, token, 58) == (ANA, False)  # used at 29: not idle
    assert _resume(store, token, 89) == (None, True)
    assert _resume(store, token, 90) == (None, False)  # ended: an old cookie is just nobody
    other = accounts.start_session(store, ANA, now=T0).token
    for minutes in range(20, 8 * 60, 20):
        assert _resume(store, other, minutes)[0] == ANA
    assert _resume(store, other, 8 * 60) == (None, True)


def test_sign_out_ends_the_session_everywhere(store):
    token = accounts.start_session(store, ANA, now=T0).token
    assert accounts.end_session(store, token, now=T0 + timedelta(minutes=1))
    assert _resume(store, token, 2) == (None, False)
    assert not accounts.end_session(store, token, now=T0 + timedelta(minutes=3))
    assert store.rows("SELECT actor, action, detail FROM audit_log ORDER BY id")[-1] == (
        "ana",
        "sign-out",
        "signed out",
    )


def test_disabling_or_resetting_an_account_ends_its_sessions(store):
    first = accounts.start_session(store, ANA, now=T0).token
    accounts.set_disabled(store, "ana", True, actor=ADMIN)
    accounts.set_disabled(store, "ana", False, actor=ADMIN)
    assert _resume(store, first, 1) == (None, False)
    second = accounts.start_session(store, ANA, now=T0).token
    accounts.reset_password(store, "ana", "another long passphrase", actor=ADMIN)
    assert _resume(store, second, 1) == (None, False)
    assert user_store.open_sessions(store, "ana") == 0


def test_a_role_change_reaches_an_open_session(store):
    token = accounts.start_session(store, ANA, now=T0).token
    accounts.change_role(store, "ana", Role.VIEWER, actor=ADMIN)
    assert _resume(store, token, 1) == (Actor("ana", Role.VIEWER), False)


@pytest.mark.parametrize("token", ["", "x" * 10_000])
def test_odd_cookies_are_nobody(store, token):
    assert _resume(store, token) == (None, False)
