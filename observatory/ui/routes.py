"""The app's own HTTP routes, served beside Streamlit's by app.py (``st.App(routes=…)``): session cookies.

A Streamlit run talks to the browser over a websocket and cannot set a cookie, and a cookie set by
page JavaScript could be read by page JavaScript. So a sign-in leaves a one-time ticket (valid
:data:`observatory.services.accounts.TICKET_LIFETIME`) that the page POSTs here from the same origin;
the answer sets the session cookie — HttpOnly (no script reads it), SameSite=Lax, Secure when the
request came over HTTPS, for the session's absolute lifetime — and the trusted-device cookie. Sign-out
POSTs to ``end``, which ends the session record and deletes the cookie. Both refuse requests from
another origin and bodies over :data:`MAX_BODY` bytes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from observatory.services import accounts
from observatory.ui.resources import settings, store
from observatory.ui.session import DEVICE_COOKIE, SESSION_COOKIE

MAX_BODY = 4096
PREFIX = "/api/session"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _same_origin(request: Request) -> bool:
    """True for a request the app's own page made: Origin names this host (and the browser agrees)."""
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("origin")
    return bool(origin) and urlsplit(origin).netloc == request.headers.get("host")


async def _body(request: Request) -> dict[str, object] | None:
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            return None
    try:
        found = json.loads(data or b"{}")
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _answer(status: int) -> Response:
    response = Response(status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _cookie_options(request: Request) -> dict[str, object]:
    return {"path": "/", "secure": request.url.scheme == "https", "httponly": True, "samesite": "lax"}


async def claim(request: Request) -> Response:
    """Exchange a one-time ticket for the session and trusted-device cookies."""
    body = await _body(request) if _same_origin(request) else None
    ticket = body.get("ticket") if body else None
    if not isinstance(ticket, str):
        return _answer(403)
    cookies = await run_in_threadpool(accounts.redeem_ticket, store(), ticket, now=_now())
    if cookies is None:
        return _answer(403)
    response = _answer(204)
    options = _cookie_options(request)
    lifetime = settings().session_max_hours * 3600
    response.set_cookie(SESSION_COOKIE, cookies.session, max_age=lifetime, **options)  # type: ignore[arg-type]
    device_lifetime = int(accounts.TRUSTED_DEVICE.total_seconds())
    response.set_cookie(DEVICE_COOKIE, cookies.device, max_age=device_lifetime, **options)  # type: ignore[arg-type]
    return response


async def end(request: Request) -> Response:
    """End the session the cookie names (everywhere) and delete the cookie."""
    if not _same_origin(request):
        return _answer(403)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(accounts.end_session, store(), token, now=_now())
    response = _answer(204)
    response.delete_cookie(SESSION_COOKIE, **_cookie_options(request))  # type: ignore[arg-type]
    return response


ROUTES = [
    Route(f"{PREFIX}/claim", claim, methods=["POST"]),
    Route(f"{PREFIX}/end", end, methods=["POST"]),
]
