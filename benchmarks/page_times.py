"""Each page's server-side run (Streamlit AppTest) as a ratio to the floor page, measured in one process.

Run through ``python -m benchmarks`` (or ``PYTHONPATH=. python -m benchmarks.page_times --scale reference``).
For every scale: the floor page (benchmarks/floor_page.py) and every public page of the app, as an
elected official (signed in as a viewer: the staff store, unsuppressed) and as the public (the published
snapshot of the same data). Per page: the **first visit** (every cache and connection cleared just before
the page's first run, as after a new release, a restart or the hourly expiry), the median of ``reruns``
warm reruns, and the median of ``changes`` widget changes that miss the cache (a new indicator, or a new
district on the profile). The floor caches what the app caches (its data and its built figures), and is
measured the same way before and after the app, its samples pooled, so a change in machine load during
the run shows in both sides of the ratio.

The whole sequence is repeated ``runs`` times; the record keeps every run and a summary: per page and
figure the median over runs, the lowest and highest, each run's ratio to that run's floor, and how many
runs went over the target.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime import pages_manager
from streamlit.testing.v1 import AppTest, app_test

from benchmarks import generate
from benchmarks.common import median, timed, write_record
from observatory import auth
from observatory.domain import Role
from observatory.ui.session import SESSION_KEY
from tests.app.helpers import ensure_account

ROOT = Path(__file__).resolve().parent.parent
FLOOR = str(Path(__file__).with_name("floor_page.py"))
TARGET_RATIO = 3.0
#: page → the widget a visitor changes on it (None: nothing to change).
PAGES: dict[str, tuple[str, str | None]] = {
    "overview": ("pages/overview.py", "indicator"),
    "map": ("pages/map.py", "indicator"),
    "trends": ("pages/trends.py", "indicator"),
    "profile": ("pages/profile.py", "district"),
    "strategy": ("pages/strategy.py", None),
    "methodology": ("pages/methodology.py", None),
    "where": ("pages/where.py", None),
}


class _ServerLike(pages_manager.PagesManager):
    """Keep the old pages-folder mode off between runs, as a server does (see tests/app/conftest.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pages_manager.PagesManager.uses_pages_directory = False


@contextmanager
def _as_on_a_server(**environ: str) -> Iterator[None]:
    """AppTest runs as a server would (see _ServerLike), with ``environ`` set; both undone afterwards."""
    saved_env = {key: os.environ.get(key) for key in environ}
    saved_manager, saved_mode = app_test.PagesManager, pages_manager.PagesManager.uses_pages_directory
    os.environ.update(environ)
    app_test.PagesManager = _ServerLike
    try:
        yield
    finally:
        app_test.PagesManager = saved_manager
        pages_manager.PagesManager.uses_pages_directory = saved_mode
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _clear() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    gc.collect()  # closes the DuckDB connections the cleared resources held


def _run(at: AppTest) -> float:
    took = timed(at.run)
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return took


def _series(at: AppTest, key: str | None, choices: list[str], reruns: int, changes: int) -> dict[str, Any]:
    warm = [_run(at) for _ in range(reruns)]
    miss = []
    for value in choices[1 : changes + 1] if key else []:
        at.selectbox(key=key).select(value)
        miss.append(_run(at))
    return {
        "warm_runs": warm,
        "miss_runs": miss,
        "warm_s": median(warm),
        "miss_s": median(miss) if miss else None,
    }


def floor(db: Path, indicators: list[str], reruns: int, changes: int) -> dict[str, Any]:
    """The floor page's first visit (caches cleared), warm reruns and indicator changes."""
    _clear()
    with _as_on_a_server(BENCH_FLOOR_DB=str(db)):
        at = AppTest.from_file(FLOOR, default_timeout=300)
        first = _run(at)
        return {"first_s": first, **_series(at, "indicator", indicators, reruns, changes)}


def app_page(page: str, role: str | None, choices: dict[str, list[str]], reruns: int, changes: int) -> dict:
    """One page of the app as ``role`` (None: the public): its first visit, then warm reruns and changes.

    The session lands on the app's default page first (the sign-in is in place); every cache and
    connection is then cleared and the page runs: its first visit, with nothing the landing page read
    (for the overview, the landing page itself, so its "first" is not a warm rerun).
    """
    _clear()
    path, key = PAGES[page]
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    if role:
        now = datetime.now(UTC).replace(tzinfo=None)
        at.session_state[SESSION_KEY] = auth.Session(role, Role(role), now, now)
    _run(at)
    at.switch_page(path)
    _clear()
    first = _run(at)
    return {"first_s": first, **_series(at, key, choices.get(key or "", []), reruns, changes)}


@contextmanager
def _copies(scale: generate.Scale) -> Iterator[tuple[Path, Path, Path]]:
    """Private copies of the scale's staff store (for the app and for the floor) and of its release."""
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        staff = Path(shutil.copy(generate.city(scale), work / "staff.duckdb"))
        floor_db = Path(shutil.copy(staff, work / "floor.duckdb"))
        public = Path(shutil.copy(generate.release(scale), work / "public.duckdb"))
        yield staff, floor_db, public
    finally:
        shutil.rmtree(work, ignore_errors=True)


FIGURES = ("first", "warm", "miss")


def _ratios(pages: dict[str, dict], floor: dict[str, float | None]) -> dict[str, dict]:
    def ratio(figures: dict, figure: str) -> float | None:
        mine, base = figures.get(f"{figure}_s"), floor.get(f"{figure}_s")
        return mine / base if mine is not None and base else None

    return {name: {figure: ratio(figures, figure) for figure in FIGURES} for name, figures in pages.items()}


def _once(
    staff: Path, floor_db: Path, choices: dict[str, list[str]], reruns: int, changes: int, pages: list[str]
) -> dict[str, Any]:
    """One run: the floor, every page as a viewer and as the public, the floor again."""
    del staff  # the app reads it through OBSERVATORY_DB
    floors = [floor(floor_db, choices["indicator"], reruns, changes)]
    audiences: dict[str, dict[str, dict]] = {}
    for audience, role in (("viewer", "viewer"), ("public", None)):
        audiences[audience] = {p: app_page(p, role, choices, reruns, changes) for p in pages}
    floors.append(floor(floor_db, choices["indicator"], reruns, changes))
    _clear()
    pooled = {
        "first_s": median([f["first_s"] for f in floors]),
        "warm_s": median([r for f in floors for r in f["warm_runs"]]),
        "miss_s": median([r for f in floors for r in f["miss_runs"]]),
        "runs": floors,
    }
    return {
        "floor": pooled,
        "pages": audiences,
        "ratios": {a: _ratios(p, pooled) for a, p in audiences.items()},
    }


def _spread(values: list[float]) -> dict[str, float] | None:
    return {"median": median(values), "min": min(values), "max": max(values)} if values else None


def summarise(runs: list[dict[str, Any]], target: float = TARGET_RATIO) -> dict[str, Any]:
    """Per audience, page and figure (first, warm, miss): seconds and ratio to the floor over the runs
    (median, lowest, highest), and how many runs were over ``target``."""
    summary: dict[str, Any] = {
        "floor": {f: _spread([r["floor"][f"{f}_s"] for r in runs if r["floor"][f"{f}_s"]]) for f in FIGURES}
    }
    for audience in runs[0]["pages"]:
        summary[audience] = {}
        for page in runs[0]["pages"][audience]:
            figures = {}
            for figure in FIGURES:
                seconds = [r["pages"][audience][page][f"{figure}_s"] for r in runs]
                ratios = [r["ratios"][audience][page][figure] for r in runs]
                known = [x for x in ratios if x is not None]
                figures[figure] = {
                    "seconds": _spread([x for x in seconds if x is not None]),
                    "ratio": _spread(known),
                    "over_target": sum(x > target for x in known),
                    "runs": len(known),
                }
            summary[audience][page] = figures
    return summary


def measure(
    scale: generate.Scale, *, reruns: int, changes: int, pages: list[str], runs: int = 3
) -> dict[str, Any]:
    """``runs`` runs of the floor, every page as a viewer and as the public, and the floor again."""
    indicators = [f"ind{i:02d}" for i in range(scale.indicators)]
    choices = {"indicator": indicators, "district": generate.district_codes(scale.districts)}
    with _copies(scale) as (staff, floor_db, public):
        os.environ.update(
            OBSERVATORY_DB=str(staff), OBSERVATORY_SNAPSHOT=str(public), OBSERVATORY_LOAD_DEMO="0"
        )
        ensure_account("viewer", db=str(staff))
        done = [_once(staff, floor_db, choices, reruns, changes, pages) for _ in range(runs)]
    last = done[-1]
    return {
        "scale": scale.__dict__,
        "observations": scale.observations,
        "reruns": reruns,
        "changes": changes,
        "repeats": runs,
        # The last run's figures keep the record's older shape; every run is in "runs".
        "floor": last["floor"],
        "pages": last["pages"],
        "ratios": last["ratios"],
        "runs": done,
        "summary": summarise(done),
        "target_ratio": TARGET_RATIO,
    }


def run(
    scales: list[str],
    *,
    pages: list[str] | None = None,
    reruns: int,
    changes: int,
    runs: int = 3,
    quick: bool,
    results: Path | None = None,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """Measure each scale ``runs`` times and append one record per scale to page_times.jsonl."""
    records = []
    for name in scales:
        figures = measure(
            generate.SCALES[name], reruns=reruns, changes=changes, pages=pages or list(PAGES), runs=runs
        )
        # What code was measured (before / after a change), when the caller says so.
        figures["label"] = os.environ.get("BENCH_LABEL", "")
        records.append(write_record("page_times", figures, quick=quick, results=results))
        floor = figures["summary"]["floor"]
        log(
            f"page_times {name} ({runs} runs): floor first {floor['first']['median'] * 1000:.0f} ms, "
            f"warm {floor['warm']['median'] * 1000:.0f} ms, miss {floor['miss']['median'] * 1000:.0f} ms"
        )
        for audience in ("viewer", "public"):
            parts = []
            for page, found in figures["summary"][audience].items():
                text = "/".join(
                    f"{found[f]['ratio']['median']:.1f}" + ("!" if found[f]["over_target"] else "")
                    for f in FIGURES
                    if found[f]["ratio"]
                )
                parts.append(f"{page} {text}")
            log(
                f"  {audience} (first/warm/miss ÷ floor, ! over {TARGET_RATIO:g}× in a run): "
                + ", ".join(parts)
            )
    return records


def main() -> None:
    """Command line: scales, runs, reruns, changes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", nargs="*", default=["reference", "10x"], choices=list(generate.SCALES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--changes", type=int, default=4)
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    run(args.scale, pages=args.pages, runs=args.runs, reruns=args.reruns, changes=args.changes, quick=False)


if __name__ == "__main__":
    main()
