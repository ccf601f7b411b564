"""Real browser: streamlit run app.py on a temporary demo database, screenshots with headless Chromium."""

import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from benchmarks.server import ARGS as CHROMIUM_ARGS
from benchmarks.server import CHROMIUM, start_server, stop_server
from observatory.domain import Actor, Role
from observatory.services import publish
from observatory.store import connect
from tests.app.helpers import PASSWORD, ensure_account

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "app" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def _start_server(db: Path, work: Path, *, snapshot: Path | None = None, mode: str = "site"):
    proc, url = start_server(db, snapshot or work / "public.duckdb", env={"OBSERVATORY_MODE": mode})
    return proc, url


def _stop(proc) -> None:
    stop_server(proc)


def _copies(demo_file: Path, demo_release: Path, work: Path) -> tuple[Path, Path]:
    return Path(shutil.copy(demo_file, work / "demo.duckdb")), Path(
        shutil.copy(demo_release, work / "public.duckdb")
    )


@pytest.fixture(scope="module")
def server(demo_file, demo_release, tmp_path_factory):
    """The site as a visitor who is not signed in gets it: the published release."""
    work = tmp_path_factory.mktemp("browser")
    db, snapshot = _copies(demo_file, demo_release, work)
    ensure_account("editor", db=str(db))
    proc, url = _start_server(db, work, snapshot=snapshot)
    try:
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    # Playwright gives the browser a fresh temporary profile; XDG folders point into a temp dir too.
    home = tmp_path_factory.mktemp("chromium")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        patch.setenv("XDG_CONFIG_HOME", str(home))
        patch.setenv("XDG_CACHE_HOME", str(home))
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield launched
        launched.close()


def _open(browser, url: str, *, charts: int):
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= {charts}",
            timeout=60_000,
        )
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_timeout(1500)
    return page, requests


def _shoot(browser, url: str, name: str, *, charts: int) -> Path:
    page, requests = _open(browser, url, charts=charts)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    exceptions = page.locator('[data-testid="stException"]').count()
    drawn = page.locator('[data-testid="stPlotlyChart"] .main-svg').count()
    page.close()
    assert exceptions == 0
    assert drawn >= charts
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    outside = [u for u in requests if not u.startswith((origin, "data:", "blob:"))]
    assert outside == [], f"requests to other hosts: {outside[:5]}"
    return path


PAGES = [
    ("overview", "", 0),
    ("map", "map", 1),
    ("trends", "trends", 1),
    ("profile", "profile?district=05", 2),
    ("strategy", "strategy", 1),
    ("methodology", "methodology", 0),
]


@pytest.mark.parametrize(("name", "path", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_drawn(server, browser, name, path, charts):
    shot = _shoot(browser, f"{server}/{path}", name, charts=charts)
    assert shot.stat().st_size > 20_000


def test_map_in_french_with_a_shared_link(server, browser):
    shot = _shoot(browser, f"{server}/map?lang=fr&indicator=feel_unsafe", "map-fr", charts=1)
    assert shot.stat().st_size > 20_000


def test_first_request_to_a_page_on_a_fresh_server_goes_through_app_py(
    demo_file, demo_release, browser, tmp_path
):
    db, snapshot = _copies(demo_file, demo_release, tmp_path)
    proc, url = _start_server(db, tmp_path, snapshot=snapshot)
    try:
        page, _ = _open(browser, f"{url}/methodology?lang=pt", charts=0)
        title = page.locator("h1").first.inner_text()
        languages = page.get_by_text("Language · Idioma · Langue").count()
        page.close()
    finally:
        _stop(proc)
    assert languages == 1
    assert "Metodologia" in title


def _settle(page) -> None:
    page.wait_for_timeout(800)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def _menu(page, name: str) -> None:
    # A click in the menu keeps the session (and the sign-in); a new URL would start a new session.
    page.locator('[data-testid="stSidebar"] a', has_text=name).first.click()
    _settle(page)


def _sign_in(browser, url: str, name: str):
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(f"{url}/signin", wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    page.get_by_label("User name").fill(name)
    page.locator('input[type="password"]').fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_text(f"Signed in as {name}").wait_for(timeout=60_000)
    _settle(page)
    return page


def test_staff_sign_in_and_the_staff_pages(server, browser):
    page = _sign_in(browser, server, "editor")
    SHOTS.mkdir(parents=True, exist_ok=True)
    exceptions = 0
    for name, menu in (("strategy-editing", "Strategy editing"), ("indicators", "Indicators")):
        _menu(page, menu)
        page.screenshot(path=str(SHOTS / f"staff-{name}.png"), full_page=True)
        exceptions += page.locator('[data-testid="stException"]').count()
    page.close()
    assert exceptions == 0


def test_public_mode_overview(demo_release, browser, tmp_path):
    snapshot = Path(shutil.copy(demo_release, tmp_path / "public.duckdb"))
    staff = tmp_path / "staff" / "observatory.duckdb"
    proc, url = _start_server(staff, tmp_path, snapshot=snapshot, mode="public")
    try:
        shot = _shoot(browser, url, "public-overview", charts=0)
        page, _ = _open(browser, f"{url}/signin", charts=0)
        sign_in_forms = page.get_by_label("Password").count()
        page.close()
    finally:
        _stop(proc)
    assert shot.stat().st_size > 20_000
    assert sign_in_forms == 0  # no sign-in page: the path falls back to the overview
    assert not staff.parent.exists()


XSS = "<img src=x onerror=alert(1)>"


def test_a_hostile_district_name_is_shown_as_text(demo_file, browser, tmp_path):
    db = Path(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
    store = connect(db)
    with store.transaction() as cur:
        cur.execute("UPDATE areas SET name = ? WHERE code = '07'", [XSS])
    snapshot = tmp_path / "public.duckdb"
    publish.publish(store, actor=Actor("admin", Role.ADMIN), snapshot_path=snapshot, now=datetime(2026, 2, 1))
    store.close()
    proc, url = _start_server(db, tmp_path, snapshot=snapshot)
    dialogs: list[str] = []
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{url}/profile?district=07", wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=60_000)
        _settle(page)
        page.wait_for_timeout(1500)
        shown = page.get_by_text(XSS, exact=False).count()
        injected = page.locator('img[src="x"]').count()
        page.screenshot(path=str(SHOTS / "hostile-name.png"), full_page=True)
        page.close()
    finally:
        _stop(proc)
    assert dialogs == []
    assert injected == 0
    assert shown >= 1
