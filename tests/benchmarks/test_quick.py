"""Quick mode of the benchmarks on tiny sizes: the code runs and writes well-formed records (not speed)."""

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from benchmarks import browser, generate, import_1m, map_payload, memory, page_times
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


@pytest.mark.slow  # every page, first visit included, three runs
def test_page_times_records_floor_pages_and_ratios(data, tmp_path):
    page_times.run(
        ["tiny"], pages=["map", "profile"], runs=2, reruns=1, changes=1, quick=True, results=tmp_path
    )
    (record,) = _records(tmp_path, "page_times")
    assert record["floor"]["warm_s"] > 0 and record["floor"]["miss_s"] > 0
    assert record["repeats"] == 2 and len(record["runs"]) == 2
    for audience in ("viewer", "public"):
        assert set(record["ratios"][audience]) == {"map", "profile"}
        assert record["ratios"][audience]["map"]["miss"] > 0
        for page in ("map", "profile"):
            first = record["summary"][audience][page]["first"]
            assert first["runs"] == 2
            assert first["ratio"]["min"] <= first["ratio"]["median"] <= first["ratio"]["max"]
            assert 0 <= first["over_target"] <= 2
    assert record["target_ratio"] == 3.0


def test_page_summary_counts_the_runs_over_target():
    def run(floor: float, page: float) -> dict:
        seconds = {"first_s": floor, "warm_s": floor, "miss_s": floor}
        mine = {"first_s": page, "warm_s": page, "miss_s": None}
        return {
            "floor": seconds,
            "pages": {"viewer": {"map": mine}},
            "ratios": {"viewer": page_times._ratios({"map": mine}, seconds)},
        }

    summary = page_times.summarise([run(1.0, 2.0), run(1.0, 4.0), run(2.0, 2.0)], target=3.0)
    first = summary["viewer"]["map"]["first"]
    assert first["ratio"] == {"median": 2.0, "min": 1.0, "max": 4.0}
    assert (first["over_target"], first["runs"]) == (1, 3)
    assert summary["viewer"]["map"]["miss"]["ratio"] is None
    assert summary["floor"]["first"]["max"] == 2.0


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


def test_static_file_draws_the_figures_given_without_the_network():
    figures = ['{"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}], "layout": {}}'] * 2
    html = browser.static_html(figures)
    assert html.count('"type": "bar"') == 2
    assert "window.figuresPlotted = 2;" in html
    assert "Plotly.newPlot('f1'" in html
    assert '<script src="http' not in html and "cdn." not in html.split("<body>")[1]


@pytest.mark.slow  # starts three servers and Chromium; the benchmarks run on demand
@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_browser_records_ours_the_floor_and_the_static_file(data, tmp_path):
    browser.run(["tiny"], visits=1, pages=["profile"], quick=True, results=tmp_path, log=lambda _: None)
    (record,) = _records(tmp_path, "browser")
    for figure in ("first", "warm", "change"):
        assert record["floor"][figure]["s"] > 0
    profile = record["pages"]["profile"]
    assert profile["first"]["s"] > 0 and profile["warm"]["bytes"] > 0
    assert len(profile["change"]["runs"]) == 1
    assert record["ratios"]["profile"]["floor"]["warm"] > 0
    if profile["charts"]:
        assert record["ratios"]["profile"]["static_warm"] > 0
