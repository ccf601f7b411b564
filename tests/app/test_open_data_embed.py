"""Open data on the methodology page (the package, never built on a page view) and the embed views."""

import io
import json
import re
import shutil
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from observatory import i18n
from observatory.i18n import format_date
from observatory.services import open_data, publish
from tests.app.helpers import APP, figures, start
from tests.conftest import RELEASE_TIME

PACKAGE = "observatory-open-data.zip"


@pytest.fixture(autouse=True)
def _english():
    i18n.set_locale("en")
    yield
    i18n.set_locale("en")


@pytest.fixture
def with_package(demo_app, demo_release):
    """The demo app with the package publishing wrote beside its release copied beside the app's copy."""
    snapshot = demo_app.parent / "public.duckdb"
    shutil.copy(open_data.package_path(demo_release), open_data.package_path(snapshot))
    return snapshot


@pytest.fixture
def builds(monkeypatch):
    """Counts every build of the package or of the values CSV."""
    calls = {"package": 0, "values": 0}
    build, values = open_data.build, publish.open_data

    def counted_build(*args, **kwargs):
        calls["package"] += 1
        return build(*args, **kwargs)

    def counted_values(*args, **kwargs):
        calls["values"] += 1
        return values(*args, **kwargs)

    monkeypatch.setattr(open_data, "build", counted_build)
    monkeypatch.setattr(publish, "open_data", counted_values)
    return calls


def test_methodology_offers_the_stored_package_without_building_anything(
    with_package, deferred_downloads, builds
):
    at = start("pages/methodology.py")
    assert not at.exception
    assert builds == {"package": 0, "values": 0}  # a page view builds nothing
    assert any(re.search(r"\d+ tables, each as CSV and Parquet", c.value) for c in at.caption)
    data = deferred_downloads[PACKAGE]()
    assert builds["package"] == 0  # the file written at publishing is served as it is
    assert data == open_data.package_path(with_package).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert json.loads(archive.read("datapackage.json"))["created"] == "2026-01-15T09:30:00Z"


def test_a_release_without_package_builds_it_only_when_asked(demo_app, deferred_downloads, builds):
    at = start("pages/methodology.py")
    assert not at.exception and builds == {"package": 0, "values": 0}
    assert not any("tables, each as CSV" in c.value for c in at.caption)  # no stored package to describe
    with zipfile.ZipFile(io.BytesIO(deferred_downloads[PACKAGE]())) as archive:
        assert "data/observations.parquet" in archive.namelist()
    assert builds["package"] == 1


