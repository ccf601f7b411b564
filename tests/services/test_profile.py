"""District profile use cases, against the demo city and small hand-built panels."""

import math

import numpy as np
import pandas as pd
import pytest

from observatory.domain import Indicator, NotFound
from observatory.services import profile, profile_crime, profile_panel, views
from observatory.stats import compare, rates
from observatory.store import connect


@pytest.fixture(scope="module")
def data(demo_file):
    store = connect(demo_file)
    loaded = profile.load(store)
    store.close()
    return loaded


@pytest.fixture(scope="module")
def conceicao(data):
    return profile.district_profile(data, "05", 2025)


def _row(view, code):
    return view.table[view.table["code"] == code].iloc[0]


def _info(**changes):
    base = {
        "code": "x",
        "name": "X",
        "theme": "property crime",
        "kind": "result",
        "unit": "count",
        "polarity": "lower_is_better",
        "denominator_kind": "residents",
        "multiplier": 1000.0,
        "disclosure_threshold": 5,
        "description": "",
        "source": "",
    }
    return Indicator(**{**base, **changes})


# --- loading, districts, years ------------------------------------------------------------------------


def test_city_only_indicators_are_left_out_of_a_district_profile(data):
    codes = {info.code for info in data.indicators}
    assert "help_centre_contacts" not in codes
    assert "safe_house_nights" not in codes
    assert len(codes) == 14


def test_districts_are_the_twenty_in_code_order(data):
    frame = profile.districts(data)
    assert frame["code"].tolist() == [f"{i:02d}" for i in range(1, 21)]


def test_default_year_is_the_latest_complete_year(data):
    options, default = profile.years(data)
    assert options[0] == 2025
    assert options == sorted(options, reverse=True)
    assert default == 2025


def test_unknown_district_raises_not_found(data):
    with pytest.raises(NotFound):
        profile.district_profile(data, "99", 2025)


# --- the table ----------------------------------------------------------------------------------------


def test_counts_are_compared_as_rates_of_their_own_denominator(conceicao):
    burglary = _row(conceicao, "burglary")
    assert burglary["denominator_kind"] == "dwellings"
    assert burglary["shown"] == pytest.approx(burglary["value"] / burglary["denominator"] * 1000)
    assert burglary["value"] == 26
    assert burglary["denominator"] == 9232


def test_city_rate_of_a_count_is_the_sum_of_the_districts(data, conceicao):
    panel = data.panels["burglary"]
    districts = panel[~panel["is_city"] & (panel["year"] == 2025)]
    expected = districts["value"].sum() / districts["denominator"].sum() * 1000
    assert _row(conceicao, "burglary")["city"] == pytest.approx(expected)


def test_range_across_districts_holds_the_district(conceicao):
    for _, row in conceicao.table[conceicao.table["comparable"]].iterrows():
        assert row["district_min"] <= row["shown"] <= row["district_max"]


def test_survey_share_has_a_wilson_interval(conceicao):
    row = _row(conceicao, "feel_unsafe")
    lower, upper = rates.wilson_ci(row["value"], row["sample_size"])
    assert (row["lower"], row["upper"]) == pytest.approx((lower, upper))


def test_benchmark_turns_by_polarity(conceicao):
    # Burglary in Conceição is far below the city and lower is better.
    assert _row(conceicao, "burglary")["benchmark"] == "better"


def test_share_without_sample_size_is_not_benchmarked(conceicao):
    assert _row(conceicao, "unemployment")["benchmark"] == "not_compared"


def test_count_without_denominator_is_not_compared_with_the_city(conceicao):
    row = _row(conceicao, "outreach_contacts")
    assert not row["comparable"]
    assert math.isnan(row["city"])
    assert row["benchmark"] == "not_compared"


def test_change_of_a_count_is_the_rate_ratio_of_the_rates(data, conceicao):
    panel = data.panels["burglary"].set_index(["area_code", "year"])
    before, now = panel.loc[("05", 2024)], panel.loc[("05", 2025)]
    expected = compare.rate_ratio(
        before["value"], now["value"], n1=before["denominator"], n2=now["denominator"]
    )
    row = _row(conceicao, "burglary")
    assert row["change_measure"] == "rate_ratio"
    assert row["change"] == pytest.approx(expected.estimate)
    assert row["verdict"] == "down_significant_better"


