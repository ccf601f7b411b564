"""What every benchmark record carries: the date, the machine, its load and the package versions."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def data_dir() -> Path:
    """Where generated cities are cached: benchmarks/data/, or $BENCHMARKS_DATA (the tests' temp dir)."""
    return Path(os.environ.get("BENCHMARKS_DATA") or Path(__file__).parent / "data")


PACKAGES = ("streamlit", "pandas", "plotly", "duckdb", "geopandas", "shapely", "numpy", "pyarrow")


def _memory_bytes() -> int:
    """Total memory from /proc/meminfo (0 where there is none)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def machine() -> dict[str, Any]:
    """CPU count, memory, platform, Python and package versions, and the load average now."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(_memory_bytes() / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "load_average": list(os.getloadavg()),
    }


def write_record(name: str, figures: dict[str, Any], *, quick: bool, results: Path | None = None) -> dict:
    """Append one record (date, machine, load, figures) to ``results/<name>.jsonl`` and return it."""
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": name,
        "quick": quick,
        "machine": machine(),
        **figures,
    }
    folder = results or RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    return record


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    """The median (what every figure reports: the machine is shared and noisy)."""
    return statistics.median(values)
