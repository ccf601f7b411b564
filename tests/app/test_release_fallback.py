"""A damaged release file (cut short, random bytes, a newer format) never reaches the public: the site
keeps serving the last good release, staff see why on the Publish page and in the audit log, and a
damaged staff database is said in words instead of an error page or a list of page files."""

import io
import os
import shutil

import pytest

from observatory import cli
from observatory.store import connect, snapshot
from tests.app.helpers import start
from tests.store.test_release_checks import DAMAGE

SHOWN = ["truncated", "random bytes", "newer format"]
RELEASE_NOTE = "Published data, release of"


def _public_release_note(at) -> bool:
    return any(RELEASE_NOTE in caption.value for caption in at.sidebar.caption)


def _serves_data(at) -> bool:
    nothing = any(i.value.startswith("Nothing has been published") for i in at.info)
    return not at.exception and _public_release_note(at) and not nothing


def _damage(path, damage):
    """Put a damaged copy of the release at *path*, as a new file arrives (written aside, then moved)."""
    aside = path.with_name("incoming.duckdb")
    shutil.copy(path, aside)
    DAMAGE[damage][0](aside)
    os.replace(aside, path)


@pytest.fixture
def public_site(app_env, demo_release, tmp_path, monkeypatch):
    path = shutil.copy(demo_release, tmp_path / "public.duckdb")
    app_env(tmp_path / "staff" / "observatory.duckdb", path)
    monkeypatch.setenv("OBSERVATORY_MODE", "public")
    return path


@pytest.mark.parametrize("damage", SHOWN)
def test_the_public_keeps_the_release_it_was_served(public_site, damage):
    assert _serves_data(start())
    _damage(public_site, damage)
    at = start()
    assert _serves_data(at), [e.value for e in at.exception]


@pytest.mark.parametrize("damage", SHOWN)
def test_a_server_starting_on_a_damaged_release_serves_the_kept_one(public_site, damage):
    shutil.copy(public_site, snapshot.previous_path(public_site))
    _damage(public_site, damage)
    at = start()
    assert _serves_data(at), [e.value for e in at.exception]
    at.switch_page("pages/map.py").run()
    assert not at.exception and at.get("plotly_chart")


def test_with_no_good_release_at_all_the_public_is_told_nothing_is_published(public_site):
    _damage(public_site, "truncated")
    at = start()
    assert not at.exception
    assert next(i.value for i in at.info).startswith("Nothing has been published yet")


@pytest.mark.parametrize("damage", SHOWN)
def test_staff_see_why_on_the_publish_page_and_in_the_audit_log(demo_app, tmp_path, buttons, damage):
    assert _serves_data(start())
    release = tmp_path / "public.duckdb"
    _damage(release, damage)
    assert _serves_data(start())  # the public, after the damage: still the good release
    at = start("pages/publish.py", role="admin")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("was refused and is not served" in w and DAMAGE[damage][1] in w for w in warnings), warnings
    at.switch_page("pages/audit.py").run()
    at.selectbox(key="audit-action").select("release_refused").run()
    details = at.dataframe[0].value["Detail"].tolist()
    assert len(details) == 1 and DAMAGE[damage][1] in details[0]
    # Publishing again replaces the damaged file; the warning goes.
    at.switch_page("pages/publish.py").run()
    at.checkbox(key="publish-confirm").check().run()
    at.button(key="publish-button").click().run()
    assert not at.warning, [w.value for w in at.warning]
    snapshot.verify(release)


@pytest.mark.parametrize("damage", SHOWN)
def test_the_command_line_says_which_release_is_served(demo_release, tmp_path, damage):
    path = shutil.copy(demo_release, tmp_path / "public.duckdb")
    shutil.copy(path, snapshot.previous_path(path))
    out = io.StringIO()
    args = ["publish", "--check", "--db", str(tmp_path / "staff.duckdb"), "--snapshot", str(path)]
    assert cli.main(args, out=out) == 0 and out.getvalue().startswith("release ok")
    _damage(path, damage)
    out = io.StringIO()
    assert cli.main(args, out=out) == 1
    assert "refused: " in out.getvalue() and DAMAGE[damage][1] in out.getvalue()
    assert "is served instead" in out.getvalue()
    assert not (tmp_path / "staff.duckdb").exists()  # the check never opens the staff database


@pytest.mark.parametrize("share", [0.1, 0.5])
def test_a_damaged_staff_database_is_said_in_words(app_env, demo_file, tmp_path, share):
    path = shutil.copy(demo_file, tmp_path / "staff.duckdb")
    os.truncate(path, int(os.path.getsize(path) * share))
    before = path.read_bytes()
    app_env(path)
    at = start()
    assert not at.exception
    assert at.title[0].value == "The observatory is unavailable"
    assert "is damaged and was not opened" in at.error[0].value and "cut short" in at.error[0].value
    assert path.read_bytes() == before


def test_a_newer_staff_database_is_said_in_words(app_env, demo_file, tmp_path):
    path = shutil.copy(demo_file, tmp_path / "staff.duckdb")
    store = connect(path)
    with store.transaction() as cur:
        cur.execute("INSERT INTO schema_version VALUES (999, now())")
    store.close()
    app_env(path)
    at = start(query={"lang": "pt"})
    assert not at.exception
    assert "versão do esquema 999" in at.error[0].value
