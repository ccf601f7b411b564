"""Real browser: the map with a grouping and the funnel plot, and a grouping's profile, as the public
sees them from a release holding the grouping "City centre" (districts 01–04). Screenshots are kept in
tests/app/screenshots/ (map-funnel.png, group-profile.png)."""

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from observatory.domain import Actor, Role
from observatory.services import groups, publish
from observatory.store import connect
from tests.app.test_browser import SHOTS, _open, _shoot, _start_server, _stop, browser, pytestmark  # noqa: F401

ADMIN = Actor("test-setup", Role.ADMIN)


@pytest.fixture(scope="module")
def grouped_server(demo_file, tmp_path_factory):
    work = tmp_path_factory.mktemp("browser-compare")
    db = Path(shutil.copy(demo_file, work / "demo.duckdb"))
    store = connect(db)
    try:
        groups.save_group(store, "centre", "City centre", ["01", "02", "03", "04"], actor=ADMIN)
        publish.publish(store, actor=ADMIN, snapshot_path=work / "public.duckdb", now=datetime(2026, 1, 15))
    finally:
        store.close()
    proc, url = _start_server(db, work, snapshot=work / "public.duckdb")
    try:
        yield url
    finally:
        _stop(proc)


def test_map_with_a_grouping_and_the_funnel(grouped_server, browser):  # noqa: F811
    path = "map?indicator=violence&period=2025&measure=rate&group=centre"
    shot = _shoot(browser, f"{grouped_server}/{path}", "map-funnel", charts=2)
    assert shot.stat().st_size > 20_000


def test_profile_of_a_grouping(grouped_server, browser):  # noqa: F811
    page, _ = _open(browser, f"{grouped_server}/profile?group=centre&year=2025", charts=0)
    # The grouping's table is computed after the title is drawn: wait for it before the shot.
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=120_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)
    page.wait_for_timeout(1500)
    heading = page.locator("h2").first.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / "group-profile.png"
    page.screenshot(path=str(shot), full_page=True)
    exceptions = page.locator('[data-testid="stException"]').count()
    page.close()
    assert exceptions == 0
    assert "City centre" in heading
    assert shot.stat().st_size > 20_000
