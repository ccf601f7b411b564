"""Area groupings on real data (police.uk, City of London, one month): a grouping's series is the count of
the crimes placed in its LSOAs, in the trends panel and the grid; its briefing is refused in words."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from observatory.present import documents
from observatory.services import groups, trends, views, where
from observatory.store import connect
from tests.real.conftest import ADMIN
from tests.real.test_police_uk_city_of_london import _by_point, _code, _polygons, _raw, built  # noqa: F401


@pytest.fixture
def staff(built, tmp_path):  # noqa: F811
    store = connect(shutil.copy(built.db, tmp_path / "staff.duckdb"))
    yield store
    store.close()


def test_a_grouping_s_month_is_the_crimes_placed_in_its_lsoas(staff):
    areas = sorted(code for code, _ in _polygons())
    east = areas[: len(areas) // 2]
    assert groups.save_group(staff, "east", "East of the City", east, actor=ADMIN).ok
    raw = _raw()
    placed = _by_point(raw)
    counted = raw.assign(indicator=raw["Crime type"].map(_code), area=placed)[placed.isin(east)]
    expected = counted.groupby("indicator").size()
    checked = 0
    for code in map(str, views.catalogue(staff)["code"]):
        info = views.indicator(staff, code)
        found = trends.group_panel(staff, info, "month", {"east": east})
        assert len(found) == 1
        assert found["value"].iloc[0] == float(expected.get(code, 0)), code
        checked += 1
    assert checked >= len(expected) > 0
    cells = where.grid(staff, with_groups=True).cells
    assert set(cells.loc[cells["area_code"] == "east", "level"]) == {groups.GROUP_LEVEL}
    # One month is no complete year: the grouping's briefing, like a district's, is refused in words.
    with pytest.raises(documents.DocumentError, match="no complete year"):
        documents.write(staff, documents.Request("district", area="east"), "html")
    assert pd.notna(cells.loc[cells["area_code"] == "east", "value"]).any()
