"""What visitors wait for in a real browser: each public page against the floor app and a static HTML file.

``PYTHONPATH=. python -m benchmarks --only browser`` (or ``python -m benchmarks.browser --scale reference``).

Debian's Chromium (/usr/bin/chromium, driven by playwright) against ``streamlit run app.py`` on a free
port, as a visitor who is not signed in (the published release), for the overview, map, trends,
profile and where pages; against ``streamlit run benchmarks/floor_page.py`` (the floor: one cached
choropleth and one line chart on the same data) in the same run; and against a static HTML file
holding the very plotly figures our page drew (taken from the settled page, drawn by the plotly.js of
the installed plotly package, served as a static site serves a file). Per page and app:

- **first**: the first visit after the server started (each first visit on a server of its own, with an
  empty browser cache): nothing cached, as after a restart, a new release or the hourly expiry;
- **warm**: later visits in new tabs (new sessions) of the same browser, the caches full;
- **after a change**: on a settled page, a new choice in the page's selectbox (a new indicator, a new
  district), each choice one not asked for before (a cache miss).

A page is *settled* when Streamlit's script has stopped (``data-test-script-state="notRunning"``), the
page shows something, every plotly chart is drawn (as many as the page draws once everything has
arrived; maps: maplibre reports its style and sources loaded), and that state has held for
:data:`STABLE_S` (a page that reruns itself may pause between runs); the time is taken when it first
held. Bytes are the websocket frames received and sent during the visit. Medians of ``visits`` (≥ 5)
of each; ratios ours ÷ floor and ours ÷ static in the same run. Appends one record per scale to
benchmarks/results/browser.jsonl.

The staff page of area groupings (``groups``) is left out: it is an editing page that needs a sign-in,
and a visitor of the public site cannot open it; documents are built on demand, not shown.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import generate, server
from benchmarks.common import median, write_record

FLOOR_SCRIPT = "benchmarks/floor_page.py"
#: page → its URL path and the key of the selectbox a visitor changes on it (None: nothing to change).
PAGES: dict[str, tuple[str, str | None]] = {
    "overview": ("", "indicator"),
    "map": ("map", "indicator"),
    "trends": ("trends", "indicator"),
    "profile": ("profile", "district"),
    "where": ("where", None),
}
STABLE_S = 1.5
VIEWPORT = {"width": 1400, "height": 1000}
POLL_S = 0.05
TIMEOUT_S = 300.0
#: A static file that has not settled by then never will (a figure it cannot draw).
STATIC_TIMEOUT_S = 120.0

#: "settled", "running" or "waiting" (charts not drawn yet), from the page's own state.
STATE = """(least) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return 'waiting';
  const script = app.getAttribute('data-test-script-state');
  if (script !== 'notRunning') return 'running';
  if (document.querySelector('[data-testid="stStatusWidget"]')) return 'running';
  if (!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')) return 'waiting';
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  if (charts.length < least) return 'waiting';
  for (const chart of charts) {
    const gd = chart.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd.querySelector('.main-svg')) return 'waiting';
    for (const key of Object.keys(gd._fullLayout)) {
      const sub = key.startsWith('map') && gd._fullLayout[key] && gd._fullLayout[key]._subplot;
      if (sub && !(sub.map && sub.map.loaded())) return 'waiting';
    }
  }
  return 'settled';
}"""
#: The same for the static file: every figure drawn, maps loaded.
STATIC_STATE = """(least) => {
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (window.figuresPlotted === undefined || plots.length < window.figuresPlotted) return 'waiting';
  for (const gd of plots) {
    if (!gd._fullLayout || !gd.querySelector('.main-svg')) return 'waiting';
    for (const key of Object.keys(gd._fullLayout)) {
      const sub = key.startsWith('map') && gd._fullLayout[key] && gd._fullLayout[key]._subplot;
      if (sub && !(sub.map && sub.map.loaded())) return 'waiting';
    }
  }
  return 'settled';
}"""
#: The figures a settled page drew, as plotly JSON (data and layout of every chart, in page order).
FIGURES = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'))
  .map(gd => JSON.stringify({data: gd.data, layout: gd.layout}))"""


