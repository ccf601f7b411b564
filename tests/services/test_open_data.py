"""The open-data package beside a release: every published table, described truthfully, no small count."""

import csv
import hashlib
import io
import json
import shutil
import zipfile

import pandas as pd
import pyarrow.parquet as pq
import pytest

from observatory.services import open_data
from observatory.store import open_snapshot, snapshot
from tests.conftest import RELEASE_TIME

PUBLISHED_TABLES = sorted(set(snapshot.SNAPSHOT_TABLES) - {"release"} | {open_data.VALUES})


@pytest.fixture(scope="module")
def package(demo_release):
    """The package publishing wrote beside the demo release: its descriptor and its files' bytes."""
    path = open_data.package_path(demo_release)
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files["datapackage.json"]), files


def _resources(descriptor, fmt):
    return {
        r["path"].split("/")[1].rsplit(".", 1)[0]: r for r in descriptor["resources"] if r["format"] == fmt
    }


def test_publishing_writes_the_package_beside_the_release(demo_release):
    path = open_data.package_path(demo_release)
    assert path == demo_release.with_name("public.open-data.zip") and path.exists()
    published = open_snapshot(demo_release)
    try:
        assert open_data.stored_package(published, demo_release) == path
        files = open_data.stored_files(published, demo_release)
    finally:
        published.close()
    assert {f.path for f in files} == {"datapackage.json"} | {
        f"data/{table}.{fmt}" for table in PUBLISHED_TABLES for fmt in ("csv", "parquet")
    }


def test_every_published_table_is_there_as_csv_and_parquet(package):
    descriptor, files = package
    for fmt in ("csv", "parquet"):
        assert sorted(_resources(descriptor, fmt)) == PUBLISHED_TABLES
    assert all(
        f"data/{table}.csv" in files and f"data/{table}.parquet" in files for table in PUBLISHED_TABLES
    )


def test_schema_fields_match_the_columns_of_each_file(package):
    descriptor, files = package
    for fmt in ("csv", "parquet"):
        for table, resource in _resources(descriptor, fmt).items():
            names = [field["name"] for field in resource["schema"]["fields"]]
            data = files[resource["path"]]
            if fmt == "csv":
                header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
            else:
                header = pq.read_schema(io.BytesIO(data)).names
            assert header == names, (table, fmt)
            assert resource["bytes"] == len(data)
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_values_keep_their_declared_types_and_the_release(package, demo_release):
    descriptor, files = package
    observations = pd.read_parquet(io.BytesIO(files["data/observations.parquet"]))
    published = open_snapshot(demo_release)
    try:
        stored = snapshot.read_table(published, "observations")
    finally:
        published.close()
    assert len(observations) == len(stored) == 4020
    assert (
        observations["value"].isna().sum() == stored["value"].isna().sum() == 103
    )  # 70 primary, 23 secondary (protection width), 10 at source
    text = pd.read_csv(io.BytesIO(files["data/observations.csv"]), dtype=str, keep_default_na=False)
    assert text["period_start"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()  # dates, not timestamps
    sizes = text.loc[text["sample_size"] != "", "sample_size"]
    assert sizes.str.fullmatch(r"\d+").all()  # whole numbers, not "120.0"
    assert descriptor["created"] == RELEASE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_no_count_from_1_to_k_minus_1_in_any_file(package):
    _, files = package
    indicators = pd.read_csv(io.BytesIO(files["data/indicators.csv"]))
    counts = indicators[indicators["unit"] == "count"].set_index("code")["disclosure_threshold"]
    assert len(counts) > 0
    for table, code_column in (("observations", "indicator_code"), ("values", "indicator_code")):
        for fmt in ("csv", "parquet"):
            raw = files[f"data/{table}.{fmt}"]
            frame = pd.read_csv(io.BytesIO(raw)) if fmt == "csv" else pd.read_parquet(io.BytesIO(raw))
            k = frame[code_column].map(counts)
            small = frame[k.notna() & (frame["value"] >= 1) & (frame["value"] < k)]
            assert small.empty, (table, fmt, small.head())
            assert frame.loc[k.notna(), "value"].isna().any()  # withheld cells are there, empty


def test_descriptor_states_licence_units_date_and_disclosure_rule(package):
    descriptor, _ = package
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["version"] == descriptor["created"]
    thresholds = descriptor["disclosure"]["thresholds"]
    assert set(thresholds) == set(descriptor["units"])
    for k in set(thresholds.values()):
        assert str(k) in descriptor["disclosure"]["rule"]
    assert descriptor["units"]["burglary"]["unit"] == "count"
    assert descriptor["name"].islower() and " " not in descriptor["name"]
    for resource in descriptor["resources"]:
        assert resource["description"] and resource["schema"]["fields"]
        assert {f["type"] for f in resource["schema"]["fields"]} <= {
            "string",
            "integer",
            "number",
            "date",
            "datetime",
        }


def test_a_release_without_a_package_is_served_the_same_bytes_built_from_itself(demo_release, tmp_path):
    copy = shutil.copy(demo_release, tmp_path / "public.duckdb")
    published = open_snapshot(copy)
    try:
        assert open_data.stored_package(published, copy) is None
        built = open_data.package_bytes(published, copy)
    finally:
        published.close()
    assert built == open_data.package_path(demo_release).read_bytes()


def test_a_package_of_an_older_release_is_not_served(demo_release, tmp_path):
    copy = shutil.copy(demo_release, tmp_path / "public.duckdb")
    stale = open_data.package_path(copy)
    with zipfile.ZipFile(stale, "w") as archive:
        archive.writestr("datapackage.json", json.dumps({"created": "2020-01-01T00:00:00Z"}))
    published = open_snapshot(copy)
    try:
        assert open_data.stored_package(published, copy) is None
        assert open_data.package_bytes(published, copy) == open_data.package_path(demo_release).read_bytes()
    finally:
        published.close()
