"""Real browser, signed in as an editor: upload a file, check it, commit it, roll it back in the history."""

import shutil
from pathlib import Path

import pytest

from observatory.store import connect, queries
from observatory.store.schema import TABLES
from tests.app.helpers import PASSWORD, ensure_account
from tests.app.test_browser import CHROMIUM, SHOTS, _menu, _settle, _start_server, _stop, browser  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

GOOD = b"indicator,area,period,value\nburglary,01,2016-01,99\nburglary,01,2031-01,4\n"


def _tables(path: Path) -> dict[str, str]:
    store = connect(path)
    try:
        return {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}
    finally:
        store.close()


def test_upload_commit_and_rollback_in_a_real_browser(demo_file, browser, tmp_path):  # noqa: F811
    db = Path(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
    ensure_account("editor", db=str(db))
    before = _tables(db)
    proc, url = _start_server(db, tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(f"{url}/signin", wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=60_000)
        page.get_by_label("User name").fill("editor")
        page.locator('input[type="password"]').fill(PASSWORD)
        page.keyboard.press("Enter")
        _settle(page)
        _menu(page, "Upload")
        upload = tmp_path / "obs.csv"
        upload.write_bytes(GOOD)
        page.locator('input[type="file"]').set_input_files(str(upload))
        page.get_by_text("obs.csv is valid and can be committed.").wait_for(timeout=60_000)
        page.get_by_role("button", name="Commit").click()
        page.get_by_text("saved as batch", exact=False).first.wait_for(timeout=60_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "upload-committed.png"), full_page=True)
        _menu(page, "History")
        page.get_by_role("button", name="Roll back this batch").click()
        _settle(page)
        page.get_by_role("button", name="Yes, roll it back").click()
        page.get_by_text("was rolled back", exact=False).wait_for(timeout=60_000)
        page.screenshot(path=str(SHOTS / "history-rolled-back.png"), full_page=True)
        exceptions = page.locator('[data-testid="stException"]').count()
        page.close()
    finally:
        _stop(proc)
    assert exceptions == 0
    assert _tables(db) == before
