"""A real police.uk month (City of London Police, January 2025) on 2021 LSOA boundaries.

The files are described in tests/data/real/police_uk_city_of_london/SOURCE.md. The expected counts are
computed here from the raw files with pandas and shapely alone: each crime's map point goes to the first
LSOA (in code order) whose polygon covers it, as the import documents for points on a shared border.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from observatory.domain import ImportKind, SourceFormat
from observatory.services import formats, imports
from observatory.store import Store, connect
from tests.real.conftest import ADMIN, DATA, Built, build, page_errors

FOLDER = DATA / "police_uk_city_of_london"
CRIMES = FOLDER / "2025-01-city-of-london-street.csv"
LSOAS = FOLDER / "lsoa_2021.geojson"
CITY = ("E09000001", "City of London")
MONTH = pd.Timestamp("2025-01-01")


def _code(crime_type: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", crime_type.lower()).strip("_")


def _raw() -> pd.DataFrame:
    return pd.read_csv(CRIMES, dtype=str, keep_default_na=False)


def _polygons() -> list[tuple[str, shapely.Geometry]]:
    features = json.loads(LSOAS.read_text())["features"]
    return sorted((f["properties"]["LSOA21CD"], shape(f["geometry"])) for f in features)


def _indicators_csv(raw: pd.DataFrame) -> bytes:
    """One count indicator per crime type, named like it, as a new user declares them before the import."""
    lines = ["code,name,theme,kind,unit,polarity"]
    for crime_type in sorted(raw["Crime type"].unique()):
        theme = "anti-social behaviour" if crime_type == "Anti-social behaviour" else "recorded crime"
        lines.append(f"{_code(crime_type)},{crime_type},{theme},result,count,lower_is_better")
    return ("\n".join(lines) + "\n").encode()


def _load(store: Store, *, lsoa_as_area: bool = False) -> dict:
    """Boundaries, indicators, then the police.uk file; returns the police.uk import's report."""
    data = LSOAS.read_bytes()
    city_code, city_name = CITY
    done = imports.import_boundaries(
        store,
        data,
        LSOAS.name,
        code_field="LSOA21CD",
        name_field="LSOA21NM",
        actor=ADMIN,
        city_code=city_code,
        city_name=city_name,
    )
    assert done.ok, done.to_text()
    done = imports.import_table(
        store, ImportKind.INDICATORS, _indicators_csv(_raw()), "indicators.csv", actor=ADMIN
    )
    assert done.ok, done.to_text()
    report = formats.import_as(
        SourceFormat.POLICE_UK,
        store,
        CRIMES.read_bytes(),
        CRIMES.name,
        actor=ADMIN,
        lsoa_as_area=lsoa_as_area,
    )
    assert report.ok, report.to_text()
    return report.to_dict()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build(tmp_path_factory.mktemp("police_uk"), *CITY, _load)


def _stored(path) -> pd.DataFrame:
    store = connect(path, read_only=True)
    try:
        frame = store.frame(
            "SELECT indicator_code, area_code, period_start, granularity, value, status FROM observations"
        )
    finally:
        store.close()
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame.set_index(["indicator_code", "area_code", "period_start"]).sort_index()


def _expected(areas: list[str], placed: pd.Series, raw: pd.DataFrame) -> pd.Series:
    """Counts per indicator and area for the month, 0 for every area of an indicator with any crime placed."""
    rows = raw.assign(indicator_code=raw["Crime type"].map(_code), area_code=placed)[placed.notna()]
    index = pd.MultiIndex.from_product(
        [sorted(rows["indicator_code"].unique()), areas, [MONTH]],
        names=["indicator_code", "area_code", "period_start"],
    )
    counts = rows.groupby(["indicator_code", "area_code"]).size()
    return pd.Series(
        [float(counts.get((i, a), 0)) for i, a, _ in index], index=index, name="value"
    ).sort_index()


def _by_point(raw: pd.DataFrame) -> pd.Series:
    polygons = _polygons()
    found = []
    for lon, lat in zip(raw["Longitude"], raw["Latitude"], strict=True):
        if not lon or not lat:
            found.append(None)
            continue
        point = shapely.Point(float(lon), float(lat))
        found.append(next((code for code, polygon in polygons if polygon.covers(point)), None))
    return pd.Series(found, index=raw.index, dtype=object)


def test_every_stored_count_equals_the_count_of_points_in_each_lsoa(built):
    raw = _raw()
    areas = [code for code, _ in _polygons()]
    expected = _expected(areas, _by_point(raw), raw)
    stored = _stored(built.db)
    monthly = stored[stored["granularity"] == "month"]
    assert (monthly["status"] == "ok").all()
    pd.testing.assert_series_equal(monthly["value"], expected, check_names=False)
    assert len(expected) == len(areas) * expected.index.get_level_values(0).nunique()


def test_rows_without_a_point_or_outside_the_lsoas_are_counted_as_ignored(tmp_path):
    raw = _raw()
    placed = _by_point(raw)
    no_point = int((raw["Longitude"] == "").sum())
    outside = int(((raw["Longitude"] != "") & placed.isna()).sum())
    store = connect(tmp_path / "db.duckdb")
    try:
        report = _load(store)
    finally:
        store.close()
    assert report["rows_read"] == len(raw) == 629
    assert report["ignored_reasons"] == {"no location": no_point, "outside our districts": outside}
    assert (no_point, outside) == (62, 3)


def test_lsoa_code_as_area_counts_crimes_by_their_lsoa_column(tmp_path):
    raw = _raw()
    store = connect(tmp_path / "db.duckdb")
    try:
        report = _load(store, lsoa_as_area=True)
    finally:
        store.close()
    by_code = raw["LSOA code"].where(raw["LSOA code"] != "", None)
    areas = [code for code, _ in _polygons()]
    expected = _expected(areas, by_code, raw)
    stored = _stored(tmp_path / "db.duckdb")
    pd.testing.assert_series_equal(stored["value"], expected, check_names=False)
    assert report["ignored_reasons"] == {"no location": int(by_code.isna().sum())}
    # The generalised boundaries place a few map points in a neighbouring LSOA: the two ways differ.
    assert (_by_point(raw).fillna("") != by_code.fillna("")).sum() == 13


@pytest.mark.parametrize("audience", ["viewer", "public"])
def test_every_page_opens_on_a_single_police_uk_month(site, built, audience):
    site(built)
    assert page_errors(audience) == {}


def test_the_upload_page_recognises_the_file_as_police_uk():
    found = formats.recognise_file(CRIMES.read_bytes(), CRIMES.name)
    assert found is not None and found.source is SourceFormat.POLICE_UK
