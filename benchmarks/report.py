"""The table of latest figures in benchmarks/README.md, from the newest full record of each benchmark.

Run: PYTHONPATH=. python -m benchmarks.report — prints Markdown rows: figure, target, measured, ratio.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from benchmarks.common import RESULTS


def latest(name: str, results: Path = RESULTS, **match: object) -> dict | None:
    """The newest full (not quick) record of a benchmark whose fields equal ``match``."""
    path = results / f"{name}.jsonl"
    if not path.exists():
        return None
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = [
        r
        for r in records
        if r.get("benchmark") == name and not r.get("quick") and all(r.get(k) == v for k, v in match.items())
    ]
    return found[-1] if found else None


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms"


def _page_rows(results: Path) -> Iterator[str]:
    """The older one-run page records (before the first visits and repeated runs were recorded)."""
    for scale in ("reference", "10x"):
        found = [r for r in _all(results, "page_times") if r["scale"]["name"] == scale and "summary" not in r]
        if not found:
            continue
        record = found[-1]
        floor = record["floor"]
        load = record["machine"]["load_average"][0]
        yield (
            f"| floor page, {scale} (load {load:.1f}) | ~40 / 70 ms | warm {_ms(floor['warm_s'])}, "
            f"miss {_ms(floor['miss_s'])} | 1 |"
        )
        for audience, pages in record["pages"].items():
            for page, figures in pages.items():
                ratio = record["ratios"][audience][page]
                miss = f"{ratio['miss']:.1f}" if ratio["miss"] else "–"
                yield (
                    f"| {page}, {audience}, {scale} | ≤ 3× floor | warm {_ms(figures['warm_s'])}, "
                    f"miss {_ms(figures['miss_s'])} | {ratio['warm']:.1f} / {miss} |"
                )


def _time(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 1 else _ms(seconds)


def _cell(found: dict | None) -> str:
    """Seconds (median) and ratio to the floor: median (lowest–highest over the runs), flagged when over."""
    if not found or not found["seconds"] or not found["ratio"]:
        return "–"
    ratio = found["ratio"]
    flag = f" **over in {found['over_target']} of {found['runs']}**" if found["over_target"] else ""
    return (
        f"{_time(found['seconds']['median'])} · {ratio['median']:.1f}× "
        f"({ratio['min']:.1f}–{ratio['max']:.1f}){flag}"
    )


def page_table(results: Path = RESULTS) -> Iterator[str]:
    """The newest repeated page record of each scale: first visit, warm and miss of every page."""
    yield "| page, audience, scale | first visit | warm | after a change (miss) |"
    yield "|---|---|---|---|"
    for scale in ("reference", "10x"):
        found = [r for r in _all(results, "page_times") if r["scale"]["name"] == scale and "summary" in r]
        if not found:
            continue
        record = found[-1]
        summary, runs = record["summary"], record["repeats"]
        loads = [f"{r['machine']['load_average'][0]:.1f}" for r in found[-1:]]
        floor = summary["floor"]
        yield (
            f"| **floor page, {scale}** ({runs} runs, load {', '.join(loads)}) | "
            + " | ".join(
                f"{_time(floor[f]['median'])} ({_time(floor[f]['min'])}–{_time(floor[f]['max'])})"
                if floor[f]
                else "–"
                for f in ("first", "warm", "miss")
            )
            + " |"
        )
        for audience in ("viewer", "public"):
            for page, figures in summary.get(audience, {}).items():
                yield (
                    f"| {page}, {audience}, {scale} | "
                    + " | ".join(_cell(figures[f]) for f in ("first", "warm", "miss"))
                    + " |"
                )


def _all(results: Path, name: str) -> list[dict]:
    path = results / f"{name}.jsonl"
    if not path.exists():
        return []
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in records if r.get("benchmark") == name and not r.get("quick")]


def _other_rows(results: Path) -> Iterator[str]:
    record = latest("import_1m", results)
    if record:
        medians = record["medians_s"]
        yield (
            f"| import + validation, {record['rows']:,} rows | ≤ 2× read_csv | "
            f"{medians['import_commit']:.2f} s "
            f"(read_csv {medians['read_csv']:.2f} s, pandas rows {medians['pandas_rows']:.2f} s) | "
            f"{record['ratio_import_to_read_csv']:.1f} (pandas {record['ratio_import_to_pandas_rows']:.2f}) |"
        )
        if "read_csv_disk" in medians:
            yield (
                f"| read_csv into a database file, {record['rows']:,} rows | (floor of keeping the rows) | "
                f"{medians['read_csv_disk']:.2f} s | {record['ratio_read_csv_disk_to_read_csv']:.1f} "
                f"(import {record['ratio_import_to_read_csv_disk']:.1f}× this) |"
            )
    record = latest("map_payload", results)
    for figures in record["sets"] if record else []:
        cover = figures["coverage"]
        drawn = f", drawn {figures['browser']['warm_s']:.1f} s" if "browser" in figures else ""
        yield (
            f"| map GeoJSON, {figures['districts']:,} districts | ≤ 0.5 KB/district, no gaps/overlaps | "
            f"{figures['kb_per_district']:.2f} KB/district, overlap {cover['overlap_share']:.0e}, "
            f"holes {cover['holes_in_union']}{drawn} | {figures['ratio_to_target']:.2f} |"
        )
    record = latest("memory", results)
    if record:
        yield (
            f"| peak RSS, {record['scale']['name']}, {record['sessions']} sessions | ≤ 1.5 GB | "
            f"{record['peak_rss_gb']:.2f} GB | {record['ratio_to_target']:.2f} |"
        )


def _s(found: dict | None) -> str:
    return "–" if not found or found.get("s") is None else f"{found['s']:.2f} s"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}×"


def browser_table(results: Path = RESULTS) -> Iterator[str]:
    """The newest browser record: each page's first / warm / after-a-change settle times in Chromium,
    ratios to the floor app and to the static file of the same figures, websocket bytes per visit."""
    found = _all(results, "browser")
    if not found:
        return
    record = found[-1]
    load = record["machine"]["load_average"][0]
    floor = record["floor"]
    yield (
        f"| page ({record['scale']['name']}, medians of {record['visits']}, load {load:.1f}) | "
        "first | warm | after a change | ÷ floor: first / warm / change | ÷ static (warm) | "
        "websocket per warm visit |"
    )
    yield "|---|---|---|---|---|---|---|"
    yield (
        f"| floor app | {_s(floor['first'])} | {_s(floor['warm'])} | {_s(floor['change'])} | 1 | – | "
        f"{(floor['warm']['bytes'] or 0) / 1024:.0f} KB |"
    )
    for page, figures in record["pages"].items():
        ratio = record["ratios"][page]
        parts = " / ".join(_x(ratio["floor"][f]) for f in ("first", "warm", "change"))
        yield (
            f"| {page} | {_s(figures['first'])} | {_s(figures['warm'])} | {_s(figures['change'])} | "
            f"{parts} | {_x(ratio['static_warm'])} | {(figures['warm']['bytes'] or 0) / 1024:.0f} KB |"
        )


def main() -> None:
    """Print the tables: pages (first visit, warm, miss), then the other figures."""
    for row in page_table(RESULTS):
        print(row)
    print()
    for row in browser_table(RESULTS):
        print(row)
    print()
    print("| figure | target | measured (median) | ratio |")
    print("|---|---|---|---|")
    for row in [*_page_rows(RESULTS), *_other_rows(RESULTS)]:
        print(row)


if __name__ == "__main__":
    main()
