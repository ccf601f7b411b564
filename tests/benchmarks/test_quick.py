"""Quick mode of the benchmarks on tiny sizes: the code runs and writes well-formed records (not speed)."""

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from benchmarks import generate, import_1m, map_payload, memory, page_times
from benchmarks.__main__ import main
from observatory.store import connect

MACHINE_KEYS = {"cpus", "memory_gb", "platform", "python", "versions", "load_average"}


@pytest.fixture
def data(monkeypatch, tmp_path):
    """Generated cities go to a temporary folder, and the settings the page benchmark sets are restored."""
    monkeypatch.setenv("BENCHMARKS_DATA", str(tmp_path / "data"))
    for key in ("OBSERVATORY_DB", "OBSERVATORY_SNAPSHOT", "OBSERVATORY_LOAD_DEMO", "OBSERVATORY_MODE"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path / "data"


def _records(results: Path, name: str) -> list[dict]:
    lines = (results / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for record in records:
        assert record["benchmark"] == name
        assert record["quick"] is True
        assert set(record["machine"]) >= MACHINE_KEYS
        assert len(record["machine"]["load_average"]) == 3
        assert record["machine"]["versions"]["duckdb"]
    return records


def test_tessellation_covers_the_city_without_gaps_or_overlaps():
    frame = generate.tessellation(30).to_crs(generate.UTM)
    shapes = np.asarray(frame.geometry, dtype=object)
    assert len(shapes) == 30
    assert bool(shapely.coverage_is_valid(shapes))
    assert shapely.union_all(shapes).area == pytest.approx(float(np.sum(shapely.area(shapes))), rel=1e-9)


def test_tessellation_polygons_are_dense():
    frame = generate.tessellation(10)
    vertices = [len(shapely.get_coordinates(g)) for g in frame.geometry]
    assert min(vertices) > 100


def test_generated_city_holds_every_observation_and_its_release(data):
    scale = generate.SCALES["tiny"]
    store = connect(generate.city(scale), read_only=True)
    try:
        rows = store.frame("SELECT count(*) AS n FROM observations")["n"].iloc[0]
        districts = store.frame("SELECT count(*) AS n FROM areas WHERE level = 1")["n"].iloc[0]
    finally:
        store.close()
    assert (rows, districts) == (scale.observations, scale.districts)
    assert generate.release(scale).exists()


def test_page_times_records_floor_pages_and_ratios(data, tmp_path):
    page_times.run(["tiny"], pages=["map", "profile"], reruns=1, changes=1, quick=True, results=tmp_path)
    (record,) = _records(tmp_path, "page_times")
    assert record["floor"]["warm_s"] > 0 and record["floor"]["miss_s"] > 0
    for audience in ("viewer", "public"):
        assert set(record["ratios"][audience]) == {"map", "profile"}
        assert record["ratios"][audience]["map"]["miss"] > 0
    assert record["target_ratio"] == 3.0


def test_import_records_the_ratio_to_read_csv(tmp_path):
    import_1m.run(2_000, 1, quick=True, results=tmp_path)
    (record,) = _records(tmp_path, "import_1m")
    assert record["rows"] == 2_000
    assert record["ratio_import_to_read_csv"] > 0
    assert set(record["medians_s"]) == {
        "read_csv",
        "read_csv_disk",
        "parse_validate",
        "import_commit",
        "pandas_rows",
    }


def test_map_payload_records_weight_and_coverage(data, tmp_path):
    map_payload.run((12,), browser=False, quick=True, results=tmp_path)
    (record,) = _records(tmp_path, "map_payload")
    (figures,) = record["sets"]
    assert figures["districts"] == 12
    assert figures["kb_per_district"] > 0
    assert figures["coverage"]["holes_in_union"] == 0
    assert figures["coverage"]["overlap_share"] < 1e-6


def test_one_command_runs_the_chosen_benchmarks(tmp_path):
    main(["--quick", "--only", "import_1m", "--results", str(tmp_path)])
    assert len(_records(tmp_path, "import_1m")) == 1


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_memory_records_the_server_peak(data, tmp_path):
    memory.run("tiny", 1, quick=True, results=tmp_path)
    (record,) = _records(tmp_path, "memory")
    assert record["peak_rss_gb"] >= record["idle_rss_gb"] > 0
