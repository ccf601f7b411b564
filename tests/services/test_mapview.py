"""Map use cases on the demo city: periods, rolling 12 months, bases, intervals, benchmarks, clicks."""

import shutil

import numpy as np
import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import imports, mapview, views
from observatory.services.mapview import MapPeriod
from observatory.stats import rates
from observatory.store import connect, queries

EDITOR = Actor("rita", Role.EDITOR)


@pytest.fixture(scope="module")
def demo(demo_file):
    opened = connect(demo_file)
    yield opened
    opened.close()


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def _import(store, data: bytes) -> None:
    report = imports.import_table(store, ImportKind.OBSERVATIONS, data, "file.csv", actor=EDITOR)
    assert report.to_dict()["status"] != "rejected", report.to_dict()


def _table(store, code, period):
    return mapview.district_table(store, views.indicator(store, code), MapPeriod.parse(period)).set_index(
        "code"
    )


def _months(store, code):
    frame = queries.aggregated(store, code, stored="month", target="month", level=1)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


# --- periods -----------------------------------------------------------------------------------------


def test_a_year_parses_as_the_calendar_year():
    period = MapPeriod.parse("2024")
    assert (period.year, period.month, period.rolling) == (2024, 12, False)
    assert period.first_month == pd.Timestamp("2024-01-01")
    assert period.label == "2024"


def test_a_month_parses_as_the_twelve_months_ending_there():
    period = MapPeriod.parse("2025-06")
    assert period.rolling
    assert period.first_month == pd.Timestamp("2024-07-01")
    assert period.last_month == pd.Timestamp("2025-06-01")
    assert period.label == "2025-06"


def test_a_quarter_is_not_a_map_period():
    with pytest.raises(ValueError):
        MapPeriod.parse("2024-Q3")


def test_monthly_counts_offer_years_and_rolling_end_months_newest_first(demo):
    options = mapview.period_options(demo, views.indicator(demo, "burglary"))
    assert options.years[0] == "2025"
    assert options.years[-1] == "2016"
    assert options.months[0] == "2025-12"
    assert options.months[-1] == "2016-12"  # the first month with 12 months of data behind it


def test_yearly_survey_offers_years_only(demo):
    options = mapview.period_options(demo, views.indicator(demo, "feel_unsafe"))
    assert options.months == ()
    assert "2025" in options.years


# --- measures ----------------------------------------------------------------------------------------


def test_counts_with_a_denominator_offer_rate_count_and_benchmark(demo):
    assert mapview.measures(demo, views.indicator(demo, "burglary")) == ["rate", "count", "benchmark"]


def test_counts_without_a_denominator_offer_the_count_only(demo):
    assert mapview.measures(demo, views.indicator(demo, "outreach_contacts")) == ["count"]


def test_survey_percent_offers_the_percent_and_benchmark(demo):
    assert mapview.measures(demo, views.indicator(demo, "feel_unsafe")) == ["value", "benchmark"]


def test_percent_without_respondents_offers_the_value_only(demo):
    assert mapview.measures(demo, views.indicator(demo, "unemployment")) == ["value"]


def test_shown_columns_follow_the_measure(demo):
    burglary = views.indicator(demo, "burglary")
    survey = views.indicator(demo, "feel_unsafe")
    assert mapview.shown_columns(burglary, "rate") == ("rate", "rate_lower", "rate_upper")
    assert mapview.shown_columns(burglary, "benchmark")[0] == "rate"
    assert mapview.shown_columns(burglary, "count") == ("value", "value_lower", "value_upper")
    assert mapview.shown_columns(survey, "benchmark")[0] == "value"


# --- values ------------------------------------------------------------------------------------------


def test_rolling_year_to_december_equals_the_calendar_year(demo):
    calendar = _table(demo, "robbery", "2024")
    rolling = _table(demo, "robbery", "2024-12")
    pd.testing.assert_series_equal(calendar["value"], rolling["value"])
    pd.testing.assert_series_equal(calendar["rate"], rolling["rate"])