def test_change_of_a_survey_share_is_a_difference_in_points(conceicao):
    row = _row(conceicao, "feel_unsafe")
    assert row["change_measure"] == "difference"
    assert row["change"] == pytest.approx(0.4)
    assert row["verdict"] == "no_significant_change"


def test_share_without_sample_size_shows_the_difference_without_a_verdict(conceicao):
    row = _row(conceicao, "unemployment")
    assert not math.isnan(row["change"])
    assert row["verdict"] == "not_computable"


def test_withheld_year_stays_missing_and_flagged(data):
    # Outreach contacts of São Bento (03) in 2019 include a withheld month.
    view = profile.district_profile(data, "03", 2019)
    row = _row(view, "outreach_contacts")
    assert row["withheld"]
    assert math.isnan(row["value"])
    assert row["verdict"] == "not_computable"


def test_table_runs_context_then_activity_then_result(conceicao):
    kinds = conceicao.table["kind"].tolist()
    assert kinds == sorted(kinds, key=profile.KIND_ORDER.index)


def test_year_change_without_an_earlier_year_is_not_computable():
    change = profile.year_change(_info(), None, {"value": 3.0, "denominator": 100.0})
    assert change.direction is compare.Direction.NOT_COMPUTABLE


# --- context and trends -------------------------------------------------------------------------------


def test_context_gives_residents_dwellings_area_and_density(conceicao):
    ctx = conceicao.context
    assert (ctx.residents, ctx.dwellings) == (18635, 9232)
    assert ctx.residents_year == 2025
    assert ctx.area_km2 == pytest.approx(3.13, abs=0.01)
    assert ctx.density == pytest.approx(ctx.residents / ctx.area_km2)


def test_trends_cover_ten_years_of_every_result_indicator(conceicao):
    trends = conceicao.trends
    assert sorted(trends["year"].unique()) == list(range(2016, 2026))
    assert set(trends["code"]) == set(conceicao.table.loc[conceicao.table["kind"] == "result", "code"])
    assert set(trends["area"]) == {"district", "city"}


# --- recorded crime and felt insecurity ---------------------------------------------------------------


def test_offences_total_is_the_sum_of_the_offence_counts(data, conceicao):
    offences = conceicao.crime.series
    row = offences[
        (offences["measure"] == "offences") & (offences["area"] == "district") & (offences["year"] == 2025)
    ]
    expected = sum(
        data.panels[c].set_index(["area_code", "year"]).loc[("05", 2025), "value"] for c in data.offence_codes
    )
    assert row["count"].iloc[0] == expected == 346
    assert len(data.offence_codes) == 8


def test_conceicao_diverges(conceicao):
    crime = conceicao.crime
    assert (crime.first_year, crime.last_year) == (2022, 2025)
    assert crime.offences_change.direction is compare.Direction.DOWN
    assert crime.feeling_change.direction is compare.Direction.UP
    assert crime.diverges


def test_a_district_with_no_significant_changes_does_not_diverge(data):
    assert not profile.district_profile(data, "03", 2025).crime.diverges


def test_no_divergence_when_only_one_change_is_beyond_chance():
    down = compare.Change(0.8, 0.7, 0.9, True, compare.Direction.DOWN)
    up_by_chance = compare.Change(3.0, -1.0, 7.0, False, compare.Direction.UP)
    assert not profile_crime.diverge(down, up_by_chance)


def test_no_divergence_when_both_move_the_same_way():
    down = compare.Change(0.8, 0.7, 0.9, True, compare.Direction.DOWN)
    also_down = compare.Change(-5.0, -8.0, -2.0, True, compare.Direction.DOWN)
    assert not profile_crime.diverge(down, also_down)


@pytest.mark.parametrize(
    ("code", "theme", "name"),
    [
        ("asb", "public space", "Reports"),
        ("nuisance", "anti-social behaviour", "Nuisance"),
        ("x", "public order", "Anti social behaviour incidents"),
        ("antisocial_behaviour", "public order", "Nuisance"),
    ],
)
def test_anti_social_behaviour_is_never_an_offence(code, theme, name):
    assert not profile_panel.is_offence(_info(code=code, theme=theme, name=name))


def test_a_result_count_is_an_offence():
    assert profile_panel.is_offence(_info(code="burglary", theme="property crime", name="Burglary"))


