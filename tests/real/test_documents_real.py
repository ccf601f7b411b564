"""Council documents made from real public data: a single police.uk month (City of London) and county
homicide rates around St Louis (three multi-year periods, a rate per 100,000 person-years).

Each document is built from the staff store and from the release, rendered to PDF, and read back: it
is marked as it should be, and the figures it prints are the profile page's for the same district.
"""

from __future__ import annotations

import re

import pypdf
import pytest

from observatory.i18n import locale_scope
from observatory.present import documents, profile_table
from observatory.services import profile, profile_panel
from observatory.store import connect, open_snapshot
from tests.real import test_police_uk_city_of_london as london
from tests.real import test_stl_homicide_rates as stl
from tests.real.conftest import build

pytestmark = pytest.mark.xdist_group("documents-real")

DATASETS = {"london": london, "stl": stl}


@pytest.fixture(scope="module", params=sorted(DATASETS))
def built(request, tmp_path_factory):
    module = DATASETS[request.param]
    return build(tmp_path_factory.mktemp(request.param), *module.CITY, module._load)


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "d.pdf"
    path.write_bytes(data)
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))


@pytest.mark.parametrize("kind", documents.KINDS)
def test_every_document_is_made_from_the_staff_store_and_from_the_release(built, kind, tmp_path):
    sources = ((connect(built.db, read_only=True), "INTERNAL"), (open_snapshot(built.snapshot), "Public"))
    for opened, word in sources:
        try:
            area = None
            if kind == "district":
                data = profile_panel.load(opened)
                area = str(profile.districts(data)["code"].iloc[0])
                if profile.years(data)[1] is None:
                    # A single month: the profile page has no complete year, nor has the briefing.
                    with pytest.raises(documents.DocumentError, match="no complete year"):
                        documents.write(opened, documents.Request(kind, area=area), "pdf")
                    continue
            data = documents.write(opened, documents.Request(kind, area=area), "pdf")
        finally:
            opened.close()
        assert data.startswith(b"%PDF") and word in _text(data, tmp_path)


def test_the_district_briefing_prints_the_profiles_figures(built, tmp_path):
    store = connect(built.db, read_only=True)
    try:
        data = profile_panel.load(store)
        _, year = profile.years(data)
        if year is None:
            pytest.skip("a single month: no complete year to profile (checked above)")
        code = str(profile.districts(data)["code"].iloc[0])
        shown = profile.district_profile(data, code, int(year))
        with locale_scope("en"):
            table = profile_table.display_table(shown.table, shown.year)
        text = _text(documents.write(store, documents.Request("district", area=code), "pdf"), tmp_path)
    finally:
        store.close()
    values = [str(v) for column in table.columns[2:] for v in table[column] if str(v) not in ("", "–")]
    assert values and [v for v in values if re.sub(r"\s+", " ", v) not in text] == []