def test_rolling_year_sums_the_twelve_months_ending_at_the_month(demo):
    months = _months(demo, "violence")
    inside = months[months["period_start"].between("2024-07-01", "2025-06-01")]
    expected = inside.groupby("area_code")["value"].sum()
    table = _table(demo, "violence", "2025-06")
    assert table["value"].to_dict() == pytest.approx(expected.to_dict())
    assert not table["withheld"].any()


def test_rate_uses_the_indicators_own_denominator_and_its_year(demo):
    table = _table(demo, "burglary", "2025-06")
    dwellings = queries.denominators(demo, "dwellings")
    sé = dwellings[(dwellings["area_code"] == "01") & (dwellings["year"] == 2025)]["value"].iloc[0]
    row = table.loc["01"]
    assert row["denominator_kind"] == "dwellings"
    assert row["denominator_year"] == 2025
    assert row["denominator"] == sé
    assert row["rate"] == pytest.approx(row["value"] / sé * 1000)


def test_rate_interval_is_the_poisson_interval_of_the_count_over_the_denominator(demo):
    row = _table(demo, "robbery", "2023").loc["05"]
    expected = rates.rate_ci(row["value"], row["denominator"], 1000)
    assert (row["rate_lower"], row["rate_upper"]) == pytest.approx((expected.lower, expected.upper))
    lower, upper = rates.poisson_ci(row["value"])
    assert (row["value_lower"], row["value_upper"]) == pytest.approx((lower, upper))


def test_survey_percent_has_respondents_as_its_base_and_a_wilson_interval(demo):
    row = _table(demo, "feel_unsafe", "2025").loc["01"]
    assert row["value"] == pytest.approx(18.2)
    assert row["denominator"] == 132
    assert row["denominator_kind"] == "respondents"
    assert row["denominator_year"] == 2025
    lower, upper = rates.wilson_ci(18.2, 132)
    assert (row["value_lower"], row["value_upper"]) == pytest.approx((lower, upper))
    assert np.isnan(row["rate"])


def test_percent_without_respondents_has_no_base_and_no_interval(demo):
    table = _table(demo, "unemployment", "2025")
    assert table["denominator_kind"].isna().all()
    assert table["value_lower"].isna().all()
    assert (table["benchmark"] == "not_compared").all()


def test_a_withheld_month_withholds_the_district_never_zero(demo):
    table = _table(demo, "outreach_contacts", "2019")
    for code in ("03", "11", "12"):  # each has a not_published month in 2019
        assert table.loc[code, "withheld"]
        assert np.isnan(table.loc[code, "value"])
    assert not table.loc["01", "withheld"]


def test_a_withheld_month_withholds_every_rolling_year_that_contains_it(demo):
    assert _table(demo, "outreach_contacts", "2020-03").loc["03", "withheld"]  # contains 2019-04
    assert not _table(demo, "outreach_contacts", "2020-04").loc["03", "withheld"]  # starts 2019-05


def test_a_missing_month_makes_the_rolling_year_not_published(store):
    _import(store, b"indicator,area,period,value\nburglary,01,2026-01,3\n")
    table = _table(store, "burglary", "2026-01")
    assert not table.loc["01", "withheld"]
    assert table.loc["02", "withheld"]
    assert not table.loc["02", "complete"]
    assert np.isnan(table.loc["02", "value"])


def test_rolling_year_without_its_denominator_year_uses_the_latest_earlier_one(store):
    _import(store, b"indicator,area,period,value\nburglary,01,2026-01,3\n")
    row = _table(store, "burglary", "2026-01").loc["01"]
    assert row["denominator_year"] == 2025


def test_a_rolling_year_of_a_yearly_indicator_is_all_withheld(demo):
    info = views.indicator(demo, "feel_unsafe")
    table = mapview.district_table(demo, info, MapPeriod.parse("2025-06"))
    assert len(table) == 20
    assert table["withheld"].all()


