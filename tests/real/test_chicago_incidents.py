"""Real Chicago incidents (January 2025, from the city's "Crimes - 2001 to Present") on community areas.

The files are described in tests/data/real/chicago_incidents/SOURCE.md. The export carries coordinates
and also the police ``district`` and the ``community_area`` of each incident; the observatory's areas
are the 77 community areas, so each incident must be counted where its coordinates fall. The expected
counts are computed here from the raw files with pandas and shapely alone.
"""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from observatory.domain import ImportKind, SourceFormat
from observatory.ingest.report import ValidationReport
from observatory.services import formats, imports
from observatory.store import Store, connect
from tests.real.conftest import ADMIN, DATA, Built, assert_same_counts, build, page_errors

FOLDER = DATA / "chicago_incidents"
INCIDENTS = FOLDER / "chicago_crimes_2025-01_sample.csv"
AREAS = FOLDER / "community_areas.geojson"
CITY = ("CHI", "Chicago")
MONTH = pd.Timestamp("2025-01-01")
#: The primary types this observatory follows (one count indicator each); the others are not followed.
FOLLOWED = (
    "ASSAULT",
    "BATTERY",
    "BURGLARY",
    "CRIMINAL DAMAGE",
    "HOMICIDE",
    "MOTOR VEHICLE THEFT",
    "ROBBERY",
    "THEFT",
)


def _code(category: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_")


def _raw() -> pd.DataFrame:
    return pd.read_csv(INCIDENTS, dtype=str, keep_default_na=False)


def _polygons() -> list[tuple[str, shapely.Geometry]]:
    features = json.loads(AREAS.read_text())["features"]
    return sorted((f["properties"]["area_number"], shape(f["geometry"])) for f in features)


def _as_uploaded(*, without_district: bool = False) -> bytes:
    """The export as published (optionally without its police ``district`` column)."""
    raw = _raw()
    if without_district:
        raw = raw.drop(columns=["district"])
    out = io.StringIO()
    raw.to_csv(out, index=False)
    return out.getvalue().encode()


def _indicators_csv() -> bytes:
    lines = ["code,name,theme,kind,unit,polarity"]
    lines += [f"{_code(c)},{c.capitalize()},recorded crime,result,count,lower_is_better" for c in FOLLOWED]
    return ("\n".join(lines) + "\n").encode()


def _load(
    store: Store, *, without_district: bool = False, area_from: str | None = "coordinates"
) -> ValidationReport:
    """Community areas, indicators, then the incident list; returns the incident import's report.

    The uploader names the category column (Chicago's ``primary_type``) and says where an incident's
    area comes from: its coordinates, since ``district`` is a police district, not a community area.
    """
    city_code, city_name = CITY
    done = imports.import_boundaries(
        store,
        AREAS.read_bytes(),
        AREAS.name,
        code_field="area_number",
        name_field="community",
        actor=ADMIN,
        city_code=city_code,
        city_name=city_name,
    )
    assert done.ok, done.to_text()
    done = imports.import_table(
        store, ImportKind.INDICATORS, _indicators_csv(), "indicators.csv", actor=ADMIN
    )
    assert done.ok, done.to_text()
    data = _as_uploaded(without_district=without_district)
    options = {"category_column": "primary_type", **({"area_from": area_from} if area_from else {})}
    return formats.import_as(SourceFormat.INCIDENTS, store, data, INCIDENTS.name, actor=ADMIN, **options)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build(tmp_path_factory.mktemp("chicago"), *CITY, _load)


def _by_point(raw: pd.DataFrame) -> pd.Series:
    polygons = _polygons()
    found = []
    for lon, lat in zip(raw["longitude"], raw["latitude"], strict=True):
        point = shapely.Point(float(lon), float(lat)) if lon and lat else None
        found.append(None if point is None else next((c for c, p in polygons if p.covers(point)), None))
    return pd.Series(found, index=raw.index, dtype=object)


def _expected() -> pd.Series:
    raw = _raw()
    placed = _by_point(raw)
    rows = raw.assign(indicator_code=raw["primary_type"].map(_code), area_code=placed)
    rows = rows[placed.notna() & raw["primary_type"].isin(FOLLOWED)]
    areas = [code for code, _ in _polygons()]
    index = pd.MultiIndex.from_product(
        [sorted(rows["indicator_code"].unique()), areas, [MONTH]],
        names=["indicator_code", "area_code", "period_start"],
    )
    counts = rows.groupby(["indicator_code", "area_code"]).size()
    return pd.Series([float(counts.get((i, a), 0)) for i, a, _ in index], index=index).sort_index()


def _stored(path) -> pd.Series:
    store = connect(path, read_only=True)
    try:
        frame = store.frame("SELECT indicator_code, area_code, period_start, value FROM observations")
    finally:
        store.close()
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame.set_index(["indicator_code", "area_code", "period_start"])["value"].sort_index()


def test_counts_per_community_area_follow_the_coordinates(built):
    """The export as published, placed by coordinates: its ``district`` column is not the area."""
    assert_same_counts(_stored(built.db), _expected())


def test_a_file_with_coordinates_and_area_columns_is_refused_until_the_user_chooses(tmp_path):
    store = connect(tmp_path / "db.duckdb")
    try:
        report = _load(store, area_from=None)
        stored = store.scalar("SELECT count(*) FROM observations")
    finally:
        store.close()
    assert not report.ok
    assert stored == 0
    ambiguous = [issue for issue in report.errors if issue.code == "area-ambiguous"]
    assert ambiguous, report.to_text()
    assert "coordinates" in ambiguous[0].message and "district" in ambiguous[0].message.lower()


def test_counts_per_community_area_without_the_district_column(tmp_path):
    store = connect(tmp_path / "db.duckdb")
    try:
        report = _load(store, without_district=True)
    finally:
        store.close()
    assert report.ok, report.to_text()
    assert_same_counts(_stored(tmp_path / "db.duckdb"), _expected())
    raw = _raw()
    placed = _by_point(raw)
    followed = raw["primary_type"].isin(FOLLOWED)
    not_followed = raw.loc[~followed, "primary_type"].value_counts()
    assert report.ignored_reasons == {
        **{f"category not followed: {k}": int(v) for k, v in not_followed.items()},
        **({"outside our districts": n} if (n := int((followed & placed.isna()).sum())) else {}),
    }


@pytest.mark.parametrize("audience", ["viewer", "public"])
def test_every_page_opens_on_chicago_incidents(site, built, audience):
    site(built)
    assert page_errors(audience) == {}


def test_the_upload_page_recognises_the_export_as_published():
    found = formats.recognise_file(INCIDENTS.read_bytes(), INCIDENTS.name)
    assert found is not None and found.source is SourceFormat.INCIDENTS
