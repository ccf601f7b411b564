"""The shape generator: deterministic, and each shape is the shape its name promises."""

import pandas as pd
import pytest

from tests.shapes import expected
from tests.shapes.generator import CITY, SHAPES, WITHHELD


@pytest.mark.parametrize("shape", [s for s in SHAPES if s != "thousands"])
def test_a_shape_is_the_same_every_time(shape):
    first, second = SHAPES[shape](), SHAPES[shape]()
    pd.testing.assert_frame_equal(first.observations, second.observations)
    pd.testing.assert_frame_equal(first.denominators, second.denominators)


def _grains(shape):
    city = SHAPES[shape]()
    return {expected.granularity(p) for p in city.observations["period"]}


def test_yearly_quarterly_and_monthly_shapes_hold_only_their_granularity():
    assert _grains("yearly_only") == {"year"}
    assert _grains("quarterly") == {"quarter"}
    assert _grains("monthly") == {"month", "year"}  # the survey percent is yearly


def test_single_month_has_one_period_and_no_city_rows():
    city = SHAPES["single_month"]()
    assert set(city.observations["period"]) == {"2025-06"}
    assert CITY not in set(city.observations["area"])


def test_partial_year_ends_with_five_months():
    city = SHAPES["partial_year"]()
    assert sorted({p for p in city.observations["period"] if p.startswith("2025")}) == [
        f"2025-{m:02d}" for m in range(1, 6)
    ]


def test_gaps_leave_a_district_year_and_a_month_out():
    city = SHAPES["gaps"]()
    assert expected.area_year(city, "burglary", "03", 2023) is None
    assert expected.area_year(city, "burglary", "05", 2024) is None
    assert expected.area_year(city, "burglary", "05", 2025) is not None
    assert expected.latest_district_year(city, "outreach") == 2024


def test_city_own_rows_differ_from_the_district_sum():
    city = SHAPES["city_own_rows"]()
    districts = city.observations[city.observations["area"] != CITY]
    own = city.observations[city.observations["area"] == CITY]
    assert own["value"].sum() - districts["value"].sum() == 7 * 36


def test_every_district_has_a_withheld_cell():
    city = SHAPES["withheld_everywhere"]()
    withheld = city.observations[city.observations["status"] == WITHHELD]
    assert set(withheld["area"]) == set(city.codes)
    assert withheld["value"].isna().all()


def test_every_unit_and_multiplier_is_there():
    city = SHAPES["every_unit"]()
    assert {i.unit for i in city.indicators} == {"count", "rate", "percent", "index", "amount"}
    assert {i.multiplier for i in city.indicators if i.unit == "count"} == {1000, 10000, 100000}
    percent = city.observations[city.observations["indicator"] == "feel_unsafe"]
    assert percent["sample_size"].notna().all()


def test_one_district_has_one_and_no_denominators_has_none():
    assert len(SHAPES["one_district"]().districts) == 1
    assert len(SHAPES["no_denominators"]().denominators) == 0


@pytest.mark.slow
def test_thousands_has_3000_districts_in_two_years():
    city = SHAPES["thousands"]()
    assert len(city.districts) == 3000
    assert set(city.observations["period"]) == {"2024", "2025"}
