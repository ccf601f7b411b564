"""Objective progress, trajectories, actions and partners: on the demo city and on small hand-built stores."""

import shutil
from datetime import date, datetime

import pandas as pd
import pytest

from observatory.services import strategy
from observatory.stats import rates
from observatory.store import connect

DEMO_STATUS = {
    "OB1": "on_track",
    "OB2": "achieved",
    "OB3": "moderate",
    "OB4": "deteriorating",
    "OB5": "achieved",
    "OB6": "limited",
    "OB7": "too_early",
    "OB8": "moderate",
}


@pytest.fixture(scope="module")
def demo(demo_file, tmp_path_factory):
    store = connect(shutil.copy(demo_file, tmp_path_factory.mktemp("strategy") / "demo.duckdb"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def table(demo):
    return strategy.objective_table(demo).set_index("code")


# --- a small city built by hand ------------------------------------------------------------------


def _small(tmp_path, observations, *, baseline=10.0, target=8.0, indicator="thefts", area="01", unit="count"):
    """Town 000 with districts 01 and 02, one indicator and one objective (baseline 2022, target 2026)."""
    store = connect(tmp_path / "small.duckdb")
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO areas (code, name, level) VALUES ('000', 'Town', 0), ('01', 'North', 1), "
            "('02', 'South', 1)"
        )
        cur.execute(
            "INSERT INTO indicators (code, name, theme, kind, unit, polarity, multiplier, "
            "disclosure_threshold) VALUES (?, 'Thefts', 'crime', 'result', ?, 'lower_is_better', 1000, 5)",
            [indicator, unit],
        )
        cur.execute("INSERT INTO axes (code, title) VALUES ('AX1', 'Streets')")
        cur.execute(
            "INSERT INTO objectives VALUES ('OB1', 'AX1', 'Fewer thefts', ?, ?, '2022', ?, ?, '2026', 1)",
            [indicator, area, baseline, target],
        )
        for area_code, granularity, start, value, sample, status in observations:
            cur.execute(
                "INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                [indicator, area_code, granularity, start, value, sample, status],
            )
    return store


def _months(area, year, values, *, withheld=()):
    return [
        (
            area,
            "month",
            date(year, m + 1, 1),
            None if m in withheld else v,
            None,
            "not_published" if m in withheld else "ok",
        )
        for m, v in enumerate(values)
    ]


def _row(store):
    return strategy.objective_table(store).iloc[0]


# --- the demo city -------------------------------------------------------------------------------


def test_demo_objectives_get_the_statuses_the_demo_describes(table):
    assert table["status"].to_dict() == DEMO_STATUS


def test_demo_current_values_are_2025_in_the_unit_of_the_baseline(table):
    assert set(table["current_period"]) == {"2025"}
    assert table.loc["OB1", "current_value"] == 1484
    assert table.loc["OB8", "current_value"] == pytest.approx(12.5)


def test_city_value_of_a_count_is_the_sum_of_its_districts(demo, table):
    total = demo.scalar(
        "SELECT sum(o.value) FROM observations o JOIN areas a ON a.code = o.area_code "
        "WHERE o.indicator_code = 'burglary' AND a.level = 1 AND year(o.period_start) = 2025"
    )
    assert table.loc["OB1", "current_value"] == total


def test_count_interval_is_poisson(table):
    lower, upper = rates.poisson_ci(1484.0)
    assert table.loc["OB1", "current_lower"] == pytest.approx(lower)
    assert table.loc["OB1", "current_upper"] == pytest.approx(upper)


def test_survey_interval_is_wilson(demo, table):
    n = demo.scalar(
        "SELECT sample_size FROM observations WHERE indicator_code = 'feel_unsafe' AND area_code = '000' "
        "AND year(period_start) = 2025"
    )
    lower, upper = rates.wilson_ci(12.5, n)
    assert table.loc["OB8", "current_lower"] == pytest.approx(lower)
    assert table.loc["OB8", "current_upper"] == pytest.approx(upper)
    assert table.loc["OB8", "change_test"] == strategy.TEST_PROPORTION


def test_rate_ratio_is_per_denominator_when_the_indicator_has_one(demo, table):
    dwellings = dict(
        demo.rows("SELECT year, value FROM denominators WHERE area_code = '000' AND kind = 'dwellings'")
    )
    expected = (1484 / dwellings[2025]) / (1602 / dwellings[2022])
    assert table.loc["OB1", "change_denominator"] == "dwellings"
    assert table.loc["OB1", "change_estimate"] == pytest.approx(expected)


def test_rate_ratio_of_counts_when_the_indicator_has_no_denominator(table):
    assert table.loc["OB3", "change_denominator"] == ""
    assert table.loc["OB3", "change_estimate"] == pytest.approx(722 / 585)


def test_change_within_chance_gives_too_early(table):
    assert not table.loc["OB7", "change_significant"]
    assert table.loc["OB7", "status"] == "too_early"
    assert pd.isna(table.loc["OB7", "ratio"])


def test_progress_ratio_of_a_banded_objective(table):
    assert table.loc["OB1", "ratio"] == pytest.approx(1.209, abs=0.001)
    assert table.loc["OB6", "ratio"] == pytest.approx(0.425, abs=0.001)


def test_objectives_carry_axis_indicator_and_area_names(table):
    assert table.loc["OB2", "axis_title"] == "Public space and property crime"
    assert table.loc["OB2", "indicator_name"] == "Burglary of dwellings"
    assert table.loc["OB2", "area_name"] == "Bairro da Lameira"


def test_trajectory_has_one_row_per_complete_year_with_intervals(demo):
    frame = strategy.objective_trajectory(demo, "OB1")
    assert list(frame["year"]) == list(range(2016, 2026))
    assert (frame["lower"] < frame["value"]).all() and (frame["value"] < frame["upper"]).all()
    assert frame.loc[frame["year"] == 2022, "value"].item() == 1602


def test_trajectory_keeps_withheld_years_as_not_published(demo):
    frame = strategy.objective_trajectory(demo, "OB3").set_index("year")
    assert frame.loc[[2023, 2024], "withheld"].all()
    assert frame.loc[[2023, 2024], "value"].isna().all()
    assert frame.loc[2025, "value"] == 722


def test_trajectory_of_an_unknown_objective_raises_key_error(demo):
    with pytest.raises(KeyError):
        strategy.objective_trajectory(demo, "OB99")


def test_status_summary_lists_every_status_and_counts_each_objective(demo):
    summary = strategy.status_summary(demo)
    assert list(summary["status"]) == [s.value for s in strategy.STATUS_ORDER]
    assert summary.set_index("status")["count"].to_dict() == {
        "achieved": 2,
        "on_track": 1,
        "moderate": 2,
        "limited": 1,
        "deteriorating": 1,
        "too_early": 1,
    }


def test_actions_of_an_objective_with_lead_and_partners(demo):
    actions = strategy.actions_for(demo, "OB1").set_index("code")
    assert list(actions.index) == ["AC01", "AC02"]
    assert actions.loc["AC01", "lead_name"] == "Polícia Municipal de Portelva"
    assert actions.loc["AC01", "partner_codes"] == "P01, P09, P11"
    assert actions.loc["AC02", "lead_sector"] == "private"
    assert actions.loc["AC01", "start_date"] == date(2023, 2, 1)


def test_action_without_budget_keeps_it_missing(demo):
    actions = strategy.actions_for(demo, "OB2").set_index("code")
    assert pd.isna(actions.loc["AC04", "budget"])


def test_objective_without_actions_has_an_empty_table(demo):
    assert strategy.actions_for(demo, "OB99").empty


def test_partner_view_counts_actions_led_and_joined(demo):
    view = strategy.partner_view(demo).set_index("partner_code")
    assert len(view) == 13
    assert (view.loc["P01", "actions_led"], view.loc["P01", "actions_joined"]) == (3, 5)
    assert view.loc["P01", "led_codes"] == "AC03, AC07, AC16"
    assert view.loc["P11", "actions_led"] == 0
    assert view.loc["P07", "sector"] == "private"


def test_partner_view_counts_statuses_of_every_action_taken_part_in(demo):
    view = strategy.partner_view(demo).set_index("partner_code")
    statuses = ["planned", "in_progress", "completed", "suspended"]
    assert view.loc["P03", statuses].tolist() == [0, 2, 1, 1]
    assert (view[statuses].sum(axis=1) == view["actions_led"] + view["actions_joined"]).all()


def test_partner_actions_give_each_role(demo):
    rows = strategy.partner_actions(demo)
    p12 = rows[rows["partner_code"] == "P12"]
    assert list(p12["role"]) == ["lead", "lead", "partner", "partner"]
    assert list(p12["action_code"]) == ["AC05", "AC15", "AC06", "AC07"]


def test_no_assessment_in_the_demo(demo):
    assert strategy.assessments(demo).empty


# --- edge cases on small stores ------------------------------------------------------------------


def test_met_target_is_achieved_even_when_not_beyond_chance(tmp_path):
    rows = _months("01", 2022, [1] * 10 + [0, 0]) + _months("01", 2024, [1] * 7 + [0] * 5)
    row = _row(_small(tmp_path, rows))
    assert not row["change_significant"]
    assert row["status"] == "achieved"


def test_latest_year_with_a_withheld_month_is_not_current(tmp_path):
    rows = _months("01", 2022, [5] * 12) + _months("01", 2023, [2] * 12)
    rows += _months("01", 2024, [1] * 12, withheld={3})
    row = _row(_small(tmp_path, rows, baseline=60, target=30))
    assert row["current_period"] == "2023"
    assert row["current_value"] == 24


def test_incomplete_latest_year_is_not_current(tmp_path):
    rows = _months("01", 2022, [5] * 12) + _months("01", 2023, [4] * 12) + _months("01", 2024, [1] * 6)
    row = _row(_small(tmp_path, rows, baseline=60, target=30))
    assert row["current_period"] == "2023"


def test_no_data_at_all_is_too_early_without_a_current_value(tmp_path):
    row = _row(_small(tmp_path, []))
    assert row["status"] == "too_early"
    assert row["current_period"] is None
    assert pd.isna(row["current_value"])


def test_only_the_baseline_year_is_too_early(tmp_path):
    row = _row(_small(tmp_path, _months("01", 2022, [1] * 12), baseline=12, target=6))
    assert row["current_period"] == "2022"
    assert row["status"] == "too_early"


def test_city_total_is_withheld_when_one_district_is(tmp_path):
    rows = _months("01", 2022, [5] * 12) + _months("02", 2022, [5] * 12)
    rows += _months("01", 2023, [3] * 12) + _months("02", 2023, [3] * 12, withheld={0})
    store = _small(tmp_path, rows, area="000", baseline=120, target=60)
    assert _row(store)["current_period"] == "2022"
    frame = strategy.objective_trajectory(store, "OB1").set_index("year")
    assert frame.loc[2023, "withheld"] and pd.isna(frame.loc[2023, "value"])


def test_city_total_needs_every_reporting_district(tmp_path):
    rows = _months("01", 2022, [5] * 12) + _months("02", 2022, [5] * 12) + _months("01", 2023, [3] * 12)
    row = _row(_small(tmp_path, rows, area="000", baseline=120, target=60))
    assert row["current_period"] == "2022"


def test_value_without_precision_is_not_tested_and_too_early(tmp_path):
    rows = [("01", "year", date(y, 1, 1), v, None, "ok") for y, v in ((2022, 50.0), (2024, 40.0))]
    row = _row(_small(tmp_path, rows, unit="index", baseline=50, target=30))
    assert row["change_test"] == strategy.TEST_NONE
    assert pd.isna(row["current_lower"])
    assert row["status"] == "too_early"


def test_survey_without_sample_size_is_not_tested(tmp_path):
    rows = [("01", "year", date(y, 1, 1), v, None, "ok") for y, v in ((2022, 20.0), (2024, 10.0))]
    row = _row(_small(tmp_path, rows, unit="percent", baseline=20, target=5))
    assert row["change_test"] == strategy.TEST_NONE
    assert row["status"] == "too_early"


def test_survey_with_sample_sizes_is_tested_as_a_difference(tmp_path):
    rows = [("01", "year", date(y, 1, 1), v, 1000, "ok") for y, v in ((2022, 20.0), (2024, 15.0))]
    row = _row(_small(tmp_path, rows, unit="percent", baseline=20, target=10))
    assert row["change_test"] == strategy.TEST_PROPORTION
    assert row["change_estimate"] == pytest.approx(-5.0)
    assert row["change_significant"]
    assert row["status"] in {"on_track", "moderate", "limited"}


def test_assessments_are_listed_newest_year_first(tmp_path):
    store = _small(tmp_path, [])
    with store.transaction() as cur:
        for year in (2023, 2024):
            cur.execute(
                "INSERT INTO assessments (objective_code, year, text, author, created_at) "
                "VALUES ('OB1', ?, ?, 'Ana', ?)",
                [year, f"Review {year}", datetime(year + 1, 2, 1)],
            )
    written = strategy.assessments(store, "OB1")
    assert list(written["year"]) == [2024, 2023]
    assert strategy.assessments(store, "OB2").empty
