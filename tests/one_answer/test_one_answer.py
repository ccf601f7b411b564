"""One question, one answer: the same data through every page's service and the headlines.

Questions: the city total (exact, bounded, at least), can a district be compared with the city, the change
between two periods, and the rate's label. Each is asked of the overview headline, the map, the trends
panel, the district profile, the strategy's city values and the published release.
"""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import pytest

from observatory.i18n import locale_scope
from observatory.services import (
    headlines,
    mapview,
    profile,
    profile_panel,
    publish,
    totals,
    trend_checks,
    trends,
    views,
)
from observatory.services._strategy_values import area_years
from observatory.services.mapview import MapPeriod
from observatory.store import open_snapshot
from tests.one_answer.builders import CITY, EDITOR, city

INDICATORS = (
    "code,name,theme,kind,unit,polarity,denominator,multiplier,threshold\n"
    "burglary,Burglary,property,result,count,lower_is_better,dwellings,1000,5\n"
    "homicide,Homicide,violence,result,count,lower_is_better,residents,100000,5\n"
    "budget,Prevention budget,means,activity,amount,higher_is_better,,1000,5\n"
)
DENOMINATORS = "area,year,residents,dwellings\n01,2023,5000,2000\n02,2023,3000,1500\n03,2023,2000,900\n"
COUNTS_2023 = {"01": 40, "02": 25, "03": 12}
COUNTS_2024 = {"01": 55, "02": 31}  # district 03's 2024 depends on the case
BUDGET = [("01", 100, 160), ("02", 50, 50), ("03", 10, 10)]


def _observations(third_2024: str) -> str:
    rows = ["indicator,area,period,value,status"]
    rows += [f"burglary,{a},2023,{v}," for a, v in COUNTS_2023.items()]
    rows += [f"burglary,{a},2024,{v}," for a, v in COUNTS_2024.items()]
    rows += [f"homicide,{a},{y},{v}," for a, v in (("01", 3), ("02", 1), ("03", 0)) for y in (2023, 2024)]
    if third_2024:
        rows.append(third_2024)
    rows += [
        f"budget,{a},{y},{v}," for a, *values in BUDGET for y, v in zip((2023, 2024), values, strict=True)
    ]
    return "\n".join(rows) + "\n"


CASES = {
    "exact": "burglary,03,2024,9,",
    "bounded": "burglary,03,2024,,ndiff",
    "at_least": "",
}


@pytest.fixture(params=list(CASES))
def case(request, tmp_path):
    store = city(
        tmp_path / "c.duckdb",
        districts=3,
        indicators=INDICATORS,
        observations=_observations(CASES[request.param]),
        denominators=DENOMINATORS,
    )
    yield request.param, store
    store.close()


def _expected(name: str) -> tuple[float, float, str]:
    known = sum(COUNTS_2024.values())
    return {
        "exact": (known + 9, known + 9, "sum"),
        "bounded": (known, known + 4, "bounded"),
        "at_least": (known, math.inf, "at_least"),
    }[name]