class Visit:
    """One browser tab's visit: its websocket bytes, counted from when it is opened."""

    def __init__(self, context: Any, charts: int = 0) -> None:
        self.page = context.new_page()
        self.bytes = 0
        self.charts = charts  # the page is not settled before this many charts are drawn
        self.page.on("websocket", self._count)

    def _count(self, socket: Any) -> None:
        def add(payload: str | bytes) -> None:
            self.bytes += len(payload.encode() if isinstance(payload, str) else payload)

        socket.on("framereceived", add)
        socket.on("framesent", add)

    def settle(self, start: float, state: str = STATE, timeout: float = TIMEOUT_S) -> float:
        """Seconds from ``start`` until the page is settled and has stayed so for :data:`STABLE_S`."""
        since = None
        deadline = start + timeout
        while time.perf_counter() < deadline:
            now = time.perf_counter()
            if self.page.evaluate(state, self.charts) == "settled":
                since = since or now
                if now - since >= STABLE_S:
                    return since - start
            else:
                since = None
            self.page.wait_for_timeout(POLL_S * 1000)
        raise TimeoutError(f"{self.page.url} did not settle in {timeout:.0f} s")

    def open(self, url: str, state: str = STATE, timeout: float = TIMEOUT_S) -> float:
        """Seconds to a settled page at ``url``."""
        start = time.perf_counter()
        self.page.goto(url, wait_until="commit", timeout=timeout * 1000)
        return self.settle(start, state, timeout)

    def change(self, key: str, option: int) -> float | None:
        """Seconds from choosing the ``option``-th entry of the selectbox ``key`` to a settled page
        (None when that entry is the one already chosen: nothing to wait for)."""
        box = self.page.locator(f".st-key-{key} [data-testid='stSelectbox']").first
        box.click()
        choice = self.page.locator("[role='listbox'] [role='option']").nth(option)
        choice.scroll_into_view_if_needed()
        if choice.get_attribute("aria-selected") == "true":
            self.page.keyboard.press("Escape")
            return None
        start = time.perf_counter()
        choice.click()
        deadline = start + 5.0
        # The rerun starts when the server hears of the choice: wait for it, then for the page to settle.
        while time.perf_counter() < deadline and self.page.evaluate(STATE, self.charts) == "settled":
            self.page.wait_for_timeout(POLL_S * 1000 / 2)
        return self.settle(start)

    def close(self) -> None:
        """Close the tab."""
        self.page.close()


def _options(visit: Visit, key: str) -> int:
    """How many entries the selectbox ``key`` offers."""
    box = visit.page.locator(f".st-key-{key} [data-testid='stSelectbox']").first
    box.click()
    count = visit.page.locator("[role='listbox'] [role='option']").count()
    visit.page.keyboard.press("Escape")
    return count


@contextmanager
def _served(db: Path, snapshot: Path, *, floor_db: Path | None = None) -> Iterator[str]:
    """Our app (or, given ``floor_db``, the floor app) on a free port, stopped afterwards by its pid."""
    if floor_db is None:
        proc, url = server.start_server(db, snapshot, env={"OBSERVATORY_MODE": "site"})
    else:
        proc, url = server.start_server(
            db, snapshot, env={"BENCH_FLOOR_DB": str(floor_db)}, script=FLOOR_SCRIPT
        )
    try:
        yield url
    finally:
        server.stop_server(proc)


def _first(browser: Any, start: Callable[[], Any], path: str, charts: int) -> dict[str, float]:
    """A first visit on a server of its own, from an empty browser cache."""
    with start() as url:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            visit = Visit(context, charts)
            took = visit.open(f"{url}/{path}")
            return {"s": took, "bytes": visit.bytes}
        finally:
            context.close()


#: How many charts a page draws: counted after it has been settled this long (charts can arrive late).
CALIBRATE_S = 8.0
DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'))
  .filter(gd => gd._fullLayout && gd.querySelector('.main-svg')).length"""


def _charts(context: Any, url: str) -> int:
    """How many charts the page at ``url`` draws once everything has arrived (fills the caches too)."""
    visit = Visit(context)
    try:
        visit.open(url)
        visit.page.wait_for_timeout(CALIBRATE_S * 1000)
        visit.settle(time.perf_counter())
        return int(visit.page.evaluate(DRAWN))
    finally:
        visit.close()


def _warm_and_changes(
    browser: Any, url: str, path: str, key: str | None, visits: int
) -> tuple[list[dict[str, float]], list[dict[str, float]], list[str], int]:
    """``visits`` warm visits (new tabs, caches full) and ``visits`` changes; the figures drawn and
    how many charts the page has."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        charts = _charts(context, f"{url}/{path}")  # fills the server's caches and the browser's
        warm, figures = [], []
        for _ in range(visits):
            visit = Visit(context, charts)
            warm.append({"s": visit.open(f"{url}/{path}"), "bytes": visit.bytes})
            figures = visit.page.evaluate(FIGURES)
            visit.close()
        changes = []
        if key:
            visit = Visit(context, charts)
            visit.open(f"{url}/{path}")
            available = _options(visit, key)
            for option in range(available):
                if len(changes) == visits:
                    break
                before = visit.bytes
                took = visit.change(key, option)
                if took is not None:
                    changes.append({"s": took, "bytes": visit.bytes - before})
            visit.close()
        return warm, changes, figures, charts
    finally:
        context.close()


def static_html(figures: list[str]) -> str:
    """A standalone HTML file drawing ``figures`` (plotly JSON) with the installed plotly.js, no network."""
    from plotly.offline import get_plotlyjs

    divs = "".join(f'<div id="f{i}" style="width:1300px;height:500px"></div>' for i in range(len(figures)))
    calls = "".join(
        f"Plotly.newPlot('f{i}', fig{i}.data, fig{i}.layout, {{responsive: true}});"
        for i in range(len(figures))
    )
    specs = "".join(f"const fig{i} = {figure};" for i, figure in enumerate(figures))
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>static</title>'
        f"<script>{get_plotlyjs()}</script></head><body>{divs}<script>{specs}"
        f"window.figuresPlotted = {len(figures)};{calls}</script></body></html>"
    )


