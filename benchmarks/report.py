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
    for scale in ("reference", "10x"):
        found = [r for r in _all(results, "page_times") if r["scale"]["name"] == scale]
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


def main() -> None:
    """Print the table."""
    print("| figure | target | measured (median) | ratio |")
    print("|---|---|---|---|")
    for row in [*_page_rows(RESULTS), *_other_rows(RESULTS)]:
        print(row)


if __name__ == "__main__":
    main()
