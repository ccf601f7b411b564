"""Who is using this run: a signed-in account (local or single sign-on) or an anonymous visitor.

A local sign-in starts a server-side session record (:func:`observatory.services.accounts.start_session`)
and keeps its token in ``st.session_state``; the browser is then given the token in an HttpOnly cookie
through the app's own route (observatory/ui/routes.py, reached by a same-origin ``fetch`` carrying a
one-time ticket), so a reload, a new tab or an opened link finds the session again from the cookie.
Every run checks the record (idle and absolute limits, sign-out, disabled account) before anything
else, and reads the account's role again, so a change takes effect at once in every tab.
"""

from __future__ import annotations

import json
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
_SCRIPT_KEY = "observatory_session_script"
#: The cookies the routes set (HttpOnly, SameSite=Lax, Secure over HTTPS): the session and the browser.
SESSION_COOKIE = "observatory_session"
DEVICE_COOKIE = "observatory_device"

_actor: ContextVar[Actor] = ContextVar("observatory_actor", default=accounts.ANONYMOUS)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def client() -> str | None:
    """Who is asking, for per-client throttling: an address worth keying on, or None.

    Streamlit reports a loopback peer as no address (with request headers present the peer is then
    this machine), and its server has already put an ``X-Forwarded-For`` address in place of a
    loopback peer (:func:`observatory.auth.connection_peer` undoes that);
    :func:`observatory.auth.client_address` decides what to believe, from ``trusted_proxies``.
    """
    headers = st.context.headers
    forwarded = headers.get_all("X-Forwarded-For") if headers else []
    peer = auth.connection_peer(st.context.ip_address, forwarded) or ("127.0.0.1" if headers else None)
    address = auth.client_address(peer, forwarded, settings().trusted_proxies)
    return None if address is None else f"ip:{address}"


def _limits() -> dict[str, timedelta]:
    conf = settings()
    return {
        "idle": timedelta(minutes=conf.session_idle_minutes),
        "absolute": timedelta(hours=conf.session_max_hours),
    }


def _cookie(name: str) -> str | None:
    value = st.context.cookies.get(name)
    return str(value) if value else None


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
        token = _cookie(SESSION_COOKIE)
        if token is None:
            return None
        found, _ = accounts.resume_session(store(), token, now=now, **_limits())
        if found is None:
            return None  # an old cookie: its session has ended (the notice was given where it ended)
        session = auth.Session(found.name, found.role, now, now, token)
        st.session_state[SESSION_KEY] = session
    if session.token is not None:
        found, expired = accounts.resume_session(store(), session.token, now=now, **_limits())
    elif auth.session_valid(session, now, **_limits()):
        found, expired = accounts.session_actor(store(), session.name), False
    else:
        accounts.record_sign_out(store(), Actor(session.name, session.role), reason="session expired")
        found, expired = None, True
    if found is None:
        del st.session_state[SESSION_KEY]
        if expired:
            st.session_state[_NOTICE_KEY] = "signin.expired"
        return None
    st.session_state[SESSION_KEY] = replace(session, role=found.role, last_seen=now)
    return found


def begin_run(*, anonymous: bool = False) -> Actor:
    """Decide who this run acts as (public mode: always anonymous) and remember it for the run.

    Args:
        anonymous: Act as an anonymous visitor whoever is signed in (an embedded chart shows the
            published release only, even in a signed-in staff member's browser).
    """
    found = None if settings().public_mode or anonymous else (_sso_actor() or _local_actor(_now()))
    actor = found or accounts.ANONYMOUS
    _actor.set(actor)
    return actor


def actor() -> Actor:
    """Who this run acts as (set by dashboard.py at the start of the run)."""
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
    device = _cookie(DEVICE_COOKIE)
    result = accounts.sign_in(store(), name, password, client=client(), now=_now(), device=device)
    if not result.ok:
        return False
    now = _now()
    started = accounts.start_session(store(), result.actor, now=now, device=device)
    st.session_state[SESSION_KEY] = auth.Session(
        result.actor.name, result.actor.role, now, now, started.token
    )
    # The next run asks the app's route to put the session in an HttpOnly cookie (see routes.py).
    st.session_state[_SCRIPT_KEY] = _post_script(f"{_ROUTES}/claim", {"ticket": started.ticket})
    return True


def sign_out() -> None:
    """End the session everywhere (local) or the identity provider's sign-in (single sign-on)."""
    current = actor()
    session: auth.Session | None = st.session_state.pop(SESSION_KEY, None)
    if session is not None and session.token is not None:
        accounts.end_session(store(), session.token, now=_now())
        st.session_state[_SCRIPT_KEY] = _post_script(f"{_ROUTES}/end", {})
    elif session is not None:
        accounts.record_sign_out(store(), current, reason="signed out")
    elif sso_enabled() and st.user.get("is_logged_in", False):
        accounts.record_sign_out(store(), current, reason="signed out (single sign-on)")
        st.logout()


#: Where the session routes live (observatory/ui/routes.py), relative to the page.
_ROUTES = "api/session"


def _post_script(path: str, fields: dict[str, str]) -> str:
    """A script that POSTs ``fields`` to ``path`` on this site (same origin, cookies set by the answer)."""
    body = json.dumps(fields)
    target = json.dumps("./" + path)
    return (
        f"<script>fetch(new URL({target}, window.location.href), {{method: 'POST', "
        "credentials: 'same-origin', headers: {'Content-Type': 'application/json'}, "
        f"body: {json.dumps(body)}}});</script>"
    )


def _run_script() -> None:
    script = st.session_state.pop(_SCRIPT_KEY, None)
    if script:
        st.html(script, unsafe_allow_javascript=True)


def sidebar_status() -> None:
    """Who is signed in and a sign-out button, or the release the public is reading."""
    _run_script()
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
