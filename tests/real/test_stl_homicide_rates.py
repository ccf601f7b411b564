"""A real table of rates per 100,000: county homicides around St Louis (NCOVR, three periods 1979–93).

The files are described in tests/data/real/stl_homicide_rates/SOURCE.md. Each county has, per period, the
homicide count (HC), the population at risk in person-years (PO) and the rate per 100,000 (HR, rounded to
six decimals by the publisher). They are imported as a new user would: the counties as boundaries, two
indicators (the count, per 100,000 person-years; and the published rate as a rate), the person-years as a
denominator, and the values as a wide table, periods across. Everything stored is checked against the
table as given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from observatory.domain import ImportKind, SourceFormat, WideLayout
from observatory.services import formats, imports, views
from observatory.store import Store, connect
from tests.real.conftest import ADMIN, DATA, Built, assert_same_counts, build, open_pages, page_errors

FOLDER = DATA / "stl_homicide_rates"
TABLE = FOLDER / "stl_hom.csv"
COUNTIES = FOLDER / "counties.geojson"
CITY = ("STL", "St Louis region")
#: The table's three periods, each stored under its first year.
PERIODS = {"7984": 1979, "8488": 1984, "8893": 1988}
INDICATORS = (
    "code,name,theme,kind,unit,polarity,denominator,multiplier,threshold,description,source\n"
    "homicides,Homicides,violence,result,count,lower_is_better,person_years,100000,5,"
    "Homicides over the period,NCOVR county homicide atlas\n"
    "homicide_rate,Homicide rate as published,violence,result,rate,lower_is_better,,100000,5,"
    "Homicides per 100000 person-years as published,NCOVR county homicide atlas\n"
)


def _table() -> pd.DataFrame:
    return pd.read_csv(TABLE, dtype=str, keep_default_na=False)


def _wide(table: pd.DataFrame) -> bytes:
    """indicator,area,1979,1984,1988: the counts (HC) and the published rates (HR) as given."""
    lines = ["indicator,area," + ",".join(str(y) for y in PERIODS.values())]
    for prefix, code in (("HC", "homicides"), ("HR", "homicide_rate")):
        for _, row in table.iterrows():
            lines.append(",".join([code, row["FIPSNO"], *(row[prefix + p] for p in PERIODS)]))
    return ("\n".join(lines) + "\n").encode()


def _denominators(table: pd.DataFrame) -> bytes:
    lines = ["area,year,residents,person_years"]
    for _, row in table.iterrows():
        lines += [f"{row['FIPSNO']},{year},,{row['PO' + p]}" for p, year in PERIODS.items()]
    return ("\n".join(lines) + "\n").encode()


def _load(store: Store) -> None:
    city_code, city_name = CITY
    table = _table()
    done = imports.import_boundaries(
        store,
        COUNTIES.read_bytes(),
        COUNTIES.name,
        code_field="fips",
        name_field="name",
        actor=ADMIN,
        city_code=city_code,
        city_name=city_name,
    )
    assert done.ok, done.to_text()
    for kind, data in (
        (ImportKind.INDICATORS, INDICATORS.encode()),
        (ImportKind.DENOMINATORS, _denominators(table)),
    ):
        done = imports.import_table(store, kind, data, f"{kind}.csv", actor=ADMIN)
        assert done.ok, done.to_text()
    done = formats.import_as(
        SourceFormat.WIDE, store, _wide(table), "stl_hom_wide.csv", actor=ADMIN, layout=WideLayout.PERIODS
    )
    assert done.ok, done.to_text()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build(tmp_path_factory.mktemp("stl"), *CITY, _load)


def _given(prefix: str) -> pd.Series:
    table = _table()
    rows = [
        ((row["FIPSNO"], year), float(row[prefix + p]))
        for _, row in table.iterrows()
        for p, year in PERIODS.items()
    ]
    index = pd.MultiIndex.from_tuples([k for k, _ in rows], names=["area_code", "year"])
    return pd.Series([v for _, v in rows], index=index).sort_index()


def _stored(path, indicator: str) -> pd.Series:
    store = connect(path, read_only=True)
    try:
        frame = store.frame(
            "SELECT area_code, year(period_start) AS year, value FROM observations WHERE indicator_code = ?",
            [indicator],
        )
    finally:
        store.close()
    return frame.set_index(["area_code", "year"])["value"].astype(float).sort_index()


def test_counts_and_published_rates_are_stored_as_given(built):
    assert_same_counts(_stored(built.db, "homicides"), _given("HC"))
    assert_same_counts(_stored(built.db, "homicide_rate"), _given("HR"))
    assert len(_given("HC")) == 78 * 3


def test_person_years_and_the_multiplier_are_stored_as_given(built):
    store = connect(built.db, read_only=True)
    try:
        frame = store.frame("SELECT area_code, year, value FROM denominators WHERE kind = 'person_years'")
        multipliers = dict(store.rows("SELECT code, multiplier FROM indicators"))
    finally:
        store.close()
    stored = frame.set_index(["area_code", "year"])["value"].astype(float).sort_index()
    assert_same_counts(stored, _given("PO"))
    assert multipliers == {"homicides": 100000.0, "homicide_rate": 100000.0}


def test_the_rate_computed_from_count_and_person_years_is_the_published_rate(built):
    """100,000 × HC / PO, computed by the observatory, equals HR to its six published decimals."""
    given = _given("HR")
    store = connect(built.db, read_only=True)
    try:
        info = views.indicator(store, "homicides")
        computed = pd.concat(
            {
                year: views.district_year(store, info, year).set_index("code")["rate"]
                for year in PERIODS.values()
            },
            names=["year", "area_code"],
        )
    finally:
        store.close()
    computed = computed.swaplevel().sort_index()
    assert np.allclose(computed.to_numpy(), given.loc[computed.index].to_numpy(), rtol=0, atol=5e-7)
    assert len(computed) == len(given)


@pytest.mark.parametrize("audience", ["viewer", "public"])
def test_every_page_opens_on_a_table_of_rates_per_100000(site, built, audience):
    site(built)
    assert page_errors(audience) == {}


def test_rates_are_labelled_per_100000_not_per_1000(site, built):
    """Every indicator here is per 100,000: no page (but the general methodology) may say per 1,000."""
    site(built)
    texts = open_pages(
        "viewer", pages=("pages/overview.py", "pages/map.py", "pages/trends.py", "pages/profile.py")
    )
    wrong = {
        page: [_around(t, "per 1,000 ") for t in found if "per 1,000 " in t] for page, found in texts.items()
    }
    assert {page: found for page, found in wrong.items() if found} == {}
    assert any("100,000" in t for found in texts.values() for t in found)


def test_the_overview_shows_the_homicide_headline_on_yearly_data(site, built):
    """Three yearly periods of a count with a denominator: the overview has a headline to show."""
    site(built)
    texts = open_pages("viewer", pages=("pages/overview.py",))["pages/overview.py"]
    assert "no data" not in texts
    assert any("Homicides" in t for t in texts)


def _around(text: str, needle: str) -> str:
    at = text.index(needle)
    return text[max(0, at - 50) : at + 40]


def test_the_upload_page_recognises_the_wide_table_with_periods_across():
    found = formats.recognise_file(_wide(_table()), "stl_hom_wide.csv")
    assert found is not None and (found.source, found.layout) == (SourceFormat.WIDE, WideLayout.PERIODS)
