"""What hostile uploads cost the server: a big CSV parsed by the upload service, and an endless
GeoPackage view, before and after the budgets and limits.

Run: PYTHONPATH=. python -m benchmarks.hostile_uploads [--mb 50]
Each measurement runs in a fresh Python process (resident memory read from /proc: VmRSS now, VmHWM
peak). Appends one record to benchmarks/results/hostile_uploads.jsonl.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import write_record

ROOT = Path(__file__).resolve().parent.parent
COUNTS = ("burglary", "violence", "robbery", "vehicle_theft", "theft_from_vehicle", "vandalism")


def write_observations_csv(path: Path, megabytes: float) -> int:
    """An observations file of about *megabytes* MB (monthly counts for the demo's districts)."""
    target = int(megabytes * 1_000_000)
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("indicator,area,period,value\n")
        month = 0
        while written < target:
            year, m = 1900 + month // 12, month % 12 + 1
            block = "".join(
                f"{indicator},{area:02d},{year}-{m:02d},{(month + area) % 17}\n"
                for indicator in COUNTS
                for area in range(1, 21)
            )
            handle.write(block)
            written += len(block)
            month += 1
    return path.stat().st_size


def rss() -> tuple[int, int]:
    """This process's resident memory now and at its peak, in bytes."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024
    return fields["VmRSS"], fields["VmHWM"]


def give_back() -> None:
    """Return freed heap pages to the system (glibc keeps them otherwise)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _parse_child(csv_path: str, db: str) -> dict[str, Any]:
    """In a fresh process: the upload service's dry run of the file, with memory before, at peak, after."""
    from observatory.domain import Actor, Role
    from observatory.services import uploads
    from observatory.store import connect

    store = connect(db)
    data_size = os.path.getsize(csv_path)
    base = rss()[0]
    started = time.perf_counter()
    data = Path(csv_path).read_bytes()
    report = uploads.run(
        uploads.KINDS["observations"], store, uploads.Upload(data, "big.csv", Actor("b", Role.ADMIN))
    )
    seconds = time.perf_counter() - started
    rows = report.rows_read
    del report, data
    gc.collect()
    after = rss()[0]
    give_back()
    trimmed, peak = rss()
    return {
        "file_bytes": data_size,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rss_base": base,
        "peak_over_base": peak - base,
        "after_over_base": after - base,
        "after_trim_over_base": trimmed - base,
        "peak_per_file_byte": round((peak - base) / data_size, 2),
    }


def _endless_before(gpkg: str) -> None:
    """In a fresh process: read the endless view in-process, as the app did (never returns)."""
    import pyogrio

    pyogrio.read_info(gpkg, layer="districts")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _endless_measure(gpkg: str, seconds: float) -> dict[str, Any]:
    """CPU a process spends on the endless view read in-process for *seconds* (then killed)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.hostile_uploads", "--child", "endless-before", gpkg],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    time.sleep(seconds)
    finished = child.poll() is not None
    cpu = _cpu_seconds(child.pid) if not finished else None
    child.kill()
    child.wait()
    return {"wall_s": seconds, "cpu_s": cpu, "finished_by_itself": finished}


def _endless_after(gpkg: str, seconds: float) -> dict[str, Any]:
    """In a fresh process: the endless view through the geo room as the app reads it now."""
    import pyogrio

    from observatory import geo

    data = Path(gpkg).read_bytes()
    started = time.perf_counter()
    found = geo.read_boundaries(data, "endless.gpkg", code_field="code", name_field="name", time_limit=60)
    refused = {"seconds": round(time.perf_counter() - started, 3), "issue": found.issues[0].message[:90]}
    geo.limits.run_limited(60, len, b"warm")  # a worker started, as the app keeps one
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    try:
        geo.limits.run_limited(seconds, pyogrio.read_info, gpkg, layer="districts")
        stopped: dict[str, Any] = {"stopped": False}
    except geo.limits.ReadTimedOut:
        after = resource.getrusage(resource.RUSAGE_SELF)
        stopped = {
            "stopped": True,
            "seconds": round(time.perf_counter() - started, 2),
            "server_cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 3),
        }
    return {"view_refused": refused, "time_limit": stopped}


def _run_child(name: str, *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.hostile_uploads", "--child", name, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "OBSERVATORY_UPLOAD_MAX_FILE_MB": "100000"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--child", default="")
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args()
    if args.child == "parse":
        print(json.dumps(_parse_child(*args.rest)))
        return
    if args.child == "endless-before":
        _endless_before(args.rest[0])
        return
    if args.child == "endless":
        print(json.dumps(_endless_after(args.rest[0], float(args.rest[1]))))
        return
    from tests.geo.hostile import endless_geopackage

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "big.csv"
        write_observations_csv(csv_path, args.mb)
        db = folder / "staff.duckdb"
        subprocess.run(
            [sys.executable, "-m", "observatory", "init", "--db", str(db)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        parse = _run_child("parse", str(csv_path), str(db))
        print(json.dumps({"parse": parse}), flush=True)
        gpkg = endless_geopackage(folder / "endless.gpkg")
        endless = {"before": _endless_measure(str(gpkg), 20), "after": _run_child("endless", str(gpkg), "10")}
        shutil.rmtree(folder, ignore_errors=True)
    record = {"megabytes": args.mb, "parse": parse, "endless": endless}
    print(json.dumps(record, indent=1))
    write_record("hostile_uploads", record, quick=False)


if __name__ == "__main__":
    main()
