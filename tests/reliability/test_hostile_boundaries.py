"""Hostile boundary files are refused within bounded time and memory, writing nothing outside a temp folder.

Each file is read by a child process (tests/reliability/boundary_child.py) with an address-space
limit and a timeout, in an empty working directory and with TMPDIR pointing at an empty folder;
afterwards both must be empty again and no file named like the archive's escaping members may exist.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability import hostile
from tests.reliability.sizes import SIZE

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
MEMORY_LIMIT = 3 * 1024**3  # address space; the libraries alone reserve about 1 GB of it
TIMEOUT_S = 120
READING_RSS_BOUND_MB = 300

# name: (builder, file name, CRS named by the uploader, the error expected)
CASES: dict[str, tuple[Callable[[Path], bytes], str, str | None, str]] = {
    "zip_bomb_600mb": (lambda t: _bomb(t), "districts.zip", None, "source-error"),
    "zip_declaring_2gb": (hostile.declared_two_gb, "districts.zip", None, "source-error"),
    "zip_parent_paths": (lambda t: hostile.escaping_paths(), "districts.zip", None, "source-error"),
    "zip_10000_files": (lambda t: hostile.many_members(), "districts.zip", None, "source-error"),
    "geojson_metres_as_degrees": (
        lambda t: hostile.metres_declared_as_degrees(),
        "d.geojson",
        None,
        "constraint-error",
    ),
    "shapefile_prj_degrees_on_metres": (
        hostile.metres_with_prj_saying_degrees,
        "d.zip",
        None,
        "constraint-error",
    ),
    "unknown_epsg_named": (hostile.without_crs, "d.zip", "EPSG:999999", "crs-invalid"),
    "junk_crs_named": (hostile.without_crs, "d.zip", "not a crs", "crs-invalid"),
    "coordinates_1e300": (lambda t: hostile.huge_coordinates(), "d.geojson", None, "constraint-error"),
}


def _bomb(folder: Path) -> bytes:
    path = folder / "bomb.zip"
    hostile.zip_bomb(path)
    return path.read_bytes()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _read_in_child(tmp_path: Path, data: bytes, name: str, crs: str | None) -> dict:
    inputs, work, temp = (tmp_path / d for d in ("inputs", "work", "temp"))
    for folder in (inputs, work, temp):
        folder.mkdir(exist_ok=True)
    source = inputs / name
    source.write_bytes(data)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.boundary_child",
            str(source),
            name,
            *([crs] if crs else []),
        ],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        preexec_fn=_limit_memory,  # the limit applies to the child only
        check=True,
    )
    assert list(work.iterdir()) == [], "the reader wrote into its working directory"
    assert list(temp.iterdir()) == [], "the reader left files in the temporary folder"
    assert [p.name for p in inputs.iterdir()] == [name]
    assert not list(tmp_path.parent.rglob("evil*"))
    return json.loads(result.stdout.strip().splitlines()[-1])


def _record(case: str, report: dict) -> None:
    print(case, json.dumps(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / f"reliability_hostile_{SIZE}.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps({"case": case, **report}) + "\n")


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_hostile_boundary_file_is_refused_in_bounded_time_and_memory(case, tmp_path):
    build, name, crs, expected = CASES[case]
    report = _read_in_child(tmp_path, build(_mk(tmp_path / "build")), name, crs)
    _record(case, report)
    assert not report["ok"]
    assert expected in report["errors"]
    assert report["reading_rss_mb"] < READING_RSS_BOUND_MB


@pytest.mark.slow
def test_self_intersecting_polygons_are_repaired_with_a_warning_in_bounded_time(tmp_path):
    """Bow ties are repaired (make_valid) and said so, not refused: the documented behaviour."""
    report = _read_in_child(tmp_path, hostile.bowties(), "bowties.geojson", None)
    _record("self_intersecting_2000_bowties", report)
    assert report["ok"] and report["features"] == 2000
    assert report["warnings"] == ["geometry-repaired"]
    assert report["reading_rss_mb"] < READING_RSS_BOUND_MB


def _mk(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
