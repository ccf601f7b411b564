"""Disclosure in what the public sees: no count from 1 to k−1 in any page table, chart, map or download.

A property test: Hypothesis draws a public page and its selections (indicator, measure, period, view,
districts), runs the page as an anonymous visitor with AppTest, and reads every output the visitor can
get: the tables on the page, the plotly figure JSON (map values and hover data, chart points), and the
bytes of every CSV download. Every value that stands for a count of a count indicator must be 0 or at
least that indicator's threshold k.
"""

import io
import os
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observatory.i18n import catalogue
from observatory.store import connect, open_snapshot
from tests.app.helpers import figures, start

# Demo indicators that are counts, with their thresholds (indicators.csv of the demo city).
THRESHOLDS = {
    "burglary": 5,
    "violence": 5,
    "domestic_violence": 10,
    "robbery": 5,
    "vehicle_theft": 5,
    "theft_from_vehicle": 5,
    "vandalism": 5,
    "drug_offences": 5,
    "outreach_contacts": 5,
    "treatment_referrals": 5,
    "help_centre_contacts": 5,
    "victim_support_cases": 5,
    "safe_house_nights": 5,
}
DISTRICTS = [f"{i:02d}" for i in range(1, 21)]
# Columns of downloads and tables that hold counts (other columns: rates, intervals, denominators …).
COUNT_COLUMNS = {"value", "count", "count_or_value", "earlier", "later", "latest", "previous"}
COUNT_HEADERS = re.compile(r"^(count|value|earlier \(count\)|latest \(count\))$", re.IGNORECASE)
NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")


def _small(values, k: int) -> list[float]:
    numbers = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce")
    return [float(v) for v in numbers if pd.notna(v) and 1 <= v < k]


def _csv_violations(name: str, data: bytes, k: int) -> list[str]:
    frame = pd.read_csv(io.BytesIO(data), dtype={"code": str, "Code": str, "area_code": str})
    # Headers are in the page's language ("Value", "Count or value"): back to the stored names the checks use.
    stored = {
        text: key.removeprefix("column.")
        for key, text in catalogue("en").items()
        if key.startswith("column.")
    }
    frame = frame.rename(columns=lambda c: stored.get(str(c), str(c).lower()))
    by_row = {"unit", "code"} <= set(frame.columns) or {"unit", "indicator_code"} <= set(frame.columns)
    if by_row:  # several indicators: only the rows of counts, each with its own k
        code_col = (
            "code" if "code" in frame.columns and "indicator_code" not in frame.columns else "indicator_code"
        )
        bad = []
        counts = frame[frame["unit"] == "count"]
        for code, rows in counts.groupby(code_col):
            for col in (COUNT_COLUMNS | {"current_value", "baseline_value"}) & set(
                frame.select_dtypes("number")
            ):
                bad += [f"{name}:{code}:{col}:{v}" for v in _small(rows[col], THRESHOLDS.get(code, 5))]
        return bad
    if name.startswith("crime-feeling-"):
        # Recorded offences as a rate per 1,000 residents beside the survey's share feeling unsafe: the
        # file holds no count, as long as its offences rows are the rate.
        offences = catalogue("en")["profile.offences_rate"]
        rows = frame[frame["measure"] != offences] if "measure" in frame.columns else frame
        assert len(rows) < len(frame), (
            f"{name}: no offences rate rows, measures {set(frame.get('measure', []))}"
        )
        return []
    numeric = COUNT_COLUMNS & set(frame.select_dtypes("number"))
    return [f"{name}:{col}:{v}" for col in numeric for v in _small(frame[col], k)]


def _table_violations(at, k: int) -> list[str]:
    bad = []
    for table in at.dataframe:
        for column in table.value.columns:
            if not COUNT_HEADERS.match(str(column)):
                continue
            cells = table.value[column].astype(str).str.strip()
            numbers = [float(c.replace(",", "")) for c in cells if NUMBER.match(c)]
            bad += [f"table:{column}:{v}" for v in _small(numbers, k)]
    return bad


def _funnel_counts(figure: dict) -> list[float]:
    """The counts behind a funnel plot's points: rate × population / multiplier (its lines are limits)."""
    multiplier = figure["layout"]["meta"]["multiplier"]
    return [
        round(rate * population / multiplier, 6)
        for trace in figure["data"]
        if trace.get("mode") == "markers"
        for rate, population in zip(trace.get("y", []), trace.get("x", []), strict=True)
    ]


