"""The methodology catalogue: indicator table plus what is stored, and the figures the method texts quote."""

import shutil

import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import catalogue, imports
from observatory.store import connect

EDITOR = Actor("rita", Role.EDITOR)


@pytest.fixture(scope="module")
def demo(demo_file):
    opened = connect(demo_file)
    yield catalogue.indicator_catalogue(opened)
    opened.close()


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def _import(store, kind, data: bytes) -> None:
    report = imports.import_table(store, kind, data, "file.csv", actor=EDITOR)
    assert report.to_dict()["status"] != "rejected", report.to_dict()


def _row(frame, code):
    return frame[frame["code"] == code].iloc[0]


def test_every_indicator_is_listed_once_with_the_documented_columns(demo):
    assert list(demo.columns) == list(catalogue.COLUMNS)
    assert len(demo) == 16
    assert demo["code"].is_unique


def test_monthly_counts_show_month_and_their_years(demo):
    burglary = _row(demo, "burglary")
    assert burglary["granularities"] == "month"
    assert burglary["years"] == "2016–2025"
    assert (burglary["first_year"], burglary["last_year"]) == (2016, 2025)
    assert burglary["districts"] == 20
    assert not burglary["city"]


def test_burglary_is_per_dwellings_with_the_years_of_its_denominator(demo):
    burglary = _row(demo, "burglary")
    assert burglary["denominator_kind"] == "dwellings"
    assert burglary["multiplier"] == 1000
    assert burglary["denominator_years"] == "2016–2025"


def test_percentages_have_no_denominator(demo):
    survey = _row(demo, "feel_unsafe")
    assert survey["denominator_kind"] == ""
    assert survey["denominator_years"] == ""
    assert survey["granularities"] == "year"
    assert survey["city"]


def test_city_only_indicator_has_no_districts(demo):
    help_centre = _row(demo, "help_centre_contacts")
    assert help_centre["districts"] == 0
    assert help_centre["city"]


def test_withheld_rows_are_counted(demo):
    assert _row(demo, "outreach_contacts")["withheld"] == 5
    assert _row(demo, "burglary")["withheld"] == 0


def test_own_disclosure_threshold_is_kept(demo):
    assert _row(demo, "domestic_violence")["disclosure_threshold"] == 10


def test_rows_come_in_kind_theme_code_order(demo):
    keys = list(zip(demo["kind"], demo["theme"], demo["code"], strict=True))
    assert keys == sorted(keys)


def test_indicator_without_observations_has_empty_coverage(store):
    _import(
        store,
        ImportKind.INDICATORS,
        b"code,name,theme,kind,unit,polarity\nfraud,Fraud,property crime,result,count,lower_is_better\n",
    )
    fraud = _row(catalogue.indicator_catalogue(store), "fraud")
    assert fraud["granularities"] == ""
    assert fraud["years"] == ""
    assert pd.isna(fraud["first_year"])


def test_a_gap_in_the_years_is_shown_as_two_runs(store):
    _import(store, ImportKind.OBSERVATIONS, b"indicator,area,period,value\nburglary,01,2030-01,4\n")
    burglary = _row(catalogue.indicator_catalogue(store), "burglary")
    assert burglary["years"] == "2016–2025, 2030"


def test_quarterly_and_yearly_rows_list_both_granularities_finest_first(store):
    _import(
        store,
        ImportKind.OBSERVATIONS,
        b"indicator,area,period,value\nrobbery,01,2026-Q1,7\nrobbery,01,2027,20\n",
    )
    robbery = _row(catalogue.indicator_catalogue(store), "robbery")
    assert robbery["granularities"] == "month, quarter, year"


def test_series_breaks_are_listed_with_their_notes(store):
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO series_breaks VALUES ('violence', DATE '2025-07-01', 'new definition'), "
            "('violence', DATE '2020-01-01', NULL)"
        )
    violence = _row(catalogue.indicator_catalogue(store), "violence")
    assert violence["series_breaks"] == "2020-01-01; 2025-07-01 (new definition)"
    assert _row(catalogue.indicator_catalogue(store), "robbery")["series_breaks"] == ""


def test_year_ranges_joins_consecutive_years():
    assert catalogue.year_ranges([2018, 2016, 2017, 2020, 2022, 2023]) == "2016–2018, 2020, 2022–2023"


def test_year_ranges_of_nothing_is_empty():
    assert catalogue.year_ranges([]) == ""


def test_year_ranges_of_one_year_is_that_year():
    assert catalogue.year_ranges({2024}) == "2024"


def test_method_figures_quote_the_byar_check():
    figures = catalogue.method_figures()
    assert figures.byar_from == 10
    assert figures.check_count == 65
    assert figures.check_lower == pytest.approx(50.163, abs=1e-3)
    assert figures.check_upper == pytest.approx(82.849, abs=1e-3)


def test_method_figures_quote_the_wilson_check():
    figures = catalogue.method_figures()
    assert (figures.wilson_lower, figures.wilson_upper) == pytest.approx((5.52, 17.44), abs=0.01)


def test_method_figures_quote_the_thresholds_of_the_statistics_code():
    figures = catalogue.method_figures()
    assert figures.trend_points == 5
    assert figures.trend_chi2 == 9.5495
    assert (figures.on_track_from, figures.moderate_from) == (0.95, 0.6)
    assert figures.default_threshold == 5
