"""Real browser: every text a user or a file can set, filled with Markdown/HTML payloads, shows as text.

The demo city's stored texts (district names from the boundary file, indicator names, themes, sources and
definitions, axis, objective and action titles, partner names, assessments and their authors, series-break
notes, upload file names) are replaced by a corpus of payloads: links, images, iframes, scripts, autolinks,
HTML entities and plotly tags, all pointing at a host that does not exist. Every public page and the staff
pages that show those texts are opened in Chromium (and every chart hovered): no ``a``, ``img``,
``iframe``, ``script`` or SVG ``image`` element comes from them, no script ran, and no request leaves
127.0.0.1.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.app.hostile import HOST, poison
from tests.app.test_browser import CHROMIUM, _settle, _sign_in, _start_server, _stop, browser  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def hostile(demo_file, tmp_path_factory):
    from tests.app.helpers import ensure_account

    work = tmp_path_factory.mktemp("hostile")
    db = Path(shutil.copy(demo_file, work / "demo.duckdb"))
    poison(db)
    ensure_account("admin", db=str(db))
    proc, url = _start_server(db, work, snapshot=work / "public.duckdb")
    try:
        yield url
    finally:
        _stop(proc)


# Elements that could only come from the payloads, and whether a payload script ran.
_INJECTED = f"""() => {{
  const from = (el) => ['href', 'xlink:href', 'src'].some(a => (el.getAttribute(a) || '').includes('{HOST}'));
  const els = [...document.querySelectorAll('a, img, iframe, image, script, embed, object')];
  const bad = els.filter(el => from(el) || (el.tagName === 'SCRIPT' && el.textContent.includes('__pwned')));
  return {{
    injected: bad.length,
    samples: bad.slice(0, 2).map(el => el.outerHTML.slice(0, 160)),
    iframes: document.querySelectorAll('iframe').length,
    ran: window.__pwned === 1,
    shown: document.body.innerText.split('evil.example').length - 1,
  }};
}}"""


def _hover_charts(page) -> None:
    # Hover labels exist only while hovered: move over a grid of points of every chart.
    for chart in page.locator('[data-testid="stPlotlyChart"] .main-svg').all()[:8]:
        box = chart.bounding_box()
        if not box:
            continue
        for fx in (0.3, 0.5, 0.7):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.55)
            page.wait_for_timeout(150)


def _visit(page, requests: list[str], origin: str) -> dict:
    _settle(page)
    page.wait_for_timeout(1200)
    found = page.evaluate(_INJECTED)
    _hover_charts(page)
    hovered = page.evaluate(_INJECTED)
    found["injected"] = max(found["injected"], hovered["injected"])
    found["samples"] = found["samples"] or hovered["samples"]
    found["ran"] = found["ran"] or hovered["ran"]
    found["outside"] = [u for u in requests if not u.startswith((origin, "data:", "blob:"))]
    found["errors"] = page.locator('[data-testid="stException"]').count()
    return found


PUBLIC = ["", "map", "trends", "profile?district=05", "strategy", "methodology"]
STAFF = [
    "Overview",
    "Map",
    "Trends",
    "District profile",
    "Strategy",
    "Methodology",
    "History",
    "Strategy editing",
    "Indicators",
    "Audit log",
]


@pytest.mark.slow
def test_every_stored_text_shows_as_text_on_every_page(hostile, browser):  # noqa: F811
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(hostile))
    results: dict[str, dict] = {}
    for path in PUBLIC:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        requests: list[str] = []
        page.on("request", lambda req, requests=requests: requests.append(req.url))
        page.goto(f"{hostile}/{path}", wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=60_000)
        results[f"public /{path}"] = _visit(page, requests, origin)
        page.close()
    page = _sign_in(browser, hostile, "admin")
    requests = []
    page.on("request", lambda req: requests.append(req.url))
    for name in STAFF:
        link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name=name, exact=True)
        more = page.locator('[data-testid="stSidebarNavViewButton"]')
        if not link.count() and more.count():  # a long menu shows its first pages only
            more.first.click()
            page.wait_for_timeout(300)
        if not link.count():
            results[f"staff {name}"] = {"missing": True}
            continue
        link.click()
        results[f"staff {name}"] = _visit(page, requests, origin)
    page.close()
    summary = {
        where: (r.get("injected"), r.get("ran"), len(r.get("outside", [])), r.get("errors"), r.get("samples"))
        for where, r in results.items()
    }
    assert not any(r.get("missing") for r in results.values()), summary
    injected = {where: summary[where] for where, r in results.items() if r["injected"]}
    assert injected == {}
    assert not any(r["ran"] for r in results.values()), summary
    assert [u for r in results.values() for u in r["outside"]] == [], summary
    assert sum(r["errors"] for r in results.values()) == 0, summary
    # The payloads are on the pages, as text: the test looked where they are (the audit log holds none).
    assert all(r["shown"] > 0 for where, r in results.items() if where != "staff Audit log"), summary


def _fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # no cookie, no session
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_a_staff_download_cannot_be_fetched_without_the_session(demo_file, demo_release, browser, tmp_path):  # noqa: F811
    from tests.app.helpers import ensure_account

    db = Path(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
    snapshot = Path(shutil.copy(demo_release, tmp_path / "public.duckdb"))
    ensure_account("viewer", db=str(db))
    proc, url = _start_server(db, tmp_path, snapshot=snapshot)
    try:
        page = _sign_in(browser, url, "viewer")
        page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Map", exact=True).click()
        _settle(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Download CSV").first.click()
        media = download.value.url
        body = Path(download.value.path()).read_bytes()
        page.close()  # the session ends with its page
        # Another visitor's runs let the server forget files no session holds.
        for _ in range(2):
            other = browser.new_page()
            other.goto(f"{url}/methodology", wait_until="domcontentloaded")
            other.wait_for_selector("h1", timeout=60_000)
            _settle(other)
            other.close()
        status = _fetch_status(media)
    finally:
        _stop(proc)
    assert "/media/" in media and body.startswith(b"\xef\xbb\xbf")
    assert status == 404
