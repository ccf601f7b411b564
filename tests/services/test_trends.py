"""Trends use cases against the demo city (built once per module) and small hand-built panels."""

import math
import shutil
from datetime import date

import numpy as np
import pandas as pd
import pytest

from observatory.services import trend_checks, trends, views
from observatory.stats import compare
from observatory.stats import trends as stats_trends
from observatory.store import Store, connect, queries


@pytest.fixture(scope="module")
def demo(demo_file):
    store = connect(demo_file, read_only=True)
    yield store
    store.close()


@pytest.fixture
def writable(demo_file, tmp_path):
    store = connect(shutil.copy(demo_file, tmp_path / "copy.duckdb"))
    yield store
    store.close()


def _info(store, code):
    return views.indicator(store, code)


def _execute(store, sql, params=()):
    with store.transaction() as cur:
        cur.execute(sql, list(params))


def _yearly(values, *, sizes=None, first=2019, complete=None, withheld=None):
    """A hand-built yearly panel for one area."""
    n = len(values)
    return pd.DataFrame(
        {
            "area_code": "000",
            "period_start": pd.to_datetime([f"{first + i}-01-01" for i in range(n)]),
            "value": np.asarray(values, dtype=float),
            "sample_size": np.nan if sizes is None else np.asarray(sizes, dtype=float),
            "withheld": [False] * n if withheld is None else withheld,
            "complete": [True] * n if complete is None else complete,
            "denominator": np.nan,
            "denominator_year": np.nan,
        }
    )


# --- views and panels -------------------------------------------------------------------------------


def test_monthly_counts_offer_every_view(demo):
    assert trends.available_views(demo, _info(demo, "burglary")) == ["year", "quarter", "month", "rolling12"]


def test_yearly_percent_offers_only_the_yearly_view(demo):
    assert trends.available_views(demo, _info(demo, "feel_unsafe")) == ["year"]


def test_measures_follow_the_denominator_and_unit(demo):
    assert trends.measures(_info(demo, "burglary")) == ["rate", "count"]
    assert trends.measures(_info(demo, "outreach_contacts")) == ["count"]
    assert trends.measures(_info(demo, "feel_unsafe")) == ["value"]


def test_panel_rejects_a_view_the_indicator_does_not_have(demo):
    with pytest.raises(ValueError, match="month"):
        trends.panel(demo, _info(demo, "feel_unsafe"), "month")


def test_city_count_is_the_sum_of_its_districts(demo):
    frame = trends.panel(demo, _info(demo, "burglary"), "year")
    city = frame[frame["area_code"] == "000"].set_index("period_start")["value"]
    districts = frame[frame["area_code"] != "000"].groupby("period_start")["value"].sum()
    assert len(city) == 10
    pd.testing.assert_series_equal(city, districts, check_names=False)


def test_quarters_are_sums_of_their_months(demo):
    info = _info(demo, "burglary")
    months = trends.panel(demo, info, "month")
    quarters = trends.panel(demo, info, "quarter")
    first = months[(months["area_code"] == "05") & (months["period_start"] < "2016-04-01")]["value"].sum()
    row = quarters[(quarters["area_code"] == "05") & (quarters["period_start"] == "2016-01-01")]
    assert row["value"].iloc[0] == first


def test_each_point_carries_the_denominator_of_its_year(demo):
    frame = trends.panel(demo, _info(demo, "burglary"), "year")
    dens = queries.denominators(demo, "dwellings")
    expected = dens[(dens["area_code"] == "12") & (dens["year"] == 2021)]["value"].iloc[0]
    row = frame[(frame["area_code"] == "12") & (frame["period_start"] == "2021-01-01")]
    assert row["denominator"].iloc[0] == expected
    assert row["denominator_year"].iloc[0] == 2021


def test_a_missing_denominator_year_falls_back_to_the_latest_earlier_one(writable):
    _execute(writable, "DELETE FROM denominators WHERE year = 2025")
    frame = trends.panel(writable, _info(writable, "burglary"), "year")
    latest = frame[frame["period_start"] == "2025-01-01"]
    assert set(latest["denominator_year"]) == {2024.0}
    assert latest["denominator"].notna().all()


def test_rolling_view_is_the_sum_of_the_last_twelve_months(demo):
    info = _info(demo, "burglary")
    months = trends.panel(demo, info, "month")
    rolling = trends.panel(demo, info, "rolling12")
    area = months[months["area_code"] == "03"]
    expected = area[(area["period_start"] >= "2024-04-01") & (area["period_start"] <= "2025-03-01")][
        "value"
    ].sum()
    row = rolling[(rolling["area_code"] == "03") & (rolling["period_start"] == "2025-03-01")]
    assert row["value"].iloc[0] == expected


