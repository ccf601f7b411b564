"""Invariants of the demo city files in data/demo, as committed and as regenerated."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from observatory.domain import ActionStatus, IndicatorKind, ObservationStatus, Period, Polarity, Sector, Unit

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
CITY = "000"
HEADERS = {
    "indicators.csv": "code,name,theme,kind,unit,polarity,denominator,multiplier,threshold,description,"
    "source",
    "denominators.csv": "area,year,residents,dwellings",
    "observations.csv": "indicator,area,period,value,sample_size,status",
    "axes.csv": "code,title,description",
    "partners.csv": "code,name,sector",
    "objectives.csv": "code,axis,title,indicator,area,baseline_period,baseline_value,target_value,"
    "target_period",
    "actions.csv": (
        "code,objective,title,lead_partner,partners,status,start,end,budget,areas,indicators,comparison_areas"
    ),
}
GENERATED = {*HEADERS, "city.json", "districts.geojson", "README.md"}


@cache
def table(name: str) -> pd.DataFrame:
    """A demo CSV read as text, blanks kept as empty strings."""
    return pd.read_csv(DEMO / name, dtype=str, keep_default_na=False, encoding="utf-8")


@cache
def districts() -> gpd.GeoDataFrame:
    return gpd.read_file(DEMO / "districts.geojson")


def projected() -> gpd.GeoSeries:
    """Districts in the Portuguese national grid (metres) for areas."""
    return districts().to_crs(3763).geometry


def observations() -> pd.DataFrame:
    return table("observations.csv")


def indicator_units() -> dict[str, str]:
    frame = table("indicators.csv")
    return dict(zip(frame["code"], frame["unit"], strict=True))


def area_codes() -> set[str]:
    return {*districts()["code"], CITY}


# --- boundaries -----------------------------------------------------------------------------


def test_there_are_twenty_districts() -> None:
    assert len(districts()) == 20


def test_district_codes_are_unique_two_digit_text_with_leading_zeros() -> None:
    raw = json.loads((DEMO / "districts.geojson").read_text(encoding="utf-8"))
    codes = [f["properties"]["code"] for f in raw["features"]]
    assert all(isinstance(c, str) for c in codes)
    assert sorted(codes) == [f"{i:02d}" for i in range(1, 21)]


def test_geojson_is_a_feature_collection_without_crs_member() -> None:
    raw = json.loads((DEMO / "districts.geojson").read_text(encoding="utf-8"))
    assert raw["type"] == "FeatureCollection"
    assert set(raw) == {"type", "features"}
    assert all(set(f["properties"]) == {"code", "name"} for f in raw["features"])


def test_district_names_keep_portuguese_accents() -> None:
    names = set(districts()["name"])
    assert "Sé" in names
    assert any("ã" in n or "ç" in n for n in names)


def test_coordinates_have_at_most_six_decimals() -> None:
    text = (DEMO / "districts.geojson").read_text(encoding="utf-8")
    decimals = [len(m) for m in re.findall(r"-?\d+\.(\d+)", text)]
    assert decimals
    assert max(decimals) <= 6


def test_city_is_about_twelve_km_across_around_the_demo_centre() -> None:
    minx, _, maxx, _ = projected().total_bounds
    assert 10_000 < maxx - minx < 14_000
    lon, lat = districts().geometry.union_all().centroid.coords[0]
    assert abs(lon - -8.6) < 0.05
    assert abs(lat - 41.15) < 0.05


def test_district_polygons_are_valid() -> None:
    geoms = districts().geometry
    assert all(g.geom_type == "Polygon" for g in geoms)
    assert all(g.is_valid for g in geoms)


def test_coverage_union_area_equals_sum_of_areas() -> None:
    geoms = projected()
    union = shapely.union_all(list(geoms))
    assert union.area == pytest.approx(geoms.area.sum(), rel=1e-6)


def test_coverage_has_no_pairwise_overlaps() -> None:
    geoms = list(projected())
    worst = max(a.intersection(b).area for a, b in itertools.combinations(geoms, 2))
    assert worst < 1e-3  # square metres: shared edges only


def test_coverage_has_no_gaps() -> None:
    union = shapely.union_all(list(projected()))
    assert union.geom_type == "Polygon"
    assert len(union.interiors) == 0
    assert shapely.coverage_is_valid(list(districts().geometry))


def test_no_district_is_a_rectangle() -> None:
    for geom in projected():
        assert geom.area / geom.minimum_rotated_rectangle.area < 0.97
        assert len(geom.exterior.coords) > 10


def test_no_two_districts_are_congruent() -> None:
    # Congruent shapes share area and perimeter; irregular districts never match on both.
    for a, b in itertools.combinations(projected(), 2):
        same_area = a.area == pytest.approx(b.area, rel=1e-3)
        assert not (same_area and a.length == pytest.approx(b.length, rel=1e-3))


# --- CSV contracts --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_csv_header_is_exact(name: str) -> None:
    first = (DEMO / name).read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first == HEADERS[name]


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_csv_is_utf8_without_bom_with_lf_line_ends(name: str) -> None:
    data = (DEMO / name).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    data.decode("utf-8")


def test_indicator_vocabularies_are_valid() -> None:
    frame = table("indicators.csv")
    assert set(frame["kind"]) <= {k.value for k in IndicatorKind}
    assert set(frame["unit"]) <= {u.value for u in Unit}
    assert set(frame["polarity"]) <= {p.value for p in Polarity}
    assert set(frame["denominator"]) <= {"residents", "dwellings", ""}
    assert frame["code"].is_unique


def test_counts_with_denominator_have_multiplier_1000() -> None:
    frame = table("indicators.csv")
    with_denominator = frame[frame["denominator"] != ""]
    assert len(with_denominator) == 8
    assert set(with_denominator["multiplier"]) == {"1000"}
    assert set(with_denominator["unit"]) == {"count"}


def test_intra_family_violence_threshold_is_ten() -> None:
    frame = table("indicators.csv").set_index("code")
    assert frame.loc["domestic_violence", "threshold"] == "10"
    assert set(frame.drop(index="domestic_violence").query("unit == 'count'")["threshold"]) == {"5"}


def test_every_observation_indicator_exists() -> None:
    assert set(observations()["indicator"]) <= set(table("indicators.csv")["code"])


def test_every_observation_area_exists() -> None:
    assert set(observations()["area"]) <= area_codes()


def test_observation_periods_parse() -> None:
    for text in observations()["period"].unique():
        assert Period.parse(text).label() == text


def test_observation_key_is_unique() -> None:
    assert not observations().duplicated(["indicator", "area", "period"]).any()


def test_counts_are_non_negative_integers() -> None:
    units = indicator_units()
    values = observations()[observations()["indicator"].map(units) == "count"]["value"]
    written = values[values != ""]
    assert written.str.fullmatch(r"\d+").all()


def test_percents_are_within_0_and_100_with_one_decimal() -> None:
    units = indicator_units()
    values = observations()[observations()["indicator"].map(units) == "percent"]["value"]
    assert values.str.fullmatch(r"\d{1,3}\.\d").all()
    assert values.astype(float).between(0, 100).all()


def test_withheld_rows_have_blank_value() -> None:
    withheld = observations()[observations()["status"] == ObservationStatus.NOT_PUBLISHED.value]
    assert 5 <= len(withheld) <= 15
    assert (withheld["value"] == "").all()


def test_blank_values_appear_only_in_withheld_rows() -> None:
    blank = observations()[observations()["value"] == ""]
    assert (blank["status"] == ObservationStatus.NOT_PUBLISHED.value).all()
    assert set(observations()["status"]) <= {"", ObservationStatus.NOT_PUBLISHED.value}


def test_sample_size_only_for_the_survey_and_80_to_400_per_district() -> None:
    obs = observations()
    with_sample = obs[obs["sample_size"] != ""]
    assert set(with_sample["indicator"]) == {"feel_unsafe"}
    survey = obs[obs["indicator"] == "feel_unsafe"]
    assert (survey["sample_size"] != "").all()
    assert survey[survey["area"] != CITY]["sample_size"].astype(int).between(80, 400).all()


def test_no_city_rows_for_district_count_indicators() -> None:
    frame = table("indicators.csv")
    district_counts = set(frame[frame["denominator"] != ""]["code"])
    obs = observations()
    assert obs[obs["indicator"].isin(district_counts) & (obs["area"] == CITY)].empty


def test_monthly_counts_cover_every_district_and_month() -> None:
    obs = observations()
    burglary = obs[obs["indicator"] == "burglary"]
    assert len(burglary) == 20 * 120
    assert burglary["period"].min() == "2016-01"
    assert burglary["period"].max() == "2025-12"


def test_city_level_activity_indicators_have_only_city_rows() -> None:
    obs = observations()
    city_only = obs[obs["indicator"].isin(["help_centre_contacts", "safe_house_nights"])]
    assert set(city_only["area"]) == {CITY}
    assert city_only["period"].min() == "2019-01"


def yearly_sum(indicator: str, area: str, year: int) -> int:
    obs = observations()
    mine = obs[
        (obs["indicator"] == indicator) & (obs["area"] == area) & obs["period"].str.startswith(f"{year}-")
    ]
    return int(mine["value"].astype(int).sum())


def test_some_district_feels_less_safe_while_recorded_burglary_falls() -> None:
    obs = observations()
    survey = obs[obs["indicator"] == "feel_unsafe"].set_index(["area", "period"])["value"].astype(float)
    diverging = [
        code
        for code in districts()["code"]
        if survey[(code, "2025")] > survey[(code, "2022")] + 3
        and yearly_sum("burglary", code, 2025) < 0.7 * yearly_sum("burglary", code, 2022)
    ]
    assert diverging


def test_burglary_peaks_in_winter_and_vandalism_in_summer() -> None:
    obs = observations()
    month = obs["period"].str[5:]
    for indicator, high, low in (("burglary", "01", "07"), ("vandalism", "07", "01")):
        by_month = obs[obs["indicator"] == indicator].assign(month=month).groupby("month")["value"]
        totals = by_month.apply(lambda v: v.astype(int).sum())
        assert totals[high] > 1.2 * totals[low]


def test_city_file_names_the_city_area() -> None:
    city = json.loads((DEMO / "city.json").read_text(encoding="utf-8"))
    assert city["code"] == CITY
    assert city["name"]
    assert city["code"] not in set(districts()["code"])


# --- denominators ---------------------------------------------------------------------------


def test_denominators_city_equals_sum_of_districts() -> None:
    frame = table("denominators.csv")
    numbers = frame.assign(residents=frame["residents"].astype(int), dwellings=frame["dwellings"].astype(int))
    city = numbers[numbers["area"] == CITY].set_index("year")[["residents", "dwellings"]]
    summed = numbers[numbers["area"] != CITY].groupby("year")[["residents", "dwellings"]].sum()
    pd.testing.assert_frame_equal(city.sort_index(), summed.sort_index())


def test_denominators_cover_every_area_and_year() -> None:
    frame = table("denominators.csv")
    assert set(frame["area"]) == area_codes()
    assert set(frame["year"]) == {str(y) for y in range(2016, 2026)}
    assert len(frame) == 21 * 10


def test_district_populations_are_3000_to_40000() -> None:
    frame = table("denominators.csv")
    residents = frame[frame["area"] != CITY]["residents"].astype(int)
    assert residents.between(3000, 40000).all()


# --- strategy -------------------------------------------------------------------------------


def test_partner_sectors_are_valid() -> None:
    frame = table("partners.csv")
    assert 10 <= len(frame) <= 14
    assert set(frame["sector"]) == {s.value for s in Sector}


def test_objectives_reference_existing_indicators_areas_and_axes() -> None:
    frame = table("objectives.csv")
    assert len(frame) == 8
    assert set(frame["indicator"]) <= set(table("indicators.csv")["code"])
    assert set(frame["area"]) <= area_codes()
    assert set(frame["axis"]) <= set(table("axes.csv")["code"])


def test_objective_periods_are_2022_baseline_and_2026_or_2027_target() -> None:
    frame = table("objectives.csv")
    assert set(frame["baseline_period"]) == {"2022"}
    assert set(frame["target_period"]) <= {"2026", "2027"}


def test_objective_baselines_equal_the_2022_data() -> None:
    obs = observations()
    for row in table("objectives.csv").itertuples():
        mine = obs[(obs["indicator"] == row.indicator) & ((obs["area"] == row.area) | (row.area == CITY))]
        yearly = mine[mine["period"] == "2022"]
        if not yearly.empty:
            assert float(yearly[yearly["area"] == row.area]["value"].iloc[0]) == float(row.baseline_value)
        else:
            months = mine[mine["period"].str.startswith("2022-") & (mine["value"] != "")]
            assert months["value"].astype(int).sum() == int(row.baseline_value)


def test_actions_reference_existing_objectives_and_partners() -> None:
    frame = table("actions.csv")
    partners = set(table("partners.csv")["code"])
    assert 14 <= len(frame) <= 20
    assert set(frame["objective"]) <= set(table("objectives.csv")["code"])
    assert set(frame["lead_partner"]) <= partners
    for cell in frame["partners"]:
        assert set(cell.split("|")) <= partners


def test_actions_have_valid_status_dates_and_budgets() -> None:
    frame = table("actions.csv")
    assert set(frame["status"]) <= {s.value for s in ActionStatus}
    start, end = (
        pd.to_datetime(frame["start"], format="%Y-%m-%d"),
        pd.to_datetime(frame["end"], format="%Y-%m-%d"),
    )
    assert (start < end).all()
    budgets = frame["budget"]
    assert 1 <= (budgets == "").sum() <= 3
    assert budgets[budgets != ""].str.fullmatch(r"\d+").all()


# --- determinism ----------------------------------------------------------------------------


def test_regenerating_gives_byte_identical_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(DEMO / "generate.py"), str(tmp_path)], check=True, capture_output=True
    )
    written = {p.name for p in tmp_path.iterdir()}
    assert written == GENERATED
    for name in sorted(written):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name