def _embedded(page: str, query: dict, *, role: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.context = {"is_embedded": True}
    for key, value in query.items():
        at.query_params[key] = value
    if role:
        from datetime import UTC, datetime

        from observatory import auth
        from observatory.domain import Role
        from observatory.ui.session import SESSION_KEY
        from tests.app.helpers import ensure_account

        now = datetime.now(UTC).replace(tzinfo=None)
        at.session_state[SESSION_KEY] = auth.Session(ensure_account(role), Role(role), now, now)
    at.run()
    at.switch_page(page).run()
    return at


def _published_line() -> str:
    return f"Published {format_date(RELEASE_TIME)}"


def test_embedded_map_is_one_chart_with_title_source_and_release_date(demo_app):
    at = _embedded("pages/map.py", {"indicator": "burglary", "lang": "en"})
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert not at.title and not at.dataframe and not at.get("download_button")  # no title, no table
    assert [h.value for h in at.header] == [at.header[0].value] and "Burglary" in at.header[0].value
    captions = " ".join(c.value for c in at.caption)
    assert "Source: National police statistics (PSP)" in captions
    assert _published_line() in captions
    assert not any("Embed this chart" in e.label for e in at.expander)
    assert [t["type"] for t in figures(at)[0]["data"]][:2] == ["scattergeo", "choropleth"]


def test_embedded_trend_is_one_chart_with_title_source_and_release_date(demo_app):
    at = _embedded("pages/trends.py", {"indicator": "burglary", "lang": "en"})
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert not at.title and not at.dataframe and not at.get("download_button")  # no tables, no CSV
    assert len(at.header) == 1 and "Burglary" in at.header[0].value
    captions = " ".join(c.value for c in at.caption)
    assert "Source: National police statistics (PSP)" in captions and _published_line() in captions


def test_embedded_view_in_portuguese_says_the_date_in_portuguese(demo_app):
    at = _embedded("pages/map.py", {"indicator": "burglary", "lang": "pt"})
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Publicado a 15 de janeiro de 2026" in captions


def test_full_pages_say_how_to_embed_their_chart(demo_app):
    for page in ("pages/map.py", "pages/trends.py"):
        at = start(page, query={"indicator": "burglary", "lang": "en"})
        assert not at.exception
        assert any(e.label == "Embed this chart on another website" for e in at.expander)
        code = [c.value for c in at.code]
        assert len(code) == 1 and "embed=true" in code[0] and "indicator=burglary" in code[0]
        assert code[0].startswith("<iframe src=") and 'title="Burglary' in code[0]


def _no_page_furniture(at: AppTest) -> None:
    assert not at.exception
    assert not at.title and not at.get("download_button")  # no page title, nothing to download
    assert not any("Embed this" in e.label for e in at.expander)
    assert not at.sidebar.selectbox  # no menu or language widget
    assert _published_line() in " ".join(c.value for c in at.caption)


def test_embedded_overview_is_the_headline_cards_with_the_release_date(demo_app):
    at = _embedded("pages/overview.py", {"lang": "en"})
    _no_page_furniture(at)
    assert [h.value for h in at.header] == ["City overview"]
    full = start("pages/overview.py", query={"lang": "en"})
    figures_shown = [m.value for m in at.markdown if m.value and m.value[0].isdigit()]
    assert figures_shown and figures_shown == [m.value for m in full.markdown if m.value in figures_shown]
    assert not any("Strategy" in h.value for h in at.header)  # the cards alone


def test_embedded_profile_is_one_district_with_its_charts(demo_app):
    at = _embedded("pages/profile.py", {"district": "05", "lang": "pt"})
    assert not at.exception
    assert not at.title and not at.get("download_button")
    assert len(at.header) >= 1 and at.get("plotly_chart")
    assert any("Publicado a 15 de janeiro de 2026" in c.value for c in at.caption)
    # The choices are in a closed panel: the district chosen by the address.
    assert at.selectbox(key="district").value == "05"


def test_embedded_strategy_is_the_objectives_without_tabs_or_partners(demo_app):
    at = _embedded("pages/strategy.py", {"lang": "fr"})
    assert not at.exception
    assert not at.title and not at.tabs and not at.get("download_button")
    assert at.header[0].value == "Stratégie : objectifs et actions"
    assert any("Publié le 15 janvier 2026" in c.value for c in at.caption)


def test_an_embedded_view_shows_the_release_even_to_signed_in_staff(demo_app):
    # The staff store holds every figure; the release withholds small counts. Embedded, a signed-in
    # official's browser gets the release, as every visitor of the website it is embedded in does.
    query = {"indicator": "burglary", "measure": "count", "lang": "en"}
    embedded = _embedded("pages/map.py", query, role="viewer")
    assert not embedded.exception
    # The credit line names the release only when the run reads it ("not yet published" otherwise).
    assert _published_line() in " ".join(c.value for c in embedded.caption)
    public = start("pages/map.py", query=query)
    assert figures(embedded)[0]["data"] == figures(public)[0]["data"]


def test_full_overview_profile_and_strategy_say_how_to_embed_them(demo_app):
    for page, query in (
        ("pages/overview.py", {}),
        ("pages/profile.py", {"district": "05"}),
        ("pages/strategy.py", {}),
    ):
        at = start(page, query={**query, "lang": "en"})
        assert not at.exception, page
        code = [c.value for c in at.code if "<iframe" in c.value]
        assert len(code) == 1 and "embed=true" in code[0], page
