"""Why a district is withheld, read from a published release and from a staff store."""

from datetime import date

import pytest

from observatory.services import views, withheld
from observatory.store import connect


@pytest.fixture(scope="module")
def release(demo_release):
    store = connect(demo_release, read_only=True)
    yield store
    store.close()


def _withheld_district_years(store):
    return store.frame(
        "SELECT o.indicator_code, o.area_code, year(o.period_start) AS year, o.status, o.display "
        "FROM observations o JOIN areas a ON a.code = o.area_code "
        "WHERE a.level = 1 AND o.value IS NULL AND o.granularity = 'year'"
    )


def test_every_withheld_district_year_of_the_release_gets_the_reason_its_cell_carries(release):
    cells = _withheld_district_years(release)
    assert len(cells) > 0
    seen = set()
    for (code, year), group in cells.groupby(["indicator_code", "year"]):
        info = views.indicator(release, code)
        found = withheld.reasons(release, info, date(year, 1, 1), date(year, 12, 31)).set_index("code")
        for row in group.itertuples():
            reason = found.loc[row.area_code, "reason"]
            if str(row.display).startswith("<"):
                assert reason == withheld.SMALL
                assert found.loc[row.area_code, "threshold"] == float(row.display.lstrip("< "))
            elif row.status == "not_published":
                assert reason == withheld.SOURCE
            else:
                assert (row.status, row.display, reason) == ("suppressed", "c", withheld.PROTECT)
            seen.add(reason)
    # The demo release has small counts and cells withheld to protect them.
    assert {withheld.SMALL, withheld.PROTECT} <= seen


def test_a_district_with_nothing_withheld_has_no_reason(release):
    info = views.indicator(release, "burglary")
    cells = _withheld_district_years(release)
    years = set(cells[cells["indicator_code"] == "burglary"]["year"])
    clean = next(y for y in range(2015, 2026) if y not in years)
    assert withheld.reasons(release, info, date(clean, 1, 1), date(clean, 12, 31)).empty


def test_a_staff_store_says_not_published_at_source(demo_file):
    store = connect(demo_file, read_only=True)
    try:
        cells = store.frame(
            "SELECT o.indicator_code, o.area_code, o.period_start FROM observations o "
            "JOIN areas a ON a.code = o.area_code WHERE a.level = 1 AND o.status = 'not_published' LIMIT 1"
        )
        assert len(cells) == 1
        row = cells.iloc[0]
        day = row["period_start"].date()
        found = withheld.reasons(store, views.indicator(store, row["indicator_code"]), day, day)
    finally:
        store.close()
    assert found.set_index("code").loc[row["area_code"], "reason"] == withheld.SOURCE