def test_rolling_view_starts_at_the_twelfth_month(demo):
    rolling = trends.panel(demo, _info(demo, "burglary"), "rolling12")
    assert rolling["period_start"].min() == pd.Timestamp("2016-12-01")
    assert rolling["value"].notna().all()


def test_withheld_month_is_missing_never_zero(demo):
    frame = trends.panel(demo, _info(demo, "outreach_contacts"), "month")
    row = frame[(frame["area_code"] == "03") & (frame["period_start"] == "2019-04-01")]
    assert row["withheld"].iloc[0]
    assert math.isnan(row["value"].iloc[0])


def test_city_total_of_a_month_with_a_withheld_district_is_not_published(demo):
    frame = trends.panel(demo, _info(demo, "outreach_contacts"), "month")
    row = frame[(frame["area_code"] == "000") & (frame["period_start"] == "2019-04-01")]
    assert row["withheld"].iloc[0]
    assert math.isnan(row["value"].iloc[0])


def test_rolling_windows_holding_a_withheld_month_are_not_published(demo):
    rolling = trends.panel(demo, _info(demo, "outreach_contacts"), "rolling12")
    area = rolling[rolling["area_code"] == "03"].set_index("period_start")
    # Activity data start in January 2019: the first window ends in December 2019.
    hidden = area.loc[:"2020-03-01"]
    assert list(hidden.index.month) == [12, 1, 2, 3]
    assert hidden["withheld"].all()
    assert hidden["value"].isna().all()
    assert not area.loc["2020-04-01", "withheld"]


# --- what is drawn ----------------------------------------------------------------------------------


def test_rate_is_per_thousand_of_the_denominator_with_a_poisson_interval(demo):
    info = _info(demo, "burglary")
    frame = trends.measured(trends.panel(demo, info, "year"), info, "rate")
    row = frame[(frame["area_code"] == "12") & (frame["period_start"] == "2025-01-01")].iloc[0]
    assert row["shown"] == pytest.approx(row["value"] / row["denominator"] * 1000)
    assert row["lower"] < row["shown"] < row["upper"]


def test_count_measure_shows_the_count_with_its_interval(demo):
    info = _info(demo, "burglary")
    frame = trends.measured(trends.panel(demo, info, "year"), info, "count")
    row = frame[frame["area_code"] == "07"].iloc[-1]
    assert row["shown"] == row["value"]
    assert row["lower"] < row["value"] < row["upper"]


def test_survey_percent_gets_a_wilson_interval(demo):
    info = _info(demo, "feel_unsafe")
    frame = trends.measured(trends.panel(demo, info, "year"), info, "value")
    city = frame[frame["area_code"] == "000"]
    assert city["sample_size"].notna().all()
    assert (city["lower"] < city["shown"]).all()
    assert (city["shown"] < city["upper"]).all()


def test_percent_without_sample_size_gets_no_interval(demo):
    info = _info(demo, "unemployment")
    frame = trends.measured(trends.panel(demo, info, "year"), info, "value")
    assert frame["shown"].notna().all()
    assert frame["lower"].isna().all()
    assert frame["upper"].isna().all()


# --- series breaks ----------------------------------------------------------------------------------


def test_no_series_breaks_gives_an_empty_list(demo):
    assert trends.series_breaks(demo, _info(demo, "burglary")) == []


def test_series_breaks_are_read_from_their_table(writable):
    _execute(
        writable, "INSERT INTO series_breaks VALUES ('burglary', DATE '2023-01-01', 'new recording rules')"
    )
    assert trends.series_breaks(writable, _info(writable, "burglary")) == [
        (date(2023, 1, 1), "new recording rules")
    ]


def test_series_breaks_query_on_a_store_without_the_table_is_empty():
    store = Store(":memory:")
    try:
        frame = queries.series_breaks(store, "burglary")
    finally:
        store.close()
    assert frame.empty
    assert list(frame.columns) == ["break_date", "note"]


# --- recent-trend verdicts --------------------------------------------------------------------------


def test_survey_verdict_is_the_proportion_test_of_the_last_five_years(demo):
    info = _info(demo, "feel_unsafe")
    yearly = trends.panel(demo, info, "year")
    found = trend_checks.trend_verdicts(yearly, info, "value", []).set_index("area_code")
    city = yearly[yearly["area_code"] == "000"].tail(5)
    direct = stats_trends.trend_test(city["value"], kind="proportion", sample_sizes=city["sample_size"])
    assert found.loc["000", "chi2"] == pytest.approx(direct.chi2)
    assert found.loc["000", "verdict"] == "decreasing_better"
    assert (found.loc["000", "first_year"], found.loc["000", "last_year"]) == (2021, 2025)