def test_a_survey_share_is_not_an_offence():
    assert not profile_panel.is_offence(_info(unit="percent", denominator_kind=None))


def _offence_panels(city_b: float) -> dict[str, pd.DataFrame]:
    """Two offence indicators' panels as panel() makes them: two districts and the city's figure."""
    return {
        code: pd.DataFrame(
            {
                "area_code": ["01", "02", "000"],
                "is_city": [False, False, True],
                "year": [2024, 2024, 2024],
                "value": [5.0, value, city],
            }
        )
        for code, value, city in (("a", 3.0, 8.0), ("b", np.nan, city_b))
    }


RESIDENTS = pd.DataFrame({"area_code": ["01", "02"], "year": [2024, 2024], "value": [1000.0, 2000.0]})


def test_offences_total_is_missing_when_one_part_is_missing():
    # The city's figure of b is the sum of its districts, missing with district 02's.
    totals = profile_panel.offence_totals(_offence_panels(np.nan), ("a", "b"), RESIDENTS, "000")
    totals = totals.set_index("area_code")
    assert totals.loc["01", "count"] == 10
    assert math.isnan(totals.loc["02", "count"])
    assert math.isnan(totals.loc["000", "count"])


def test_offences_total_of_the_city_uses_its_own_figures_when_a_district_is_withheld():
    # A published release: district 02's b is withheld, the city's own b total is known.
    totals = profile_panel.offence_totals(_offence_panels(7.0), ("a", "b"), RESIDENTS, "000")
    city = totals.set_index("area_code").loc["000"]
    assert city["count"] == 15
    assert city["denominator"] == 3000  # no city residents given: the sum of its districts'


def test_denominator_falls_back_to_the_latest_earlier_year():
    frame = pd.DataFrame({"area_code": ["01", "01"], "year": [2023, 2025]})
    denominators = pd.DataFrame({"area_code": ["01", "01"], "year": [2022, 2024], "value": [100.0, 120.0]})
    merged = views.as_of(frame, denominators).set_index("year")
    assert merged.loc[2023, "denominator"] == 100
    assert merged.loc[2025, "denominator_year"] == 2024


def test_no_denominator_before_the_first_year_is_missing_not_zero():
    frame = pd.DataFrame({"area_code": ["01"], "year": [2020]})
    denominators = pd.DataFrame({"area_code": ["01"], "year": [2022], "value": [100.0]})
    assert math.isnan(views.as_of(frame, denominators)["denominator"].iloc[0])


# --- only what is shown is computed -------------------------------------------------------------------


@pytest.fixture(scope="module")
def eager(demo_file):
    """Every indicator's panel computed in full, as the profile computed them before it was lazy."""
    store = connect(demo_file)
    city = profile_panel.load(store).city_code
    panels = {info.code: profile_panel.panel(store, info, city) for info in views.indicators(store)}
    store.close()
    return {code: frame for code, frame in panels.items() if not frame.empty}


def test_an_area_gets_the_intervals_its_full_panels_give(data, eager):
    for area in ("05", "17", data.city_code):
        rows = data.by_area.area(area)
        assert set(rows["code"]) == set(eager)
        for code, part in rows.groupby("code"):
            full = eager[code]
            expected = full[full["area_code"] == area].reset_index(drop=True)
            got = part.drop(columns="code").reset_index(drop=True)
            pd.testing.assert_frame_equal(got, expected[profile_panel.PANEL_COLUMNS], check_dtype=False)


def test_panels_read_later_equal_the_full_panels(data, eager):
    assert set(data.panels) == set(eager)
    for code, full in eager.items():
        pd.testing.assert_frame_equal(data.panels[code], full)


def test_no_interval_is_computed_for_districts_not_asked_for(demo_file):
    store = connect(demo_file)
    fresh = profile.load(store)
    store.close()
    profile.district_profile(fresh, "05", 2025)
    assert set(fresh.by_area._areas) == {"05", fresh.city_code}
    assert "lower" not in fresh.by_area.rows.columns


def test_indicators_are_read_as_one_by_one(demo_file):
    store = connect(demo_file)
    try:
        every = views.indicators(store)
        assert every == [views.indicator(store, info.code) for info in every]
        assert len(every) == len(views.catalogue(store))
    finally:
        store.close()