@contextmanager
def _static_site(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on a free localhost port, as a static site serves its files (maplibre
    does not finish loading a map from a ``file://`` page)."""
    handler = functools.partial(_QuietFiles, directory=str(folder))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No line per request."""


def _static(browser: Any, figures: list[str], visits: int) -> dict[str, Any] | None:
    """First and warm visits of the static file of ``figures`` (None when it never settles)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-static-"))
    try:
        path = folder / "page.html"
        path.write_text(static_html(figures), encoding="utf-8")
        runs = []
        context = browser.new_context(viewport=VIEWPORT)
        try:
            with _static_site(folder) as site:
                for _ in range(visits + 1):
                    visit = Visit(context, len(figures))
                    runs.append(visit.open(f"{site}/page.html", STATIC_STATE, STATIC_TIMEOUT_S))
                    visit.close()
        except TimeoutError:
            return None
        finally:
            context.close()
        return {
            "first_s": runs[0],
            "warm_runs": runs[1:],
            "warm_s": median(runs[1:]),
            "bytes": path.stat().st_size,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _figures_of(runs: list[dict[str, float]]) -> dict[str, Any]:
    return {
        "runs": [r["s"] for r in runs],
        "s": median([r["s"] for r in runs]) if runs else None,
        "bytes": median([r["bytes"] for r in runs]) if runs else None,
    }


def measure(scale: generate.Scale, *, visits: int, pages: list[str]) -> dict[str, Any]:
    """Every page, ours and the floor's, then the static files, for one scale."""
    work = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    try:
        staff = Path(shutil.copy(generate.city(scale), work / "staff.duckdb"))
        floor_db = Path(shutil.copy(staff, work / "floor.duckdb"))
        public = Path(shutil.copy(generate.release(scale), work / "public.duckdb"))
        ours = lambda: _served(staff, public)  # noqa: E731
        floor = lambda: _served(staff, public, floor_db=floor_db)  # noqa: E731
        result: dict[str, Any] = {"pages": {}}
        with server.chromium() as browser:
            with floor() as url:
                warm, changes, _, charts = _warm_and_changes(browser, url, "", "indicator", visits)
            firsts = [_first(browser, floor, "", charts) for _ in range(visits)]
            result["floor"] = {
                "first": _figures_of(firsts),
                "warm": _figures_of(warm),
                "change": _figures_of(changes),
            }
            for page in pages:
                path, key = PAGES[page]
                with ours() as url:
                    warm, changes, figures, charts = _warm_and_changes(browser, url, path, key, visits)
                firsts = [_first(browser, ours, path, charts) for _ in range(visits)]
                static = _static(browser, figures, visits) if figures else None
                result["pages"][page] = {
                    "first": _figures_of(firsts),
                    "warm": _figures_of(warm),
                    "change": _figures_of(changes),
                    "static": static,
                    "charts": charts,
                }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = result["floor"]
    result["ratios"] = {
        page: {
            "floor": {
                f: (found[f]["s"] / base[f]["s"] if found[f]["s"] and base[f]["s"] else None)
                for f in ("first", "warm", "change")
            },
            "static_warm": (found["warm"]["s"] / found["static"]["warm_s"] if found["static"] else None),
        }
        for page, found in result["pages"].items()
    }
    return {"scale": scale.__dict__, "visits": visits, **result}


def run(
    scales: list[str],
    *,
    visits: int = 5,
    pages: list[str] | None = None,
    quick: bool = False,
    results: Path | None = None,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """Measure each scale and append one record per scale to browser.jsonl."""
    records = []
    for name in scales:
        figures = measure(generate.SCALES[name], visits=visits, pages=pages or list(PAGES))
        # What code was measured (before / after a change), when the caller says so.
        figures["label"] = os.environ.get("BENCH_LABEL", "")
        records.append(write_record("browser", figures, quick=quick, results=results))
        base = figures["floor"]
        log(
            f"browser {name}: floor first {base['first']['s']:.2f} s, warm {base['warm']['s']:.2f} s, "
            f"change {base['change']['s']:.2f} s"
        )
        for page, ratio in figures["ratios"].items():
            mine = figures["pages"][page]
            parts = "/".join(
                "–" if ratio["floor"][f] is None else f"{ratio['floor'][f]:.1f}"
                for f in ("first", "warm", "change")
            )
            static = "–" if ratio["static_warm"] is None else f"{ratio['static_warm']:.1f}"
            log(
                f"  {page}: ÷ floor {parts}, ÷ static {static}, "
                f"{(mine['warm']['bytes'] or 0) / 1024:.0f} KB per warm visit"
            )
    return records


def main(argv: list[str] | None = None) -> None:
    """Command line: scales, visits, pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", nargs="*", default=["reference"], choices=list(generate.SCALES))
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    args = parser.parse_args(argv)
    print(json.dumps(run(args.scale, visits=args.visits, pages=args.pages)[-1]["ratios"], indent=1))


if __name__ == "__main__":
    main()
