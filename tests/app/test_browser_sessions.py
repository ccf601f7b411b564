"""A staff session in a real browser: it survives a reload, a new tab and an opened link, and ends everywhere.

The server is ``streamlit run app.py`` (the dashboard with its session routes); Debian's Chromium through
playwright. The session cookie must be HttpOnly (no page script can read it) and SameSite=Lax.
"""

import shutil
import time
from pathlib import Path

import pytest

from benchmarks.server import ARGS as CHROMIUM_ARGS
from benchmarks.server import CHROMIUM, start_server, stop_server
from observatory.ui.session import DEVICE_COOKIE, SESSION_COOKIE
from tests.app.helpers import PASSWORD, ensure_account

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def server(demo_file, demo_release, tmp_path_factory):
    work = tmp_path_factory.mktemp("sessions")
    db = Path(shutil.copy(demo_file, work / "demo.duckdb"))
    snapshot = Path(shutil.copy(demo_release, work / "public.duckdb"))
    ensure_account("editor", db=str(db))
    proc, url = start_server(db, snapshot, script="app.py")
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        patch.setenv("XDG_CONFIG_HOME", str(home))
        patch.setenv("XDG_CACHE_HOME", str(home))
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _settle(page) -> None:
    page.wait_for_timeout(800)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def _open(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    _settle(page)
    return page


def _signed_in(page, name: str = "editor") -> bool:
    return page.get_by_text(f"Signed in as {name}").count() > 0


def _cookie(context, name: str, *, present: bool = True, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [c for c in context.cookies() if c["name"] == name]
        if bool(found) == present:
            return found[0] if found else None
        time.sleep(0.2)
    raise AssertionError(f"cookie {name} {'never set' if present else 'never removed'}")


def test_a_session_survives_reloads_tabs_and_links_and_sign_out_ends_it_everywhere(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = _open(context, f"{server}/signin")
    page.get_by_label("User name").fill("editor")
    page.locator('input[type="password"]').fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_text("Signed in as editor").wait_for(timeout=60_000)

    cookie = _cookie(context, SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain HTTP on 127.0.0.1; Secure is set when served over HTTPS
    assert _cookie(context, DEVICE_COOKIE)["httpOnly"]
    assert SESSION_COOKIE not in page.evaluate("document.cookie")  # no page script can read it

    page.reload(wait_until="domcontentloaded")
    page.get_by_text("Signed in as editor").wait_for(timeout=60_000)
    tab = _open(context, f"{server}/strategy")  # a new tab on an opened link
    assert _signed_in(tab)

    _settle(page)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("Signed in as editor").wait_for(state="detached", timeout=60_000)
    _cookie(context, SESSION_COOKIE, present=False)
    tab.reload(wait_until="domcontentloaded")
    tab.wait_for_selector("h1", timeout=60_000)
    _settle(tab)
    assert not _signed_in(tab)
    context.close()


def test_a_stolen_cookie_is_dead_after_sign_out(server, browser):
    context = browser.new_context()
    page = _open(context, f"{server}/signin")
    page.get_by_label("User name").fill("editor")
    page.locator('input[type="password"]').fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_text("Signed in as editor").wait_for(timeout=60_000)
    stolen = _cookie(context, SESSION_COOKIE)
    _settle(page)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("Signed in as editor").wait_for(state="detached", timeout=60_000)
    _cookie(context, SESSION_COOKIE, present=False)
    context.close()

    thief = browser.new_context()
    thief.add_cookies([{k: stolen[k] for k in ("name", "value", "domain", "path")}])
    again = _open(thief, server)
    assert not _signed_in(again)
    thief.close()


def test_the_cookie_routes_refuse_other_origins_and_made_up_tickets(server, browser):
    context = browser.new_context()
    request = context.request
    other = request.post(
        f"{server}/api/session/claim", data='{"ticket": "x"}', headers={"Origin": "http://evil.example"}
    )
    made_up = request.post(f"{server}/api/session/claim", data='{"ticket": "x"}', headers={"Origin": server})
    huge = request.post(f"{server}/api/session/claim", data="x" * 100_000, headers={"Origin": server})
    assert (other.status, made_up.status, huge.status) == (403, 403, 403)
    assert not [c for c in context.cookies() if c["name"] == SESSION_COOKIE]
    context.close()


REFUSED = "Sign-in refused"


def _attempt(browser, url: str, name: str, password: str, forwarded: str) -> bool:
    """One sign-in in a fresh browser whose requests (the websocket's too) carry ``X-Forwarded-For``."""
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": forwarded})
    try:
        page = _open(context, f"{url}/signin")
        page.get_by_label("User name").fill(name)
        page.locator('input[type="password"]').fill(password)
        page.keyboard.press("Enter")
        page.get_by_text(REFUSED).or_(page.get_by_text(f"Signed in as {name}")).first.wait_for(timeout=60_000)
        return _signed_in(page, name)
    finally:
        context.close()


@pytest.fixture(scope="module")
def behind_proxy(demo_file, demo_release, tmp_path_factory):
    """The app as if behind a reverse proxy on this machine: 127.0.0.1 is a trusted proxy."""
    work = tmp_path_factory.mktemp("proxy")
    db = Path(shutil.copy(demo_file, work / "demo.duckdb"))
    snapshot = Path(shutil.copy(demo_release, work / "public.duckdb"))
    ensure_account("editor", db=str(db))
    proc, url = start_server(db, snapshot, script="app.py", env={"OBSERVATORY_TRUSTED_PROXIES": "127.0.0.1"})
    try:
        yield url
    finally:
        stop_server(proc)


def test_through_a_trusted_proxy_a_client_is_limited_whatever_it_puts_in_front(behind_proxy, browser):
    # The client varies the part of X-Forwarded-For it controls; the proxy's own entry stays its address.
    refused = [
        not _attempt(browser, behind_proxy, f"nobody{i}", "wrong password!!", f"10.9.9.{i}, 198.51.100.7")
        for i in range(5)
    ]
    assert all(refused)
    assert not _attempt(browser, behind_proxy, "editor", PASSWORD, "10.9.9.99, 198.51.100.7")
    assert _attempt(browser, behind_proxy, "editor", PASSWORD, "198.51.100.8")  # another client


def test_without_a_trusted_proxy_varying_forwarded_for_shares_no_bucket(server, browser):
    for i in range(6):
        assert not _attempt(browser, server, f"nobody{i}", "wrong password!!", f"198.51.100.{i}")
    assert _attempt(browser, server, "editor", PASSWORD, "198.51.100.99")