def test_rate_verdict_uses_the_denominators_of_the_years(demo):
    info = _info(demo, "burglary")
    yearly = trends.panel(demo, info, "year")
    found = trend_checks.trend_verdicts(yearly, info, "rate", []).set_index("area_code")
    area = yearly[yearly["area_code"] == "05"].tail(5)
    direct = stats_trends.trend_test(area["value"], area["denominator"])
    assert found.loc["05", "chi2"] == pytest.approx(direct.chi2)
    assert found.loc["05", "verdict"] == "decreasing_better"


def test_count_verdict_uses_raw_counts(demo):
    info = _info(demo, "burglary")
    yearly = trends.panel(demo, info, "year")
    found = trend_checks.trend_verdicts(yearly, info, "count", []).set_index("area_code")
    area = yearly[yearly["area_code"] == "05"].tail(5)
    assert found.loc["05", "chi2"] == pytest.approx(stats_trends.trend_test(area["value"]).chi2)


def test_verdict_runs_only_on_points_after_the_latest_break(demo):
    info = _info(demo, "burglary")
    yearly = trends.panel(demo, info, "year")
    marks = [(date(2019, 1, 1), "old"), (date(2022, 7, 1), "new rules")]
    found = trend_checks.trend_verdicts(yearly, info, "rate", marks).set_index("area_code")
    assert (found["result"] == "cannot_be_calculated").all()
    assert (found["reason"] == "fewer_than_five_points").all()
    assert found.loc["000", "first_year"] == 2023


def test_a_withheld_year_makes_the_verdict_not_computable(demo):
    info = _info(demo, "outreach_contacts")
    found = trend_checks.trend_verdicts(trends.panel(demo, info, "year"), info, "count", [])
    city = found.set_index("area_code").loc["000"]
    assert city["verdict"] == "not_computable"
    assert city["reason"] == "missing_values"


def test_percent_without_sample_size_cannot_be_tested(demo):
    info = _info(demo, "unemployment")
    found = trend_checks.trend_verdicts(trends.panel(demo, info, "year"), info, "value", [])
    assert (found["reason"] == "no_sample_size").all()
    assert (found["verdict"] == "not_computable").all()


def test_fewer_than_five_years_cannot_be_calculated(demo):
    info = _info(demo, "feel_unsafe")
    found = trend_checks.trend_verdicts(_yearly([20, 18, 16, 14], sizes=[500] * 4), info, "value", [])
    assert found["reason"].iloc[0] == "fewer_than_five_points"


def test_an_unfinished_last_year_is_left_out(demo):
    info = _info(demo, "feel_unsafe")
    panel = _yearly([20, 18, 16, 14, 12, np.nan], sizes=[500] * 6, complete=[True] * 5 + [False])
    found = trend_checks.trend_verdicts(panel, info, "value", []).iloc[0]
    assert (found["first_year"], found["last_year"]) == (2019, 2023)
    assert found["verdict"] == "decreasing_better"


def test_a_missing_year_inside_the_five_is_not_skipped(demo):
    info = _info(demo, "feel_unsafe")
    panel = _yearly([20, 18, 16, 14, 12, 10], sizes=[500] * 6).drop(index=3)
    found = trend_checks.trend_verdicts(panel, info, "value", []).iloc[0]
    assert found["reason"] == "missing_values"
    assert (found["first_year"], found["last_year"]) == (2020, 2024)


@pytest.mark.parametrize(
    ("result", "polarity", "key"),
    [
        ("increasing", "lower_is_better", "increasing_worse"),
        ("increasing", "higher_is_better", "increasing_better"),
        ("decreasing", "lower_is_better", "decreasing_better"),
        ("decreasing", "higher_is_better", "decreasing_worse"),
        ("increasing", "neutral", "increasing"),
        ("no_significant_change", "lower_is_better", "no_change"),
        ("cannot_be_calculated", "neutral", "not_computable"),
    ],
)
def test_trend_words_carry_the_polarity(result, polarity, key):
    assert trend_checks.trend_key(stats_trends.TrendResult(result), polarity) == key


# --- same month last year ---------------------------------------------------------------------------