def _figure_violations(at, k: int, measure: str) -> list[str]:
    bad = []
    for figure in figures(at):
        if (figure["layout"].get("meta") or {}).get("chart") == "funnel":
            bad += [f"funnel:{v}" for v in _small(_funnel_counts(figure), k)]
            continue
        for trace in figure["data"]:
            if trace.get("type") == "choropleth" and measure == "count":
                bad += [f"map:{v}" for v in _small(trace.get("z", []), k)]
            interval = "interval" in str(trace.get("name", "")).lower()
            if trace.get("type") == "scatter" and measure == "count" and not interval:
                bad += [f"chart:{trace.get('name')}:{v}" for v in _small(trace.get("y", []), k)]
    return bad


SELECTIONS = st.one_of(
    st.fixed_dictionaries(
        {
            "page": st.just("pages/map.py"),
            "indicator": st.sampled_from(sorted(THRESHOLDS)),
            "measure": st.just("count"),
            "period": st.sampled_from([str(y) for y in range(2016, 2026)]),
        }
    ),
    st.fixed_dictionaries(
        {
            "page": st.just("pages/trends.py"),
            "indicator": st.sampled_from(sorted(THRESHOLDS)),
            "measure": st.just("count"),
            "view": st.sampled_from(["year", "quarter", "month", "rolling"]),
            "districts": st.sampled_from(["07", "20", "07,20", "12", "01"]),
        }
    ),
    st.fixed_dictionaries(
        {
            "page": st.just("pages/profile.py"),
            "district": st.sampled_from(DISTRICTS),
            "year": st.sampled_from([str(y) for y in range(2017, 2026)]),
        }
    ),
    st.fixed_dictionaries(
        {"page": st.just("pages/overview.py"), "indicator": st.sampled_from(sorted(THRESHOLDS))}
    ),
    st.fixed_dictionaries({"page": st.just("pages/strategy.py")}),
    st.fixed_dictionaries({"page": st.just("pages/methodology.py")}),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(selection=SELECTIONS)
def test_no_public_output_shows_a_count_below_its_threshold(demo_app, downloads, selection):
    downloads.clear()  # one fixture for every example Hypothesis draws
    query = {key: value for key, value in selection.items() if key != "page"}
    at = start(selection["page"], query=query)
    assert not at.exception
    k = THRESHOLDS.get(selection.get("indicator", ""), min(THRESHOLDS.values()))
    measure = selection.get("measure", "")  # the profile's and strategy's charts draw rates and shares
    found = _table_violations(at, k) + _figure_violations(at, k, measure)
    for name, data in downloads.items():
        if name.endswith(".csv"):
            found += _csv_violations(name, data, k)
    assert not found, (selection, found[:10])


def test_the_staff_view_of_the_same_page_does_show_small_counts(demo_app, downloads):
    """The check can fail: signed in, the same selection shows counts the public never sees."""
    query = {"indicator": "domestic_violence", "measure": "count", "view": "month", "districts": "20"}
    at = start("pages/trends.py", query=query, role="viewer")
    found = _figure_violations(at, 10, "count")
    for name, data in downloads.items():
        if name.endswith(".csv"):  # the .xlsx beside each holds the same table
            found += _csv_violations(name, data, 10)
    assert found


@pytest.fixture
def public_cells(demo_app):
    store = connect(demo_app.parent / "public.duckdb", read_only=True)
    yield store.frame(
        "SELECT o.indicator_code, o.value, i.disclosure_threshold AS k FROM observations o "
        "JOIN indicators i ON i.code = o.indicator_code WHERE i.unit = 'count'"
    )
    store.close()


def test_the_snapshot_file_itself_has_no_small_count(public_cells):
    small = public_cells[(public_cells["value"] >= 1) & (public_cells["value"] < public_cells["k"])]
    assert len(public_cells) > 3000
    assert small.empty


def test_open_data_download_is_the_whole_release_and_only_for_the_public(demo_app, deferred_downloads):
    start("pages/methodology.py")
    built = deferred_downloads["observatory-published-values.csv"]()  # built only when pressed
    frame = pd.read_csv(io.BytesIO(built), dtype={"area_code": str})
    assert len(frame) == 4020  # every observation of the demo's release (no row for an unknown city total)
    withheld = frame[frame["value"].isna()]
    release = open_snapshot(os.environ["OBSERVATORY_SNAPSHOT"])
    try:
        hidden = release.scalar("SELECT count(*) FROM observations WHERE value IS NULL")
    finally:
        release.close()
    # 70 below the threshold, 23 withheld so they cannot be worked out (protection width 2), 10 at source.
    assert len(withheld) == hidden == 103 and withheld["shown"].notna().all()
    deferred_downloads.clear()
    start("pages/methodology.py", role="viewer")
    assert "observatory-published-values.csv" not in deferred_downloads
    assert "observatory-open-data.zip" not in deferred_downloads
