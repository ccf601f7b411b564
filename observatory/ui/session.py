"""Who is using this run: a signed-in account (local or single sign-on) or an anonymous visitor.

The signed-in session lives in ``st.session_state`` on the server, never in the browser: it carries
the name and when it started and was last used, and every run checks the idle and absolute limits
(:func:`observatory.auth.session_valid`) before anything else. The account's role is read again from
the store at every run, so a changed role or a disabled account takes effect at once.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import streamlit as st

from observatory import auth
from observatory.domain import Actor, Role
from observatory.i18n import format_date, t
from observatory.services import accounts, publish, sso
from observatory.ui.resources import reader, settings, store

SESSION_KEY = "observatory_session"
_NOTICE_KEY = "observatory_session_notice"

_actor: ContextVar[Actor] = ContextVar("observatory_actor", default=accounts.ANONYMOUS)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def client() -> str:
    """Who is asking, for per-client throttling: the visitor's address as the server sees it."""
    address = st.context.ip_address
    return f"ip:{address}" if address else "ip:unknown"


def sso_enabled() -> bool:
    """True when an identity provider is configured (an ``[auth]`` section in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _sso_actor() -> Actor | None:
    if not sso_enabled() or not st.user.get("is_logged_in", False):
        return None
    claims = {key: st.user.get(key) for key in st.user.to_dict()}
    return sso.actor_from_claims(claims, settings())


def _local_actor(now: datetime) -> Actor | None:
    session: auth.Session | None = st.session_state.get(SESSION_KEY)
    if session is None:
        return None
    conf = settings()
    limits = {
        "idle": timedelta(minutes=conf.session_idle_minutes),
        "absolute": timedelta(hours=conf.session_max_hours),
    }
    if not auth.session_valid(session, now, **limits):
        del st.session_state[SESSION_KEY]
        accounts.record_sign_out(store(), Actor(session.name, session.role), reason="session expired")
        st.session_state[_NOTICE_KEY] = "signin.expired"
        return None
    found = accounts.session_actor(store(), session.name)
    if found is None:
        del st.session_state[SESSION_KEY]
        return None
    st.session_state[SESSION_KEY] = replace(session, role=found.role, last_seen=now)
    return found


def begin_run() -> Actor:
    """Decide who this run acts as (public mode: always anonymous) and remember it for the run."""
    found = None if settings().public_mode else (_sso_actor() or _local_actor(_now()))
    actor = found or accounts.ANONYMOUS
    _actor.set(actor)
    return actor


def actor() -> Actor:
    """Who this run acts as (set by app.py at the start of the run)."""
    return _actor.get()


def role() -> Role:
    """The role of this run's actor."""
    return actor().role


def require(action: str) -> Actor:
    """Stop the page unless this run's actor may perform ``action`` (pages call it first)."""
    current = actor()
    if not auth.allowed(current.role, action):
        st.error(t("signin.not_allowed"))
        st.stop()
    return current


def notice() -> None:
    """Show, once, why the visitor was signed out."""
    key = st.session_state.pop(_NOTICE_KEY, None)
    if key:
        st.warning(t(key))


def sign_in(name: str, password: str) -> bool:
    """Check the name and password; on success start a session. Returns whether it succeeded."""
    result = accounts.sign_in(store(), name, password, client=client(), now=_now())
    if not result.ok:
        return False
    now = _now()
    st.session_state[SESSION_KEY] = auth.Session(result.actor.name, result.actor.role, now, now)
    return True


def sign_out() -> None:
    """End the session (local) or the identity provider's sign-in (single sign-on)."""
    current = actor()
    if st.session_state.pop(SESSION_KEY, None) is not None:
        accounts.record_sign_out(store(), current, reason="signed out")
    elif sso_enabled() and st.user.get("is_logged_in", False):
        accounts.record_sign_out(store(), current, reason="signed out (single sign-on)")
        st.logout()


def sidebar_status() -> None:
    """Who is signed in and a sign-out button, or the release the public is reading."""
    current = actor()
    if current.role is Role.PUBLIC:
        return
    st.sidebar.caption(t("signin.signed_in_as", name=current.name, role=t(f"role.{current.role.value}")))
    if st.sidebar.button(t("signin.sign_out"), key="sign-out"):
        sign_out()
        st.rerun()


def release_note() -> None:
    """Tell public visitors which release they are reading and that small counts are withheld."""
    release = publish.current_release(reader(), settings().snapshot_path)
    if release is None:
        return
    st.sidebar.caption(t("public.release_note", date=format_date(release.published_at)))