def test_the_city_total_is_one_answer_on_every_page(case, tmp_path):
    name, store = case
    low, high, basis = _expected(name)
    info = views.indicator(store, "burglary")
    dwellings = 2000 + 1500 + 900

    head = headlines.city_headline(store, "burglary")
    if basis == "at_least":
        # The overview answers with the latest year whose total is known: 2023, complete.
        assert (head.window.label, head.value, str(head.basis)) == ("2023", sum(COUNTS_2023.values()), "sum")
    else:
        assert head.window.label == "2024"
        assert (head.lower_bound, head.upper_bound, str(head.basis)) == (low, high, basis)

    table = mapview.district_table(store, info, MapPeriod.parse("2024"))
    assert table["reference_basis"].iloc[0] == basis
    assert table["reference_low"].iloc[0] * dwellings / 1000 == pytest.approx(low)
    assert table["reference_high"].iloc[0] * dwellings / 1000 == pytest.approx(high)

    series = totals.city_rows(store, info, "year").set_index("period_start").loc[pd.Timestamp("2024-01-01")]
    assert (series["bound_lower"], series["bound_upper"], series["basis"]) == (low, high, basis)

    panel = trends.panel(store, info, "year")
    row = panel[(panel["area_code"] == CITY) & (panel["period_start"] == pd.Timestamp("2024-01-01"))].iloc[0]
    assert (row["bound_lower"], row["bound_upper"], row["basis"]) == (low, high, basis)

    yearly = profile_panel.panel(store, info, CITY)
    mine = yearly[yearly["is_city"] & (yearly["year"] == 2024)].iloc[0]
    assert mine["shown_low"] * dwellings / 1000 == pytest.approx(low)
    assert (mine["shown_high"] * dwellings / 1000 == pytest.approx(high)) or math.isinf(high)

    strategy_years = area_years(store, info, CITY, 0).set_index("year")
    exact = basis == "sum"
    if basis == "at_least":
        assert 2024 not in strategy_years.index  # not a complete year for an objective
    else:
        assert (
            (strategy_years.loc[2024, "value"] == low)
            if exact
            else math.isnan(strategy_years.loc[2024, "value"])
        )

    # The release publishes the city's total only when it is one number.
    snapshot = tmp_path / "public.duckdb"
    publish.publish(store, actor=EDITOR, snapshot_path=snapshot, now=datetime(2026, 1, 1))
    released = open_snapshot(snapshot)
    try:
        value = released.scalar(
            "SELECT value FROM observations WHERE indicator_code = 'burglary' AND area_code = ? "
            "AND period_start = DATE '2024-01-01'",
            [CITY],
        )
        public = headlines.city_headline(released, "burglary")
    finally:
        released.close()
    assert (value == low) if exact else value is None
    if exact:
        assert public.value == low


def test_compare_with_the_city_is_one_answer(case):
    _, store = case
    budget = views.indicator(store, "budget")
    assert not budget.comparable_with_city
    table = mapview.district_table(store, budget, MapPeriod.parse("2024"))
    assert (table["benchmark"] == "not_compared").all()
    data = profile_panel.load(store)
    rows = profile.profile_table(data, "01", 2024).set_index("code")
    assert not rows.loc["budget", "comparable"]
    # A count with a denominator: the map's and the profile's verdict for each district agree.
    burglary = views.indicator(store, "burglary")
    on_map = mapview.district_table(store, burglary, MapPeriod.parse("2024")).set_index("code")["benchmark"]
    for district in ("01", "02"):
        in_profile = (
            profile.profile_table(data, district, 2024).set_index("code").loc["burglary", "benchmark"]
        )
        assert in_profile == on_map[district]


def test_an_amount_is_never_called_a_change_beyond_chance(case):
    _, store = case
    info = views.indicator(store, "budget")
    data = profile_panel.load(store)
    row = profile.profile_table(data, "01", 2024).set_index("code").loc["budget"]
    assert row["verdict"] == "not_tested"
    assert row["change"] == 60  # the plain difference, 100 → 160
    head = headlines.city_headline(store, "budget")
    assert head.verdict in ("not_tested", "not_computable")
    assert not head.change.significant
    assert trend_checks.month_changes(trends.panel(store, info, "year"), info, "count").empty


@pytest.mark.parametrize("locale", ["en", "pt", "fr"])
def test_the_rate_label_is_one_answer(case, locale):
    from observatory.present import headline_text
    from observatory.ui import components, methodology
    from observatory.ui import profile as profile_ui

    _, store = case
    info = views.indicator(store, "homicide")
    with locale_scope(locale):
        label = components.measure_label(info, "rate")
        per = {"en": "100,000", "pt": "100\u00a0000", "fr": "100\u202f000"}[locale]
        assert per in label
        row = pd.Series({"denominator_kind": "residents", "multiplier": 100000.0, "unit": "count"})
        assert label in methodology.denominator_text(row)
        assert profile_ui._y_title(row) == label
        head = headlines.city_headline(store, "homicide")
        assert per in headline_text.rate_text(head)
