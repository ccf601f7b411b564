"""A download holds the figures the page shows: rounded as the table beside it writes them.

The map's district table and its CSV: every shown figure is the CSV's number written with the page's
decimals, and the CSV's number is already rounded to them (present.rounding decides both). The trends
page's series download is rounded the same way.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from observatory.i18n import format_number, format_percent, locale_scope, round_shown
from observatory.i18n import t as tr
from observatory.present import rounding
from observatory.present.downloads import header
from observatory.services import mapview, views
from observatory.store import connect
from tests.app.helpers import official


def _info(demo_app, code: str):
    store = connect(demo_app, read_only=True)
    try:
        return views.indicator(store, code)
    finally:
        store.close()


def _csv(downloads: dict, prefix: str) -> pd.DataFrame:
    name = next(n for n in downloads if n.startswith(prefix) and n.endswith(".csv"))
    return pd.read_csv(io.BytesIO(downloads[name]), sep=";", decimal=",", encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("code", "measure"), [("burglary", "rate"), ("burglary", "count"), ("violence", "benchmark")]
)
def test_the_map_download_holds_the_figures_its_table_shows(demo_app, downloads, code, measure):
    info = _info(demo_app, code)
    at = official("pages/map.py", query={"indicator": code, "measure": measure, "lang": "fr"})
    assert not at.exception
    table = at.dataframe[0].value
    places = rounding.measure_decimals(info, measure)
    with locale_scope("fr"):
        frame = _csv(downloads, f"{code}-")
        column = header(mapview.shown_columns(info, measure)[0])
        by_name = dict(zip(frame[header("name")], frame[column], strict=True))
        compared = 0
        for name, shown in zip(table.iloc[:, 0], table.iloc[:, 1], strict=True):
            number = float(by_name[name])
            if pd.isna(number):
                continue
            assert round_shown(number, places) == number, (name, number)
            assert format_number(number, decimals=places) == shown, (name, number, shown)
            compared += 1
    assert compared >= 10


def test_the_trends_download_is_rounded_as_the_page_writes_it(demo_app, downloads):
    info = _info(demo_app, "burglary")
    official(
        "pages/trends.py", query={"indicator": "burglary", "measure": "rate", "view": "year", "lang": "pt"}
    )
    with locale_scope("pt"):
        frame = _csv(downloads, "burglary-year-rate")
        places = rounding.measure_decimals(info, "rate")
        for column in ("rate", "lower", "upper"):
            values = frame[header(column)].dropna().astype(float)
            assert len(values)
            assert (values.map(lambda x: round_shown(x, places)) == values).all(), column
        assert (frame[header("count_or_value")].dropna() % 1 == 0).all()


@pytest.mark.parametrize("x", [2.675, 0.125, 1.005, 12.345, 16.065, 8.155, -3.14159, 1e6 + 0.5, 0.0])
@pytest.mark.parametrize("places", [0, 1, 2])
def test_a_rounded_number_is_written_as_the_unrounded_one(x, places):
    for lang in ("en", "pt", "fr"):
        with locale_scope(lang):
            assert format_number(round_shown(x, places), decimals=places) == format_number(x, decimals=places)


def test_the_grid_download_holds_the_figures_the_grid_writes():
    from observatory.present import where_view

    cells = pd.DataFrame(
        {
            "measure": ["rate", "rate", "value", "value", "count", "value"],
            "unit": ["count", "count", "percent", "index", "count", "amount"],
            "value": [2.675, 12.3449, 41.25, 7.0, 13.0, float("nan")],
            "lower": [1.005, 10.0, 40.05, 6.95, 9.0, float("nan")],
            "upper": [4.1251, 15.5, 42.45, 7.04, 18.0, float("nan")],
        }
    )
    rounded = where_view.rounded(cells)
    for lang in ("en", "fr"):
        with locale_scope(lang):
            for column in ("value", "lower", "upper"):
                for (_, before), after in zip(cells.iterrows(), rounded[column], strict=True):
                    shown = where_view._number(before, before[column])
                    if pd.isna(after):
                        assert shown == format_number(None)
                        continue
                    # The file's number, written with the grid's decimals, is what the grid shows.
                    places = where_view.decimals(before["measure"], before["unit"])
                    assert after == round_shown(before[column], places)
                    assert format_number(after, decimals=places) == shown


def test_the_profile_download_holds_the_figures_the_profile_table_shows(demo_file):
    from observatory.present import profile_table
    from observatory.services import profile, profile_panel

    store = connect(demo_file, read_only=True)
    try:
        data = profile_panel.load(store)
        _, year = profile.years(data)
        table = profile.district_profile(data, "05", int(year)).table
    finally:
        store.close()
    rounded = profile_table.rounded(table)
    assert not rounded["value"].equals(table["value"]) or not rounded["shown"].equals(table["shown"])
    for lang in ("en", "pt"):
        with locale_scope(lang):
            for (_, before), (_, after) in zip(table.iterrows(), rounded.iterrows(), strict=True):
                assert profile_table.value_text(after) == profile_table.value_text(before)
                assert profile_table.interval_text(after) == profile_table.interval_text(before)
                assert profile_table.city_text(after) == profile_table.city_text(before)
                if profile_table.has_denominator(before):
                    assert profile_table.rate_text(after) == profile_table.rate_text(before)
                # Rounding again changes nothing: the file holds numbers already as shown.
                assert profile_table.rounded(rounded).equals(rounded)


def _metric_texts(at) -> list[str]:
    return [str(m.value) for m in at.metric]


def _objective_texts(row: pd.Series, unit: str) -> list[str]:
    """The figures an objective's block writes, from the download's numbers (the page's own writer)."""
    from observatory.present.strategy_text import value_text

    texts = [value_text(unit, float(row["baseline_value"])), value_text(unit, float(row["target_value"]))]
    if pd.isna(row["current_value"]):
        return [*texts, "–"]
    return [
        *texts,
        value_text(unit, float(row["current_value"])),
        value_text(unit, float(row["expected_now"])),
    ]


@pytest.mark.parametrize("role", ["viewer", None])
@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_the_strategy_downloads_hold_the_figures_its_blocks_show(demo_app, downloads, role, lang):
    from observatory.present import strategy_text
    from tests.app.helpers import start

    at = start("pages/strategy.py", query={"lang": lang}, role=role)
    assert not at.exception
    with locale_scope(lang):
        frame = _csv(downloads, "objectives")
        # Read back under the stored names; codes arrive in words, never as keys.
        names = {header(c): c for c in ("code", "unit", "status", "polarity", "change_test")}
        names |= {header(c): c for c in ("baseline_value", "target_value", "current_value", "expected_now")}
        names |= {header(c): c for c in ("current_lower", "current_upper", "change_estimate", "ratio")}
        frame = frame.rename(columns=names)
        units = {t_: u for u in ("count", "percent", "index", "amount", "rate") if (t_ := tr(f"unit.{u}"))}
        expected: list[str] = []
        for _, row in frame.iterrows():
            unit = units[row["unit"]]
            for column in ("baseline_value", "target_value", "current_value", "expected_now"):
                if pd.notna(row[column]):
                    places = strategy_text.decimals(unit)
                    assert round_shown(float(row[column]), places) == float(row[column]), (column, row)
            for column in ("current_lower", "current_upper"):
                if pd.notna(row[column]):
                    places = strategy_text.decimals(unit, float(row[column]), interval=True)
                    assert round_shown(float(row[column]), places) == float(row[column]), (column, row)
            assert row["status"] in {tr(f"progress.{s}") for s in strategy_text.STATUS_SYMBOLS}
            assert row["change_test"] in {
                tr(f"change_test.{s}") for s in ("rate_ratio", "proportion_change", "none")
            }
            expected += _objective_texts(row, unit)
            trajectory = _csv(downloads, f"{row['code']}-trajectory")
            values = trajectory[header("value")].dropna().astype(float)
            assert (values.map(lambda x, u=unit: round_shown(x, strategy_text.decimals(u))) == values).all()
        # Cell by cell: every figure the blocks show is the file's number written as the page writes it.
        assert sorted(_metric_texts(at)) == sorted(expected)
        assert len(frame) >= 3
        for name in ("partners", "partner-actions"):
            table = _csv(downloads, name)
            text = " ".join(map(str, table.to_numpy().ravel()))
            assert not re.search(r"\b(in_progress|planned|completed|suspended)\b", text)


@pytest.mark.parametrize(("role", "lang"), [("viewer", "fr"), (None, "pt")])
def test_the_movers_download_holds_the_figures_the_overview_table_shows(demo_app, downloads, role, lang):
    from tests.app.helpers import start

    at = start("pages/overview.py", query={"indicator": "burglary", "lang": lang}, role=role)
    assert not at.exception
    with locale_scope(lang):
        table = at.dataframe[0].value
        frame = _csv(downloads, "movers-burglary")
        assert len(frame) == len(table) >= 1
        places = 0
        for (_, shown), (_, row) in zip(table.iterrows(), frame.iterrows(), strict=True):
            assert shown.iloc[0] == row[header("name")]
            assert format_number(row[header("previous")]) == shown.iloc[1]
            assert format_number(row[header("latest")]) == shown.iloc[2]
            change = float(row[header("change_percent")])
            assert round_shown(change, places) == change
            assert format_percent(change, decimals=places) == shown.iloc[3]
            low, high = row[header("change_percent_lower")], row[header("change_percent_upper")]
            assert f"{format_percent(low, decimals=0)} – {format_percent(high, decimals=0)}" == shown.iloc[4]
            # The verdict in the reader's words, as the table writes it; never its key.
            assert row[header("verdict")] == shown.iloc[5]
            assert "_" not in row[header("verdict")]


@pytest.mark.parametrize(("role", "lang"), [("viewer", "fr"), (None, "pt")])
def test_the_grouping_download_holds_the_figures_its_profile_shows(grouped_app, downloads, role, lang):
    from observatory.domain import TotalBasis
    from observatory.i18n import format_total
    from tests.app.helpers import start

    at = start("pages/profile.py", query={"group": "centre", "year": "2025", "lang": lang}, role=role)
    assert not at.exception
    with locale_scope(lang):
        table = at.dataframe[0].value
        frame = _csv(downloads, "group-centre-2025")
        assert len(frame) == len(table) >= 3
        bases = {tr(f"total.basis.{b.value}"): b.value for b in TotalBasis}
        kinds = {tr(f"kind.{k}") for k in ("result", "activity", "context")}
        compared = 0
        for (_, shown), (_, row) in zip(table.iterrows(), frame.iterrows(), strict=True):
            assert shown.iloc[0] == row[header("name")]
            assert row[header("kind")] in kinds
            basis = bases[row[header("basis")]]  # in words, never the key
            value, low, high = (row[header(c)] for c in ("value", "low", "high"))
            for x in (value, low, high):
                assert pd.isna(x) or round_shown(float(x), 0) == float(x)
            assert format_total(value, low, high, basis, decimals=0) == shown.iloc[1]
            if pd.notna(row[header("city_rate")]):
                city = bases[row[header("city_basis")]]
                cells = (row[header(c)] for c in ("city_rate", "city_low", "city_high"))
                assert format_total(*cells, city, decimals=2) == shown.iloc[4]
                rate = float(row[header("rate")]) if pd.notna(row[header("rate")]) else None
                assert rate is None or round_shown(rate, 2) == rate
                compared += 1
            assert row[header("benchmark")] == shown.iloc[5]
        assert compared >= 1


@pytest.mark.parametrize(("role", "lang"), [("viewer", "fr"), (None, "pt")])
def test_the_profile_crime_and_trends_downloads_are_rounded_as_the_profile_writes(
    demo_app, downloads, role, lang
):
    from observatory.present import profile_table
    from tests.app.helpers import start

    at = start("pages/profile.py", query={"district": "05", "lang": lang}, role=role)
    assert not at.exception
    year = at.selectbox(key="year").value
    with locale_scope(lang):
        areas = {tr("common.city"), tr("common.district")}
        crime = _csv(downloads, f"crime-feeling-05-{year}")
        assert set(crime[header("area")]) <= areas  # in words, never "city" / "district"
        offences = crime[header("measure")] == tr("profile.offences_rate")
        assert offences.any()
        for rows, places in ((crime[offences], 2), (crime[~offences], 1)):
            for column in ("value", "lower", "upper"):
                values = rows[header(column)].dropna().astype(float)
                assert (values.map(lambda x, d=places: round_shown(x, d)) == values).all(), column
        assert not (~offences).any() or set(crime.loc[~offences, header("measure")]) != {"feeling"}
        trends = _csv(downloads, f"trends-05-{year}")
        assert set(trends[header("area")]) <= areas
        rated = trends[header("code")].isin(["burglary", "violence", "drug_offences"])
        assert rated.any()
        values = trends.loc[rated, header("shown")].dropna().astype(float)
        assert len(values) and (values.map(lambda x: round_shown(x, 2)) == values).all()
        assert (values.map(lambda x: round_shown(x, 1)) != values).any()
        # The chart's own table holds the file's figures.
        at.toggle(key="profile-crime-table").set_value(True).run()
        drawn = next(d.value for d in at.dataframe if "sample_size" in d.value.columns)
        assert len(drawn) == len(crime)
        assert list(drawn["measure"]) == list(crime[header("measure")])
        for column in ("value", "lower", "upper"):
            left, right = drawn[column].astype(float), crime[header(column)].astype(float)
            assert ((left == right) | (left.isna() & right.isna())).all(), column
        assert profile_table.decimals("percent") == 1


def _table_with(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize(("role", "lang"), [("viewer", "fr"), (None, "pt")])
def test_the_trends_verdict_and_change_downloads_hold_what_their_tables_write(
    demo_app, downloads, role, lang
):
    from tests.app.helpers import start

    query = {"indicator": "burglary", "measure": "count", "districts": "05", "view": "month", "lang": lang}
    at = start("pages/trends.py", query=query, role=role)
    assert not at.exception
    with locale_scope(lang):
        shown = _table_with(at, tr("trends.col_chi2"))
        frame = _csv(downloads, "burglary-trend-count")
        assert len(frame) == len(shown) >= 1
        for (_, page), (_, row) in zip(shown.iterrows(), frame.iterrows(), strict=True):
            assert row[header("area_name")] == page[tr("trends.col_area")]
            chi2 = row[header("chi2")]
            assert format_number(chi2 if pd.notna(chi2) else None, decimals=1) == page[tr("trends.col_chi2")]
            assert pd.isna(chi2) or round_shown(float(chi2), 1) == float(chi2)
            assert row[header("verdict")] == page[tr("trends.col_trend")]  # words, never the key
            assert (row[header("note")] if pd.notna(row[header("note")]) else "") == page[
                tr("trends.col_note")
            ]
        changes = _table_with(at, tr("trends.col_beyond_chance"))
        frame = _csv(downloads, "burglary-changes-count")
        assert len(frame) == len(changes) >= 2
        for (_, page), (_, row) in zip(changes.iterrows(), frame.iterrows(), strict=True):
            assert row[header("comparison")] == page[tr("trends.col_comparison")]
            for column, label in (("earlier", "trends.col_earlier"), ("later", "trends.col_later")):
                x = row[header(column)]
                assert (tr("map.not_published") if pd.isna(x) else format_number(x)) == page[tr(label)]
            cells = [
                row[header(c)] for c in ("change_percent", "change_percent_lower", "change_percent_upper")
            ]
            if not any(pd.isna(c) for c in cells):

                def signed(x: float) -> str:
                    text = "+∞" if x == float("inf") else format_percent(x, decimals=0)
                    return f"+{text}" if x > 0 and x != float("inf") else text

                assert (
                    f"{signed(cells[0])} ({signed(cells[1])} – {signed(cells[2])})"
                    == page[tr("trends.col_change")]
                )
                assert all(round_shown(float(c), 0) == float(c) for c in cells if c != float("inf"))
            assert row[header("significant")] == page[tr("trends.col_beyond_chance")]
            assert row[header("verdict")] == page[tr("trends.col_verdict")]
            assert "_" not in row[header("verdict")]


@pytest.mark.parametrize(("role", "lang"), [("viewer", "fr"), (None, "pt")])
def test_the_catalogue_download_writes_its_codes_as_the_page_does(demo_app, downloads, role, lang):
    from tests.app.helpers import start

    at = start("pages/methodology.py", query={"lang": lang}, role=role)
    assert not at.exception
    with locale_scope(lang):
        shown = _table_with(at, tr("methodology.field_kind"))
        frame = _csv(downloads, "indicator-catalogue")
        assert len(frame) == len(shown) >= 5
        for (_, page), (_, row) in zip(shown.iterrows(), frame.iterrows(), strict=True):
            assert row[header("code")] == page[tr("methodology.field_code")]
            for column, field in (("kind", "kind"), ("unit", "unit"), ("polarity", "polarity")):
                assert row[header(column)] == page[tr(f"methodology.field_{field}")]
                assert "_" not in row[header(column)]
            assert row[header("city")] in {tr("trends.yes"), tr("trends.no")}
            assert float(row[header("multiplier")]) % 1 == 0
