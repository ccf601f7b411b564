"""AppTest of the import history: the list, filters, a batch's report, rollback with confirmation, roles."""

import io

import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import groups, imports
from observatory.store import connect, queries
from observatory.store.schema import TABLES
from tests.app.helpers import start

PAGE = "pages/history.py"
RITA = Actor("rita", Role.EDITOR)
GOOD = b"indicator,area,period,value\nburglary,01,2016-01,99\nburglary,01,2031-01,4\n"
AGAIN = b"indicator,area,period,value\nburglary,01,2016-01,55\n"
BROKEN = b"indicator,area,period,value\nburglary,01,2016-01,99\nburglary,99,2016-01,3\n"


def _tables(path) -> dict[str, str]:
    """Every data table as CSV text: equal text means byte-for-byte equal tables."""
    store = connect(path)
    try:
        return {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}
    finally:
        store.close()


def _import(path, data, name="obs.csv", *, dry_run=False):
    store = connect(path)
    try:
        return imports.import_table(store, ImportKind.OBSERVATIONS, data, name, actor=RITA, dry_run=dry_run)
    finally:
        store.close()


def _list(at) -> pd.DataFrame:
    return next(t.value for t in at.dataframe if "SHA-256" in t.value.columns)


def _issues(at) -> pd.DataFrame:
    return next(t.value for t in at.dataframe if "Message" in t.value.columns)


def _buttons(at) -> set[str]:
    return {b.key for b in at.button}


# Every test as an editor; as an admin too in the slow run (one admin rollback runs by default, below).
@pytest.fixture(params=["editor", pytest.param("admin", marks=pytest.mark.slow)])
def role(request, demo_app, buttons):
    return request.param


def test_every_batch_is_listed_newest_first_with_a_short_digest(demo_app, role):
    report = _import(demo_app, GOOD, dry_run=True)
    at = start(PAGE, role=role)
    assert not at.exception
    listed = _list(at)
    assert listed["Batch"].iloc[0] == report.batch_id
    assert listed["Batch"].is_monotonic_decreasing
    assert listed["SHA-256"].iloc[0] == report.sha256[:12]
    assert (listed["Who"].iloc[0], listed["State"].iloc[0], listed["File"].iloc[0]) == (
        "rita",
        "check only",
        "obs.csv",
    )


def test_detail_shows_the_full_digest(demo_app, role):
    report = _import(demo_app, GOOD)
    at = start(PAGE, role=role)
    assert at.selectbox(key="history-batch").value == report.batch_id
    assert at.code[0].value == report.sha256
    assert any(c.value == "Detected: encoding utf-8, delimiter “,”, decimal point." for c in at.caption)


def test_detail_names_a_tab_delimiter_in_words(demo_app, role):
    _import(demo_app, GOOD.replace(b",", b"\t"), "obs.tsv")
    at = start(PAGE, role=role)
    assert any("delimiter “tab”" in c.value for c in at.caption)


def test_filter_by_state_keeps_only_that_state(demo_app, role):
    _import(demo_app, GOOD, dry_run=True)
    failed = _import(demo_app, BROKEN, "broken.csv")
    at = start(PAGE, role=role)
    at.multiselect(key="history-state").select("failed").run()
    listed = _list(at)
    assert listed["Batch"].tolist() == [failed.batch_id]
    assert set(listed["State"]) == {"refused"}


def test_filter_by_kind(demo_app, role):
    at = start(PAGE, role=role)
    at.multiselect(key="history-kind").select("partners").run()
    assert set(_list(at)["Kind"]) == {"partners"}


def test_failed_batch_shows_its_stored_issues_with_row_and_column(demo_app, role):
    failed = _import(demo_app, BROKEN, "broken.csv")
    at = start(PAGE, role=role)
    at.selectbox(key="history-batch").select(failed.batch_id).run()
    issues = _issues(at)
    assert (issues["Row"].iloc[0], issues["Column"].iloc[0], issues["Value"].iloc[0]) == (2, "area", "99")
    assert "history-rollback" not in _buttons(at)


