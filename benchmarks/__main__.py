"""Every benchmark, in one command: ``PYTHONPATH=. python -m benchmarks [--quick] [--only NAME ...]``.

Full run: the page times at the reference city and at 10× (floor page in the same process), the
1,000,000-row import against DuckDB's read_csv, the map payload and drawing time for 100 / 1,000 /
5,000 districts, the server's peak memory at 10× with 5 sessions, and the public pages in
Chromium against the floor app and a static HTML file of the same figures (``browser``).
``--quick`` runs the same code on tiny sizes (a smoke run of a minute or two). Each benchmark
appends one record per run to benchmarks/results/<name>.jsonl; the cities are generated once and
cached in benchmarks/data/.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path

from benchmarks import browser as browser_visits
from benchmarks import import_1m, map_payload, memory, page_times

NAMES = ("page_times", "import_1m", "map_payload", "memory", "browser")


def plan(*, quick: bool, results: Path | None, browser: bool) -> dict[str, Callable[[], object]]:
    """What each benchmark runs, full or quick."""
    if quick:
        return {
            "page_times": lambda: page_times.run(["tiny"], reruns=2, changes=1, quick=True, results=results),
            "import_1m": lambda: import_1m.run(20_000, 1, quick=True, results=results),
            "map_payload": lambda: map_payload.run(
                (12,), visits=1, browser=browser, quick=True, results=results
            ),
            "memory": lambda: memory.run("tiny", 2, quick=True, results=results),
            "browser": lambda: browser_visits.run(
                ["tiny"], visits=1, pages=["map"], quick=True, results=results
            ),
        }
    return {
        "page_times": lambda: page_times.run(
            ["reference", "10x"], runs=3, reruns=5, changes=4, quick=False, results=results
        ),
        "import_1m": lambda: import_1m.run(quick=False, results=results),
        "map_payload": lambda: map_payload.run(browser=browser, results=results),
        "memory": lambda: memory.run("10x", 5, results=results),
        "browser": lambda: browser_visits.run(["reference"], visits=5, results=results),
    }


def main(argv: list[str] | None = None) -> None:
    """Run the chosen benchmarks (all by default) in order."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--only", nargs="*", choices=NAMES, default=list(NAMES))
    parser.add_argument("--no-browser", action="store_true", help="skip what needs Chromium")
    parser.add_argument("--results", type=Path, default=None, help="folder for the .jsonl records")
    args = parser.parse_args(argv)
    # AppTest runs the app outside a server; Streamlit says so on every run.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    chosen = plan(quick=args.quick, results=args.results, browser=not args.no_browser)
    for name in args.only:
        if name in ("memory", "browser") and args.no_browser:
            continue
        chosen[name]()


if __name__ == "__main__":
    main()
