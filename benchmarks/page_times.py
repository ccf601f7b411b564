"""Each page's server-side run (Streamlit AppTest) as a ratio to the floor page, measured in one process.

Run through ``python -m benchmarks`` (or ``PYTHONPATH=. python -m benchmarks.page_times --scale reference``).
For every scale: the floor page (benchmarks/floor_page.py) and every public page of the app, as an
elected official (signed in as a viewer: the staff store, unsuppressed) and as the public (the published
snapshot of the same data). Per page: the first run after switching to it, the median of ``reruns``
warm reruns, and the median of ``changes`` widget changes that miss the cache (a new indicator, or a new
district on the profile). The floor is measured before and after the app, and its samples pooled, so a
change in machine load during the run shows in both sides of the ratio.
"""

from __future__ import annotations

import argparse
import gc
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
    """The floor page's first run, warm reruns and indicator changes."""
    _clear()
    with _as_on_a_server(BENCH_FLOOR_DB=str(db)):
        at = AppTest.from_file(FLOOR, default_timeout=300)
        first = _run(at)
        return {"first_s": first, **_series(at, "indicator", indicators, reruns, changes)}


def app_page(page: str, role: str | None, choices: dict[str, list[str]], reruns: int, changes: int) -> dict:
    """One page of the app as ``role`` (None: the public), from a fresh process-wide cache."""
    _clear()
    path, key = PAGES[page]
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    if role:
        now = datetime.now(UTC).replace(tzinfo=None)
        at.session_state[SESSION_KEY] = auth.Session(role, Role(role), now, now)
    _run(at)
    at.switch_page(path)
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


def _ratios(pages: dict[str, dict], floor_warm: float, floor_miss: float) -> dict[str, dict]:
    return {
        name: {
            "warm": figures["warm_s"] / floor_warm,
            "miss": figures["miss_s"] / floor_miss if figures["miss_s"] is not None else None,
        }
        for name, figures in pages.items()
    }


def measure(scale: generate.Scale, *, reruns: int, changes: int, pages: list[str]) -> dict[str, Any]:
    """Floor, then every page as a viewer and as the public, then the floor again."""
    indicators = [f"ind{i:02d}" for i in range(scale.indicators)]
    choices = {"indicator": indicators, "district": generate.district_codes(scale.districts)}
    with _copies(scale) as (staff, floor_db, public):
        os.environ.update(
            OBSERVATORY_DB=str(staff), OBSERVATORY_SNAPSHOT=str(public), OBSERVATORY_LOAD_DEMO="0"
        )
        ensure_account("viewer", db=str(staff))
        floors = [floor(floor_db, indicators, reruns, changes)]
        audiences: dict[str, dict[str, dict]] = {}
        for audience, role in (("viewer", "viewer"), ("public", None)):
            audiences[audience] = {p: app_page(p, role, choices, reruns, changes) for p in pages}
        floors.append(floor(floor_db, indicators, reruns, changes))
        _clear()
    pooled = {
        "first_s": median([f["first_s"] for f in floors]),
        "warm_s": median([r for f in floors for r in f["warm_runs"]]),
        "miss_s": median([r for f in floors for r in f["miss_runs"]]),
        "runs": floors,
    }
    return {
        "scale": scale.__dict__,
        "observations": scale.observations,
        "reruns": reruns,
        "changes": changes,
        "floor": pooled,
        "pages": audiences,
        "ratios": {a: _ratios(p, pooled["warm_s"], pooled["miss_s"]) for a, p in audiences.items()},
        "target_ratio": TARGET_RATIO,
    }


def run(
    scales: list[str],
    *,
    pages: list[str] | None = None,
    reruns: int,
    changes: int,
    quick: bool,
    results: Path | None = None,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """Measure each scale and append one record per scale to page_times.jsonl."""
    records = []
    for name in scales:
        figures = measure(generate.SCALES[name], reruns=reruns, changes=changes, pages=pages or list(PAGES))
        records.append(write_record("page_times", figures, quick=quick, results=results))
        floor_ms = figures["floor"]["warm_s"] * 1000, figures["floor"]["miss_s"] * 1000
        log(f"page_times {name}: floor warm {floor_ms[0]:.0f} ms, miss {floor_ms[1]:.0f} ms")
        for audience, pages in figures["ratios"].items():
            text = ", ".join(
                f"{p} {r['warm']:.1f}×/{r['miss']:.1f}×" if r["miss"] else f"{p} {r['warm']:.1f}×"
                for p, r in pages.items()
            )
            log(f"  {audience}: {text}")
    return records


def main() -> None:
    """Command line: scales, reruns, changes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", nargs="*", default=["reference", "10x"], choices=list(generate.SCALES))
    parser.add_argument("--reruns", type=int, default=8)
    parser.add_argument("--changes", type=int, default=8)
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    args = parser.parse_args()
    run(args.scale, pages=args.pages, reruns=args.reruns, changes=args.changes, quick=False)


if __name__ == "__main__":
    main()
