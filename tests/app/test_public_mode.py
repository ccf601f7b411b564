"""Public mode: only the published snapshot, read-only; no sign-in, no staff page registered."""

import shutil
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from observatory import auth
from observatory.domain import Role
from observatory.store import StoreError, open_snapshot
from observatory.ui.navigation import PAGES
from observatory.ui.session import SESSION_KEY
from tests.app.helpers import APP, start

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_PAGES = [page.path for page in PAGES if not page.staff_site]
STAFF_PAGES = [page.path for page in PAGES if page.staff_site]


@pytest.fixture
def public_site(app_env, demo_release, tmp_path, monkeypatch):
    """A public instance: a copy of the demo's release, and a staff database path that must stay unopened."""
    snapshot = shutil.copy(demo_release, tmp_path / "public.duckdb")
    staff = tmp_path / "staff" / "observatory.duckdb"
    app_env(staff, snapshot)
    monkeypatch.setenv("OBSERVATORY_MODE", "public")
    return staff


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_run_on_the_snapshot_alone(public_site, page):
    at = start(page)
    assert not at.exception
    assert any("Published data, release of" in caption.value for caption in at.sidebar.caption)
    assert not public_site.parent.exists()  # the staff database was never opened, not even created


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_no_staff_page_and_no_sign_in_is_routable(public_site, page):
    at = start()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page).run()


def test_a_session_in_state_gives_no_rights_in_public_mode(public_site):
    at = AppTest.from_file(APP, default_timeout=60)
    now = datetime.now(UTC).replace(tzinfo=None)
    at.session_state[SESSION_KEY] = auth.Session("admin", Role.ADMIN, now, now)
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/publish.py").run()


def test_without_a_release_the_public_is_told_nothing_is_published(app_env, tmp_path, monkeypatch):
    app_env(tmp_path / "staff.duckdb", tmp_path / "missing.duckdb")
    monkeypatch.setenv("OBSERVATORY_MODE", "public")
    at = start()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "Nothing has been published yet. The observatory's staff publish a release from the staff workspace."
    ]


def test_site_mode_without_a_release_still_offers_sign_in(app_env, demo_file, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_LOAD_DEMO", "false")
    app_env(shutil.copy(demo_file, tmp_path / "staff.duckdb"), tmp_path / "missing.duckdb")
    at = start()
    assert not at.exception
    assert len(at.info) == 1
    at.switch_page("pages/signin.py").run()
    assert at.title[0].value == "Sign in"


def test_the_snapshot_connection_refuses_writes(demo_release, tmp_path):
    store = open_snapshot(shutil.copy(demo_release, tmp_path / "public.duckdb"))
    with pytest.raises(StoreError, match="read-only"), store.transaction():
        pass
    with pytest.raises(duckdb.Error, match="read-only"):
        store.rows("DELETE FROM observations")
    with pytest.raises(duckdb.Error, match="read-only"):
        store.rows("CREATE TABLE published.notes (x INTEGER)")
    with pytest.raises(duckdb.Error):  # nor can it reach any other file
        store.rows("SELECT * FROM read_csv(?)", [str(ROOT / "data" / "demo" / "axes.csv")])
    assert store.scalar("SELECT count(*) FROM observations") > 0
    store.close()


def test_a_new_release_is_read_at_once_by_an_open_public_instance(public_site, demo_file, tmp_path):
    from observatory.services import publish
    from observatory.services.demo import DEMO_ACTOR
    from observatory.store import connect

    first = start()
    staff = connect(shutil.copy(demo_file, tmp_path / "another.duckdb"))
    publish.publish(
        staff, actor=DEMO_ACTOR, snapshot_path=tmp_path / "public.duckdb", now=datetime(2027, 3, 1)
    )
    staff.close()
    first.run()
    assert any("1 March 2027" in caption.value for caption in first.sidebar.caption)


def test_streamlit_settings_are_the_public_ones():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