def test_a_check_only_batch_cannot_be_rolled_back(demo_app, role):
    _import(demo_app, GOOD, dry_run=True)
    at = start(PAGE, role=role)
    assert "history-rollback" not in _buttons(at)


def test_rollback_asks_for_confirmation_and_cancel_keeps_everything(demo_app, role):
    _import(demo_app, GOOD)
    after_import = _tables(demo_app)
    at = start(PAGE, role=role)
    at.button(key="history-rollback").click().run()
    assert any("Roll back batch" in w.value for w in at.warning)
    assert _tables(demo_app) == after_import
    at.button(key="history-cancel").click().run()
    assert {"history-confirm", "history-cancel"}.isdisjoint(_buttons(at))
    assert _tables(demo_app) == after_import


def test_upload_commit_then_rollback_restores_the_store_exactly(demo_app, role):
    before = _tables(demo_app)
    at = start("pages/upload.py", role=role)
    at.file_uploader(key="upload-file").upload("obs.csv", GOOD, "text/csv").run()
    at.button(key="upload-commit").click().run()
    assert _tables(demo_app) != before
    at.switch_page(PAGE).run()
    listed = _list(at)
    committed = int(listed["Batch"].iloc[0])
    assert (listed["Kind"].iloc[0], listed["State"].iloc[0]) == ("observations", "committed")
    at.button(key="history-rollback").click().run()
    at.button(key="history-confirm").click().run()
    assert not at.exception
    assert _tables(demo_app) == before
    listed = _list(at)
    assert (listed["Kind"].iloc[0], listed["Undoes batch"].iloc[0]) == ("rollback", committed)
    assert listed.loc[listed["Batch"] == committed, "State"].tolist() == ["rolled back"]
    assert any(f"Batch {committed} was rolled back" in s.value for s in at.success)


def test_refused_rollback_is_explained_in_words(demo_app, role):
    first = _import(demo_app, GOOD)
    _import(demo_app, AGAIN)  # a later batch changed the same row
    kept = _tables(demo_app)
    at = start(PAGE, role=role)
    at.selectbox(key="history-batch").select(first.batch_id).run()
    at.button(key="history-rollback").click().run()
    at.button(key="history-confirm").click().run()
    assert not at.exception
    assert any(
        e.value.startswith("Rollback refused.") and "roll those back first" in e.value for e in at.error
    )
    assert _tables(demo_app) == kept


def test_batch_list_downloads_as_csv_with_full_digests(demo_app, buttons, downloads):
    report = _import(demo_app, GOOD)
    start(PAGE, role="editor")
    listed = pd.read_csv(io.BytesIO(downloads["import-history.csv"]), dtype=str)
    first = listed.iloc[0]
    assert (int(first["id"]), first["sha256"]) == (report.batch_id, report.sha256)


@pytest.mark.parametrize("visitor", [None, "viewer"])
def test_page_is_not_routable_below_editor(demo_app, visitor):
    at = start(role=visitor)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_an_admin_rolls_back_like_an_editor(demo_app, buttons):
    test_upload_commit_then_rollback_restores_the_store_exactly(demo_app, "admin")


def test_undoing_a_grouping_an_action_names_is_refused_in_the_deletions_words(demo_app, buttons):
    store = connect(demo_app)
    try:
        made = groups.save_group(store, "west", "West", ["06", "07"], actor=RITA)
        objective = store.rows("SELECT code FROM objectives ORDER BY code LIMIT 1")[0][0]
        action = f"code,objective,title,lead_partner,areas\nACW,{objective},Patrols,P01,west\n".encode()
        assert imports.import_table(store, ImportKind.ACTIONS, action, "a.csv", actor=RITA).ok
    finally:
        store.close()
    kept = _tables(demo_app)
    at = start(PAGE, role="editor")
    at.selectbox(key="history-batch").select(made.batch_id).run()
    at.button(key="history-rollback").click().run()
    at.button(key="history-confirm").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Not undone: the grouping west is the area of action ACW. Change those first."
    ]
    assert _tables(demo_app) == kept
