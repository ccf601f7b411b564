"""Similar districts on the demo city: the context as stored, and neighbours equal to scipy's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist
from scipy.stats import zscore

from observatory.services import peers
from observatory.store import connect


@pytest.fixture(scope="module")
def demo(demo_file):
    opened = connect(demo_file)
    yield opened
    opened.close()


def _context_by_sql(store) -> pd.DataFrame:
    """Density and each context indicator's latest yearly value, read straight from the tables."""
    density = store.frame(
        "SELECT d.area_code, d.value / a.area_km2 AS density FROM denominators d "
        "JOIN areas a ON a.code = d.area_code WHERE d.kind = 'residents' AND a.level = 1 "
        "QUALIFY row_number() OVER (PARTITION BY d.area_code ORDER BY d.year DESC) = 1"
    ).set_index("area_code")
    wide = store.frame(
        "SELECT o.indicator_code, o.area_code, o.value FROM observations o "
        "JOIN indicators i ON i.code = o.indicator_code JOIN areas a ON a.code = o.area_code "
        "WHERE i.kind = 'context' AND a.level = 1 AND o.value IS NOT NULL QUALIFY row_number() "
        "OVER (PARTITION BY o.indicator_code, o.area_code ORDER BY o.period_start DESC) = 1"
    ).pivot(index="area_code", columns="indicator_code", values="value")
    return density.join(wide).sort_index()


def test_demo_context_is_density_and_the_context_indicators(demo):
    found = peers.context(demo)
    expected = _context_by_sql(demo)
    assert list(found.columns) == ["density", "unemployment", "youth_share"]
    pd.testing.assert_frame_equal(found, expected[found.columns], check_names=False)


def test_demo_neighbours_equal_scipy(demo):
    found = peers.nearest(demo, weights={"density": 1.0, "unemployment": 2.0, "youth_share": 1.0}, count=4)
    context = _context_by_sql(demo)[["density", "unemployment", "youth_share"]]
    z = zscore(context.to_numpy(), axis=0, ddof=0)
    d = cdist(z, z, metric="euclidean", w=[1.0, 2.0, 1.0])
    codes = list(context.index)
    for i, code in enumerate(codes):
        order = sorted((j for j in range(len(codes)) if j != i), key=lambda j: (d[i, j], codes[j]))[:4]
        mine = found.of(code)
        assert list(mine["neighbour"]) == [codes[j] for j in order]
        assert mine["distance"].to_numpy() == pytest.approx(d[i, order])
    summary = peers.summary(found)
    print(f"\ndemo: {summary}")
    assert summary["districts_with_neighbours"] == len(codes)


def test_an_earlier_year_uses_that_years_values(demo):
    years = demo.frame(
        "SELECT DISTINCT year(period_start) AS y FROM observations WHERE indicator_code = 'unemployment'"
    )
    first = int(years["y"].min())
    early = peers.context(demo, year=first)
    direct = demo.frame(
        "SELECT area_code, value FROM observations "
        "WHERE indicator_code = 'unemployment' AND year(period_start) = ?",
        [first],
    ).set_index("area_code")["value"]
    assert early["unemployment"].to_numpy() == pytest.approx(direct.reindex(early.index).to_numpy())
    assert np.isfinite(early.to_numpy()).all()


def test_versus_peers_benchmarks_each_district_against_its_neighbours_summed(demo):
    from observatory.services import mapview, views
    from observatory.stats import compare

    found = peers.nearest(demo)
    info = views.indicator(demo, "violence")
    period = mapview.MapPeriod(2025)
    table = peers.versus_peers(demo, info, period, found).set_index("code")
    districts = mapview.district_table(demo, info, period).set_index("code")
    for code in ("01", "07", "15"):
        near = list(found.of(code)["neighbour"])
        rate = districts.loc[near, "value"].sum() / districts.loc[near, "denominator"].sum() * info.multiplier
        assert table.loc[code, "reference"] == pytest.approx(rate)
        assert list(table.loc[code, "peers"]) == near
        expected = compare.benchmark(
            districts.loc[code, "rate_lower"], districts.loc[code, "rate_upper"], rate, info.polarity
        )
        assert table.loc[code, "benchmark"] == str(expected)
