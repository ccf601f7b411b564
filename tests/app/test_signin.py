"""Signing in through the app: local accounts, one refusal message, throttling, expiry, single sign-on."""

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from observatory import auth
from observatory.domain import Actor, Role
from observatory.services import accounts
from observatory.store import connect
from observatory.ui import session
from observatory.ui.session import SESSION_KEY
from tests.app.helpers import APP, PASSWORD, ensure_account, start

STAFF_PAGE = "pages/strategy_editing.py"


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.switch_page("pages/signin.py").run()
    at.text_input(key="signin-name").input(name)
    at.text_input(key="signin-password").input(password)
    return at.get("form_submit_button")[0].click().run()


@pytest.fixture(autouse=True)
def address(monkeypatch):
    """The visitor's address as the server sees it (AppTest has none to give): set it per test."""
    current = {"ip": "192.0.2.10"}
    monkeypatch.setattr(session, "client", lambda: f"ip:{current['ip']}")
    return current


def _fresh() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def _signed_in_as(at: AppTest) -> str:
    return " ".join(caption.value for caption in at.sidebar.caption)


def _audit(db, action: str) -> list[str]:
    store = connect(db)  # the app's own connection settings: DuckDB shares one instance per file
    try:
        return store.frame("SELECT detail FROM audit_log WHERE action = ? ORDER BY id", [action])[
            "detail"
        ].tolist()
    finally:
        store.close()


def test_right_password_signs_in_and_registers_the_staff_pages(demo_app, buttons):
    ensure_account("editor")
    at = _sign_in(_fresh(), "editor", PASSWORD)
    assert not at.exception
    assert "Signed in as editor (editor)" in _signed_in_as(at)
    at.switch_page(STAFF_PAGE).run()  # registered now: switching would raise otherwise
    assert not at.exception
    assert _audit(demo_app, "sign-in") == ["client ip:192.0.2.10"]


@pytest.mark.parametrize("name,password", [("editor", "wrong password!!"), ("nobody", PASSWORD)])
def test_wrong_password_and_unknown_name_get_the_same_message(demo_app, buttons, name, password):
    ensure_account("editor")
    at = _sign_in(_fresh(), name, password)
    assert [e.value for e in at.error] == [accounts.REFUSED]
    assert "Signed in" not in _signed_in_as(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(STAFF_PAGE).run()


def test_five_failures_throttle_even_the_right_password(demo_app, buttons):
    ensure_account("editor")
    at = _fresh()
    for _ in range(5):
        at = _sign_in(at, "editor", "wrong password!!")
    at = _sign_in(at, "editor", PASSWORD)
    assert [e.value for e in at.error] == [accounts.REFUSED]
    assert "Signed in" not in _signed_in_as(at)


def test_throttling_is_per_client_too(demo_app, buttons, address):
    ensure_account("editor")
    address["ip"] = "198.51.100.7"
    at = _fresh()
    for number in range(5):
        at = _sign_in(at, f"guess{number}", "wrong password!!")
    at = _sign_in(at, "editor", PASSWORD)  # a real account, never failed itself, from the same client
    assert [e.value for e in at.error] == [accounts.REFUSED]
    address["ip"] = "203.0.113.9"
    other = _sign_in(_fresh(), "editor", PASSWORD)
    assert "Signed in as editor" in _signed_in_as(other)


def _session(age: timedelta, idle: timedelta) -> auth.Session:
    now = datetime.now(UTC).replace(tzinfo=None)
    return auth.Session("editor", Role.EDITOR, now - age, now - idle)


@pytest.mark.parametrize(
    "age,idle",
    [(timedelta(hours=9), timedelta(minutes=1)), (timedelta(hours=1), timedelta(minutes=31))],
    ids=["absolute", "idle"],
)
def test_expired_session_is_ended_on_the_server(demo_app, age, idle):
    ensure_account("editor")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[SESSION_KEY] = _session(age, idle)
    at.run()
    assert SESSION_KEY not in at.session_state
    assert "Signed in" not in _signed_in_as(at)
    assert _audit(demo_app, "sign-out") == ["session expired"]


def test_live_session_is_kept_and_its_last_use_moves(demo_app):
    ensure_account("editor")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[SESSION_KEY] = _session(timedelta(hours=1), timedelta(minutes=20))
    at.run()
    kept = at.session_state[SESSION_KEY]
    assert datetime.now(UTC).replace(tzinfo=None) - kept.last_seen < timedelta(minutes=1)
    assert "Signed in as editor" in _signed_in_as(at)


def test_disabled_account_loses_its_session_at_the_next_run(demo_app):
    at = start(role="editor")
    store = connect(demo_app)
    accounts.set_disabled(store, "editor", True, actor=Actor("boss", Role.ADMIN))
    store.close()
    at.run()
    assert "Signed in" not in _signed_in_as(at)


def test_role_change_takes_effect_at_the_next_run(demo_app):
    at = start(role="editor")
    assert "(editor)" in _signed_in_as(at)
    store = connect(demo_app)
    accounts.change_role(store, "editor", Role.VIEWER, actor=Actor("boss", Role.ADMIN))
    store.close()
    at.run()
    assert "(viewer)" in _signed_in_as(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(STAFF_PAGE).run()


def test_sign_out_ends_the_session(demo_app, buttons):
    at = start(role="editor")
    at.sidebar.button(key="sign-out").click().run()
    assert SESSION_KEY not in at.session_state
    assert "Signed in" not in _signed_in_as(at)
    assert _audit(demo_app, "sign-out") == ["signed out"]


def _sso(user: dict, monkeypatch, **env) -> AppTest:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    at.user = user
    return at.run()


def test_single_sign_on_maps_the_email_to_a_role(demo_app, monkeypatch):
    user = {"is_logged_in": True, "email": "Ana@City.example"}
    at = _sso(user, monkeypatch, OBSERVATORY_SSO_ROLES="ana@city.example=editor")
    assert "Signed in as ana@city.example (editor)" in _signed_in_as(at)
    at.switch_page(STAFF_PAGE).run()
    assert not at.exception


def test_single_sign_on_reads_the_role_claim(demo_app, monkeypatch):
    user = {"is_logged_in": True, "email": "rui@city.example", "groups": ["staff", "admin"]}
    at = _sso(user, monkeypatch, OBSERVATORY_SSO_ROLE_CLAIM="groups")
    assert "rui@city.example (administrator)" in _signed_in_as(at)


def test_single_sign_on_without_a_role_gets_the_public_view(demo_app, monkeypatch):
    at = _sso({"is_logged_in": True, "email": "someone@else.example"}, monkeypatch)
    assert "Signed in" not in _signed_in_as(at)
    assert any("Published data" in caption for caption in (c.value for c in at.sidebar.caption))


def test_sign_in_page_offers_the_identity_provider_when_configured(demo_app, monkeypatch):
    at = _sso({"is_logged_in": False}, monkeypatch)
    at.switch_page("pages/signin.py").run()
    assert at.button(key="sso-login").label == "Sign in with the city's account"
