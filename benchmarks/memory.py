"""Peak resident memory of the app's server process with several sessions open, at the 10× scale.

Run through ``python -m benchmarks`` (or ``PYTHONPATH=. python -m benchmarks.memory``).
``streamlit run app.py`` as a subprocess on a free localhost port over a copy of the scale's store and
its release; Chromium opens ``sessions`` pages at once (each its own websocket session), each on another
page and indicator, so every session fills its own caches. The server's RSS is sampled from /proc
every 0.2 s while they load; the peak (VmHWM) is read at the end.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks import generate, server
from benchmarks.common import write_record

TARGET_GB = 1.5
#: What each session opens: page path and indicator (cycled when there are more sessions).
VISITS = (("map", "ind00"), ("trends", "ind01"), ("", "ind02"), ("map", "ind03"), ("profile", "ind04"))


def _sample(pid: int, stop: threading.Event, samples: list[int]) -> None:
    while not stop.is_set():
        try:
            samples.append(server.rss_bytes(pid)[0])
        except (OSError, KeyError):
            return
        time.sleep(0.2)


def _open_sessions(browser: Any, url: str, sessions: int) -> list[Any]:
    pages = []
    for i in range(sessions):
        path, indicator = VISITS[i % len(VISITS)]
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/{path}?indicator={indicator}", wait_until="domcontentloaded", timeout=300_000)
        pages.append(page)
    for page in pages:
        page.wait_for_selector("h1", timeout=300_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=300_000)
    return pages


def measure(scale: generate.Scale, sessions: int) -> dict[str, Any]:
    """Start the server, open the sessions, and report RSS before, during and at the peak."""
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    try:
        staff = Path(shutil.copy(generate.city(scale), work / "staff.duckdb"))
        public = Path(shutil.copy(generate.release(scale), work / "public.duckdb"))
        with server.streamlit_server(staff, public) as (url, pid), server.chromium() as browser:
            idle = server.rss_bytes(pid)[0]
            samples: list[int] = []
            stop = threading.Event()
            sampler = threading.Thread(target=_sample, args=(pid, stop, samples), daemon=True)
            sampler.start()
            started = time.perf_counter()
            pages = _open_sessions(browser, url, sessions)
            loaded = time.perf_counter() - started
            time.sleep(1.0)
            stop.set()
            sampler.join()
            now, peak = server.rss_bytes(pid)
            for page in pages:
                page.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "scale": scale.__dict__,
        "sessions": sessions,
        "idle_rss_gb": idle / 2**30,
        "sampled_max_rss_gb": max(samples, default=now) / 2**30,
        "end_rss_gb": now / 2**30,
        "peak_rss_gb": peak / 2**30,
        "all_loaded_s": loaded,
        "target_gb": TARGET_GB,
        "ratio_to_target": peak / 2**30 / TARGET_GB,
    }


def run(
    scale: str = "10x", sessions: int = 5, *, quick: bool = False, results: Path | None = None, log=print
) -> dict:
    """Measure and append one record to memory.jsonl."""
    figures = measure(generate.SCALES[scale], sessions)
    log(
        f"memory {scale}: peak RSS {figures['peak_rss_gb']:.2f} GB with {sessions} sessions "
        f"(idle {figures['idle_rss_gb']:.2f} GB)"
    )
    return write_record("memory", figures, quick=quick, results=results)


def main() -> None:
    """Command line: scale and number of sessions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="10x", choices=list(generate.SCALES))
    parser.add_argument("--sessions", type=int, default=5)
    args = parser.parse_args()
    run(args.scale, args.sessions)


if __name__ == "__main__":
    main()
