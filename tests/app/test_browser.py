"""Real browser: streamlit run app.py on a temporary demo database, screenshots with headless Chromium."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "app" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


def _start_server(db: Path, work: Path):
    port = _free_port()
    env = {**os.environ, "OBSERVATORY_DB": str(db), "XDG_CONFIG_HOME": str(work), "XDG_CACHE_HOME": str(work)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, proc)
    return proc, url


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(demo_file, tmp_path_factory):
    work = tmp_path_factory.mktemp("browser")
    proc, url = _start_server(Path(shutil.copy(demo_file, work / "demo.duckdb")), work)
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
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
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


def test_first_request_to_a_page_on_a_fresh_server_goes_through_app_py(demo_file, browser, tmp_path):
    proc, url = _start_server(Path(shutil.copy(demo_file, tmp_path / "demo.duckdb")), tmp_path)
    try:
        page, _ = _open(browser, f"{url}/methodology?lang=pt", charts=0)
        title = page.locator("h1").first.inner_text()
        languages = page.get_by_text("Language · Idioma · Langue").count()
        page.close()
    finally:
        _stop(proc)
    assert languages == 1
    assert "Metodologia" in title
