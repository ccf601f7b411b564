"""The Publish page's reads: the dry run of the disclosure, and the release the public reads now."""

import shutil
from datetime import datetime

import pytest

from observatory.domain import Actor, PermissionDenied, Role
from observatory.services import publish
from observatory.store import connect

ADMIN = Actor("ana", Role.ADMIN)
WHEN = datetime(2026, 1, 5, 9, 30)


@pytest.fixture
def staff(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    yield opened
    opened.close()


def _current(path):
    opened = connect(path, read_only=True)
    try:
        return publish.current_release(opened, path)
    finally:
        opened.close()


def test_dry_run_equals_what_publishing_holds(staff, tmp_path):
    dry = publish.preview(staff, actor=ADMIN)
    release = publish.publish(staff, actor=ADMIN, snapshot_path=tmp_path / "public.duckdb", now=WHEN)
    assert dry == release.figures
    assert dry == _current(release.path).figures
    assert dry.suppressed_primary > 0 and dry.suppressed_secondary > 0 and dry.not_published > 0


def test_dry_run_writes_nothing(staff, tmp_path):
    audit_lines = staff.scalar("SELECT count(*) FROM audit_log")
    publish.preview(staff, actor=ADMIN)
    assert staff.scalar("SELECT count(*) FROM audit_log") == audit_lines
    assert list(tmp_path.iterdir()) == [tmp_path / "staff.duckdb"]


def test_dry_run_follows_the_data(staff):
    before = publish.preview(staff, actor=ADMIN)
    with staff.transaction() as cur:
        cur.execute(
            "UPDATE observations SET status = 'not_published', value = NULL WHERE value >= 5 AND rowid < 3"
        )
    after = publish.preview(staff, actor=ADMIN)
    assert after.not_published > before.not_published


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.VIEWER, Role.EDITOR])
def test_dry_run_below_admin_is_refused(staff, role):
    with pytest.raises(PermissionDenied):
        publish.preview(staff, actor=Actor("rui", role))


def test_current_release_reads_the_release_table(staff, tmp_path):
    target = tmp_path / "public.duckdb"
    publish.publish(staff, actor=ADMIN, snapshot_path=target, now=WHEN)
    found = _current(target)
    assert found.published_at == WHEN and found.path == target and found.previous is None


def test_current_release_names_the_kept_previous_one(staff, tmp_path):
    target = tmp_path / "public.duckdb"
    publish.publish(staff, actor=ADMIN, snapshot_path=target, now=WHEN)
    publish.publish(staff, actor=ADMIN, snapshot_path=target, now=datetime(2026, 2, 1))
    found = _current(target)
    assert found.published_at == datetime(2026, 2, 1)
    assert found.previous == tmp_path / "public.previous.duckdb"


def test_nothing_published_gives_none(tmp_path):
    assert publish.current_release(None, tmp_path / "public.duckdb") is None


def test_release_figures_round_trip_through_a_row():
    figures = publish.Figures(10, 6, 2, 1, 1, 3, 2)
    assert publish.Figures.from_row(figures.as_row()) == figures
