"""Memory soak: browser sessions open and close against a running ``streamlit run`` for a while.

Each cycle opens a page of the site in headless Chromium (a websocket session), waits until it is
drawn, and closes it. The server's resident memory is sampled after each cycle; its growth after a
warm-up is fitted with a line and reported per hour. The CI size runs 60 s and asserts only a
generous bound; ``OBSERVATORY_RELIABILITY=full`` runs 10 minutes (figures in docs/reliability.md).
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.app.helpers import ensure_account
from tests.app.test_browser import CHROMIUM, _copies, _start_server, _stop
from tests.app.test_browser import browser as browser  # the shared headless Chromium fixture
from tests.reliability.sizes import SIZE, size

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
SECONDS = size(60, 600)
PATHS = ["", "map", "trends", "profile?district=05", "strategy", "methodology"]
#: Growth allowed between the end of the warm-up and the end of the short run.
GROWTH_BOUND_MB = 300


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def _cycle(browser, url: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    finally:
        page.close()  # closes the websocket: the server should let the session go


@pytest.fixture
def soak_server(demo_file, demo_release, tmp_path):
    db, snapshot = _copies(demo_file, demo_release, tmp_path)
    ensure_account("editor", db=str(db))
    proc, url = _start_server(db, tmp_path, snapshot=snapshot)
    try:
        yield proc, url
    finally:
        _stop(proc)


@pytest.mark.timeout(SECONDS + 300)  # the run itself plus server start and the last page
def test_sessions_opening_and_closing_keep_server_memory_bounded(soak_server, browser):
    proc, url = soak_server
    samples: list[tuple[float, float]] = [(0.0, _rss_mb(proc.pid))]
    started = time.monotonic()
    cycles = 0
    while time.monotonic() - started < SECONDS:
        _cycle(browser, f"{url}/{PATHS[cycles % len(PATHS)]}")
        cycles += 1
        samples.append((time.monotonic() - started, _rss_mb(proc.pid)))
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as resp:
        assert resp.read().decode() == "ok"
    times, rss = (np.array(column) for column in zip(*samples, strict=True))
    warm = times >= SECONDS / 4  # first pages load caches and code: not a leak
    slope = float(np.polyfit(times[warm], rss[warm], 1)[0]) if warm.sum() >= 3 else float("nan")
    figures = {
        "seconds": round(float(times[-1]), 1),
        "sessions": cycles,
        "rss_start_mb": round(float(rss[0]), 1),
        "rss_after_warmup_mb": round(float(rss[warm][0]), 1),
        "rss_end_mb": round(float(rss[-1]), 1),
        "rss_max_mb": round(float(rss.max()), 1),
        "growth_after_warmup_mb_per_hour": round(slope * 3600, 1),
    }
    print(json.dumps(figures))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"reliability_soak_{SIZE}.json").write_text(json.dumps(figures, indent=2) + "\n")
    assert cycles >= 5
    assert rss[-1] - rss[warm][0] < GROWTH_BOUND_MB