def test_latest_month_is_compared_with_the_same_month_a_year_earlier(demo):
    info = _info(demo, "burglary")
    monthly = trends.panel(demo, info, "month")
    found = trend_checks.month_changes(monthly, info, "count")
    row = found[(found["area_code"] == "000") & (found["comparison"] == "month")].iloc[0]
    city = monthly[monthly["area_code"] == "000"].set_index("period_start")["value"]
    assert trend_checks.reference_month(monthly) == pd.Timestamp("2025-12-01")
    assert (row["earlier"], row["later"]) == (city["2024-12-01"], city["2025-12-01"])
    expected = compare.rate_ratio(city["2024-12-01"], city["2025-12-01"])
    assert row["ratio"] == pytest.approx(expected.estimate)
    assert row["verdict"] == compare.verdict(expected, "lower_is_better")


def test_rolling_twelve_months_are_compared_with_the_twelve_before(demo):
    info = _info(demo, "burglary")
    monthly = trends.panel(demo, info, "month")
    found = trend_checks.month_changes(monthly, info, "count")
    row = found[(found["area_code"] == "12") & (found["comparison"] == "rolling12")].iloc[0]
    area = monthly[monthly["area_code"] == "12"]
    by_year = area.groupby(area["period_start"].dt.year)["value"].sum()
    assert (row["earlier"], row["later"]) == (by_year[2024], by_year[2025])


def test_rate_change_uses_the_denominators_of_both_years(demo):
    info = _info(demo, "burglary")
    monthly = trends.panel(demo, info, "month")
    counts = trend_checks.month_changes(monthly, info, "count").set_index(["area_code", "comparison"])
    rated = trend_checks.month_changes(monthly, info, "rate").set_index(["area_code", "comparison"])
    area = monthly[monthly["area_code"] == "12"].set_index("period_start")
    ratio_of_dens = area.loc["2024-12-01", "denominator"] / area.loc["2025-12-01", "denominator"]
    assert rated.loc[("12", "month"), "ratio"] == pytest.approx(
        counts.loc[("12", "month"), "ratio"] * ratio_of_dens
    )


def test_a_withheld_month_makes_the_change_not_computable(demo):
    info = _info(demo, "outreach_contacts")
    found = trend_checks.month_changes(trends.panel(demo, info, "month"), info, "count")
    row = found[(found["area_code"] == "13") & (found["comparison"] == "month")].iloc[0]
    assert row["earlier_withheld"]
    assert row["verdict"] == "not_computable"


def test_a_withheld_month_inside_a_window_flags_the_window(demo):
    info = _info(demo, "outreach_contacts")
    found = trend_checks.month_changes(trends.panel(demo, info, "month"), info, "count")
    row = found[(found["area_code"] == "13") & (found["comparison"] == "rolling12")].iloc[0]
    assert row["earlier_withheld"]
    assert not row["later_withheld"]
    assert math.isnan(row["earlier"])
    assert row["verdict"] == "not_computable"


def test_month_changes_are_empty_for_values_that_do_not_add_up(demo):
    info = _info(demo, "feel_unsafe")
    assert trend_checks.month_changes(trends.panel(demo, info, "year"), info, "value").empty


def test_month_changes_are_empty_without_any_published_month(demo):
    info = _info(demo, "burglary")
    monthly = trends.panel(demo, info, "month").assign(value=np.nan)
    assert trend_checks.month_changes(monthly, info, "count").empty


def test_comparisons_of_some_areas_match_those_of_all_and_keep_the_panels_month(demo):
    info = _info(demo, "burglary")
    monthly = trends.panel(demo, info, "month")
    everyone = trend_checks.month_changes(monthly, info, "rate")
    # Area 05 alone, its data cut a year short: it is still compared at the panel's month.
    shorter = monthly[(monthly["area_code"] != "05") | (monthly["period_start"] < "2025-01-01")]
    some = trend_checks.month_changes(
        shorter, info, "rate", areas=("000", "12"), month=trend_checks.reference_month(monthly)
    )
    assert sorted(set(some["area_code"])) == ["000", "12"]
    expected = everyone[everyone["area_code"].isin(["000", "12"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(some.reset_index(drop=True), expected)


def test_verdicts_of_some_areas_match_those_of_all(demo):
    info = _info(demo, "burglary")
    yearly = trends.panel(demo, info, "year")
    everyone = trend_checks.trend_verdicts(yearly, info, "rate", [])
    some = trend_checks.trend_verdicts(yearly, info, "rate", [], areas=["05", "17"])
    expected = everyone[everyone["area_code"].isin(["05", "17"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(some, expected)
