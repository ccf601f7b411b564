"""A real server for the browser benchmarks: ``streamlit run app.py`` on a free port, and a headless Chromium.

The server runs in its own process group and is stopped by its pid; Chromium is Debian's
(/usr/bin/chromium) driven by playwright, with private XDG folders (see STACK_NOTES).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: True once the page's plotly map has drawn: maplibre reports every source and style loaded.
MAP_DRAWN = """() => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  return !!(sub && sub.map && sub.map.loaded() && gd.querySelector('.main-svg'));
}"""


def free_port() -> int:
    """A localhost port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
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


def start_server(
    db: Path, snapshot: Path, *, env: dict[str, str] | None = None, script: str = "app.py"
) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` on ``db`` and ``snapshot`` on a free port, healthy: the process and URL.

    Args:
        db: The staff database.
        snapshot: The published release.
        env: More environment variables (``OBSERVATORY_MODE`` …); private XDG folders are set here.
        script: What to run: ``app.py`` (the dashboard with its session routes).
    """
    work = Path(tempfile.mkdtemp(prefix="observatory-server-"))
    settings = {
        "OBSERVATORY_DB": str(db),
        "OBSERVATORY_SNAPSHOT": str(snapshot),
        "OBSERVATORY_LOAD_DEMO": "0",
        "XDG_CONFIG_HOME": str(work),
        "XDG_CACHE_HOME": str(work),
    }
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false"]
    # The served code is what is measured: an edit of the working tree while it runs must not put
    # "source file changed" in every page's status bar (pages would never look finished).
    command += ["--server.fileWatcherType", "none"]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **settings, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
    except BaseException:
        stop_server(proc)
        raise
    return proc, url


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server started by :func:`start_server` (its whole process group)."""
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


@contextmanager
def streamlit_server(db: Path, snapshot: Path) -> Iterator[tuple[str, int]]:
    """The app on ``db`` and ``snapshot``; yields its URL and pid, and stops it (by pid) afterwards."""
    proc, url = start_server(db, snapshot)
    try:
        yield url, proc.pid
    finally:
        stop_server(proc)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (playwright's Browser) with a private profile."""
    from playwright.sync_api import sync_playwright

    home = tempfile.mkdtemp(prefix="bench-chromium-")
    saved = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    os.environ.update(XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def draw_seconds(browser: Any, url: str, *, timeout_ms: int = 180_000) -> float:
    """Seconds from asking for ``url`` until its map is drawn and the app has stopped running."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
        page.wait_for_function(MAP_DRAWN, timeout=timeout_ms)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout_ms)
        return time.perf_counter() - start
    finally:
        page.close()


def rss_bytes(pid: int) -> tuple[int, int]:
    """Resident memory of a process now and at its peak (VmRSS, VmHWM from /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024
    return fields["VmRSS"], fields["VmHWM"]
