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


@pytest.fixture(scope="module")
def server(demo_db_file, tmp_path_factory):
    work = tmp_path_factory.mktemp("browser")
    db = shutil.copy(demo_db_file, work / "demo.duckdb")
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
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


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


def _shoot(browser, url: str, name: str, *, charts: int) -> Path:
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    page.wait_for_function(
        f"document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= {charts}",
        timeout=60_000,
    )
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_timeout(1500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    exceptions = page.locator('[data-testid="stException"]').count()
    page.close()
    assert exceptions == 0
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    outside = [u for u in requests if not u.startswith((origin, "data:", "blob:"))]
    assert outside == [], f"requests to other hosts: {outside[:5]}"
    return path


def test_overview_map_and_trend_are_drawn(server, browser):
    path = _shoot(browser, server, "overview", charts=2)
    assert path.stat().st_size > 20_000


def test_overview_in_french_with_a_shared_link(server, browser):
    path = _shoot(browser, f"{server}/?lang=fr&indicator=feel_unsafe&year=2024", "overview-fr", charts=2)
    assert path.stat().st_size > 20_000
