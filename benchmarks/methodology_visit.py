"""The methodology page's first visit by the public, at the reference city and at 10×, as a median.

``PYTHONPATH=. python -m benchmarks.methodology_visit [--scales reference 10x] [--visits 5] [--label after]``

A first visit is the page's first run after every cache is cleared (a new release, or a new server),
in public mode against the scale's published snapshot, with the open-data package publishing wrote
beside it when there is one. Until December 2026 this run built the whole release as one CSV (about
10 s at 10×); the open-data package is now written at publishing and every download is built only
when its button is pressed. Appends one record per scale to benchmarks/results/methodology_visit.jsonl.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from benchmarks import generate, page_times
from benchmarks.common import median, write_record


def _package_beside(release: Path, copy: Path) -> bool:
    """Copy the release's open-data package beside the copy of the release; False when it has none."""
    package = release.with_name(f"{release.stem}.open-data.zip")
    if not package.exists():
        return False
    shutil.copy(package, copy.with_name(f"{copy.stem}.open-data.zip"))
    return True


def first_visits(scale: generate.Scale, visits: int) -> dict[str, Any]:
    """``visits`` first visits of the methodology page by the public, each from cleared caches."""
    release = generate.release(scale)
    work = Path(tempfile.mkdtemp(prefix="bench-methodology-"))
    try:
        public = Path(shutil.copy(release, work / "public.duckdb"))
        packaged = _package_beside(release, public)
        runs = []
        with page_times._as_on_a_server(OBSERVATORY_MODE="public", OBSERVATORY_SNAPSHOT=str(public)):
            for _ in range(visits):
                page_times._clear()
                at = AppTest.from_file(str(page_times.ROOT / "app.py"), default_timeout=600)
                page_times._run(at)
                at.switch_page("pages/methodology.py")
                runs.append(page_times._run(at))
            page_times._clear()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"scale": scale.__dict__, "package_beside": packaged, "runs": runs, "median_s": median(runs)}


def _code_version() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=page_times.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or "unknown (not a git checkout)"


def main(argv: list[str] | None = None) -> None:
    """Measure the chosen scales and append their records."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="*", default=["reference", "10x"], choices=list(generate.SCALES))
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--label", default="", help="what code was measured (e.g. before / after)")
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in args.scales:
        figures = first_visits(generate.SCALES[name], args.visits)
        figures.update(label=args.label, code=_code_version())
        write_record("methodology_visit", figures, quick=False, results=args.results)
        runs = ", ".join(f"{run:.2f}" for run in figures["runs"])
        print(f"methodology first visit, {name}, {args.label}: median {figures['median_s']:.2f} s ({runs})")


if __name__ == "__main__":
    main()