# --- the city and benchmarks --------------------------------------------------------------------------


def test_city_rate_is_the_district_total_over_the_citys_own_denominator(demo):
    table = _table(demo, "burglary", "2025")
    city = queries.denominators(demo, "dwellings")
    city = city[(city["area_code"] == "000") & (city["year"] == 2025)]["value"].iloc[0]
    assert table["reference"].iloc[0] == pytest.approx(table["value"].sum() / city * 1000)


def test_survey_city_value_is_the_citys_own_row(demo):
    assert _table(demo, "feel_unsafe", "2025")["reference"].iloc[0] == pytest.approx(12.5)


def test_benchmark_follows_the_interval_and_the_polarity(demo):
    table = _table(demo, "burglary", "2025")
    reference = table["reference"].iloc[0]
    better = table["rate_upper"] < reference
    worse = table["rate_lower"] > reference
    assert (table.loc[better, "benchmark"] == "better").all()
    assert (table.loc[worse, "benchmark"] == "worse").all()
    assert (table.loc[~better & ~worse, "benchmark"] == "similar").all()
    assert better.any() and worse.any()


def test_counts_without_a_denominator_are_not_benchmarked(demo):
    assert (_table(demo, "outreach_contacts", "2025")["benchmark"] == "not_compared").all()


def test_a_withheld_district_bounds_the_city_and_compares_beyond_both_bounds(store):
    before = _table(store, "burglary", "2025")
    march = store.scalar(
        "SELECT value FROM observations WHERE indicator_code = 'burglary' AND area_code = '07' "
        "AND period_start = DATE '2025-03-01'"
    )
    _import(store, b"indicator,area,period,value,status\nburglary,07,2025-03,,not_published\n")
    table = _table(store, "burglary", "2025")
    assert table.loc["07", "withheld"]
    # The city's total lies between the published sum and that sum plus threshold − 1 (5 − 1 = 4).
    city_count = store.scalar(
        "SELECT sum(o.value) FROM observations o JOIN areas a ON a.code = o.area_code WHERE a.level = 1 "
        "AND o.indicator_code = 'burglary' AND year(o.period_start) = 2025"
    )
    per = before["reference"].iloc[0] / city_count  # the city's rate per offence
    known = city_count - march
    assert np.isnan(table["reference"].iloc[0])
    assert table["reference_basis"].iloc[0] == "bounded"
    assert table["reference_low"].iloc[0] == pytest.approx(known * per)
    assert table["reference_high"].iloc[0] == pytest.approx((known + 4) * per)
    others = table.drop(index="07")
    higher = others["rate_lower"] > table["reference_high"].iloc[0]
    lower = others["rate_upper"] < table["reference_low"].iloc[0]
    assert (others.loc[higher, "benchmark"] == "worse").all()
    assert (others.loc[lower, "benchmark"] == "better").all()
    assert (others.loc[~higher & ~lower, "benchmark"] == "similar").all()
    assert table.loc["07", "benchmark"] == "not_compared"


# --- clicks ------------------------------------------------------------------------------------------


def test_a_clicked_polygon_names_its_district_by_location():
    points = [{"curve_number": 0, "point_index": 2, "location": "05"}]
    assert mapview.selected_code(points, [["01", "02", "03"]]) == "05"


def test_a_clicked_polygon_without_location_is_found_by_trace_and_index():
    points = [{"curve_number": 1, "point_index": 1}]
    assert mapview.selected_code(points, [["01"], ["07", "12"]]) == "12"


def test_no_click_selects_nothing():
    assert mapview.selected_code([], [["01"]]) is None


def test_a_point_outside_the_traces_selects_nothing():
    assert mapview.selected_code([{"curve_number": 3, "point_index": 0}], [["01"]]) is None
