"""Fair comparison on a real table: St Louis region counties (NCOVR), with their published context.

The counties' police expenditure per person (PE77/82/87) and resource deprivation (RDAC80/85/90), as
given in tests/data/real/stl_homicide_rates/stl_hom.csv, are imported as context indicators; similar
counties are checked against scipy, and the homicide funnel's outliers against the formulas written
out here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist
from scipy.stats import chi2, zscore

from observatory.domain import ImportKind, SourceFormat, WideLayout
from observatory.services import formats, funnelview, imports, peers
from observatory.store import connect
from tests.real.conftest import ADMIN, Built, build
from tests.real.test_stl_homicide_rates import CITY, PERIODS, _load, _table

CONTEXT = (
    "code,name,theme,kind,unit,polarity,denominator,multiplier,threshold,description,source\n"
    "police_spending,Police expenditure per person,context,context,amount,neutral,,1,5,"
    "PE as published,NCOVR\n"
    "deprivation,Resource deprivation,context,context,index,neutral,,1,5,RDAC as published,NCOVR\n"
)
#: The context columns of each stored period (the period's own year or the one before it).
CONTEXT_COLUMNS = {"police_spending": ("PE77", "PE82", "PE87"), "deprivation": ("RDAC80", "RDAC85", "RDAC90")}


def _context_wide(table: pd.DataFrame) -> bytes:
    lines = ["indicator,area," + ",".join(str(y) for y in PERIODS.values())]
    for code, columns in CONTEXT_COLUMNS.items():
        for _, row in table.iterrows():
            lines.append(",".join([code, row["FIPSNO"], *(row[c] for c in columns)]))
    return ("\n".join(lines) + "\n").encode()


def _load_with_context(store) -> None:
    _load(store)
    done = imports.import_table(store, ImportKind.INDICATORS, CONTEXT.encode(), "context.csv", actor=ADMIN)
    assert done.ok, done.to_text()
    done = formats.import_as(
        SourceFormat.WIDE,
        store,
        _context_wide(_table()),
        "context.csv",
        actor=ADMIN,
        layout=WideLayout.PERIODS,
    )
    assert done.ok, done.to_text()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build(tmp_path_factory.mktemp("stl_compare"), *CITY, _load_with_context)


def test_similar_counties_equal_scipy_on_the_published_context(built):
    store = connect(built.db, read_only=True)
    try:
        found = peers.nearest(store, year=1988, count=5)
    finally:
        store.close()
    table = _table().set_index("FIPSNO").sort_index()
    context = table[["PE87", "RDAC90"]].astype(float)
    assert set(found.variables["variable"]) == {"police_spending", "deprivation"}
    order = list(found.variables["variable"])
    columns = ["PE87" if v == "police_spending" else "RDAC90" for v in order]
    z = zscore(context[columns].to_numpy(), axis=0, ddof=0)
    d = cdist(z, z, metric="euclidean")
    codes = list(context.index)
    for i, code in enumerate(codes):
        expected = sorted((j for j in range(len(codes)) if j != i), key=lambda j: (d[i, j], codes[j]))[:5]
        mine = found.of(code)
        assert list(mine["neighbour"])[:5] == [codes[j] for j in expected]
        assert mine["distance"].to_numpy()[:5] == pytest.approx(d[i, expected])
    print(f"\nSt Louis: {peers.summary(found)}, not close: {found.not_close}")


def test_homicide_funnel_outliers_follow_the_formulas(built):
    store = connect(built.db, read_only=True)
    try:
        found = funnelview.funnel(store, "homicides", "1988")
    finally:
        store.close()
    table = _table()
    events = table["HC8893"].astype(float).to_numpy()
    population = table["PO8893"].astype(float).to_numpy()
    benchmark = events.sum() / population.sum() * 100_000
    assert found.benchmark == pytest.approx(benchmark)
    # Spiegelhalter's winsorised phi and additive tau2, written out.
    expected = benchmark * population / 100_000
    z = (events - expected) / np.sqrt(expected)
    z = np.clip(z, *np.percentile(z, [10, 90]))
    n, phi = len(z), float(np.mean(z**2))
    overdispersed = chi2.sf(n * phi, n - 1) < 0.05
    w = population / (benchmark / 100_000)
    tau2 = max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum())) if overdispersed else 0.0
    assert found.spread.phi == pytest.approx(phi) and found.spread.overdispersed == overdispersed
    high = low = 0
    for x, n_i in zip(events, population, strict=True):
        if overdispersed:
            sd = np.sqrt(benchmark / 100_000 / n_i + tau2)
            rate = x / n_i
            high += int(rate > benchmark / 100_000 + 1.959963984540054 * sd)
            low += int(rate < benchmark / 100_000 - 1.959963984540054 * sd)
            continue
        lower, upper = _interval(x)
        high += int(lower / n_i * 100_000 > benchmark)
        low += int(upper / n_i * 100_000 < benchmark)
    places = found.points["place"]
    print(f"\nSt Louis homicides 1988-93: {found.summary()}")
    assert places.str.startswith("high").sum() == high
    assert places.str.startswith("low").sum() == low


def _interval(x: float) -> tuple[float, float]:
    """95% Poisson interval: Byar from 10 events, exact below."""
    if x >= 10:
        z = 1.959963984540054
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        return lower, (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    lower = chi2.ppf(0.025, 2 * x) / 2 if x > 0 else 0.0
    return lower, chi2.ppf(0.975, 2 * x + 2) / 2


def test_state_groupings_sum_their_counties(built, tmp_path):
    """Groupings from the table's own STATE_NAME column (a CSV), each summed by the one total rule."""
    import shutil

    from observatory.services import groups, views
    from observatory.services.mapview import MapPeriod

    table = _table()
    lines = ["group,name,area"] + [
        f"{row['STATE_NAME'][:2].upper()},{row['STATE_NAME']},{row['FIPSNO']}" for _, row in table.iterrows()
    ]
    store = connect(shutil.copy(built.db, tmp_path / "stl.duckdb"))
    try:
        done = groups.import_csv(store, ("\n".join(lines) + "\n").encode(), "states.csv", actor=ADMIN)
        assert done.ok and done.groups == 2
        info = views.indicator(store, "homicides")
        figures = {code: groups.figure(store, info, MapPeriod(1988), code) for code in ("IL", "MI")}
    finally:
        store.close()
    for code, state in (("IL", "Illinois"), ("MI", "Missouri")):
        rows = table[table["STATE_NAME"] == state]
        events, years = rows["HC8893"].astype(float).sum(), rows["PO8893"].astype(float).sum()
        assert figures[code].value == events
        assert figures[code].denominator == years
        assert figures[code].reference == pytest.approx(events / years * 100_000)
        rate = figures[code].reference
        print(f"\n{state}: {len(rows)} counties, {events:.0f} homicides, {rate:.2f} per 100,000")
