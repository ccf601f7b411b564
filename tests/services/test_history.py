"""The import history: filters, short digests, stored reports, what may be rolled back, roles."""

import shutil

import pytest

from observatory.domain import Actor, ImportKind, NotFound, PermissionDenied, Role
from observatory.services import history, imports
from observatory.store import connect

EDITOR = Actor("rita", Role.EDITOR)
VIEWER = Actor("vera", Role.VIEWER)
GOOD = b"indicator,area,period,value\nburglary,01,2016-01,99\n"
BAD = b"indicator,area,period,value\nburglary,99,2016-01,3\n"


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def _import(store, data, *, dry_run=False):
    return imports.import_table(
        store, ImportKind.OBSERVATIONS, data, "obs.csv", actor=EDITOR, dry_run=dry_run
    )


def test_newest_batch_comes_first_with_a_short_digest(store):
    report = _import(store, GOOD)
    frame = history.batches(store)
    assert frame["id"].iloc[0] == report.batch_id
    assert frame["sha256_short"].iloc[0] == report.sha256[: history.SHORT_SHA]
    assert frame["id"].is_monotonic_decreasing


def test_filter_by_state_and_kind(store):
    _import(store, GOOD, dry_run=True)
    _import(store, BAD)
    assert set(history.batches(store, states=("failed",))["state"]) == {"failed"}
    assert set(history.batches(store, kinds=("partners",))["kind"]) == {"partners"}
    both = history.batches(store, states=("dry_run",), kinds=("observations",))
    assert len(both) == 1


def test_kinds_lists_what_the_log_holds(store):
    assert {"observations", "areas", "partners"} <= set(history.kinds(store))


def test_detail_of_a_failed_batch_names_row_and_column(store):
    report = _import(store, BAD)
    found = history.detail(store, report.batch_id)
    issue = found.issues.iloc[0]
    assert (issue["row"], issue["column"], issue["code"]) == (1, "area", "unknown-area")
    assert found.detected == {"encoding": "utf-8", "delimiter": ",", "decimal": "."}
    assert not found.can_roll_back


def test_only_a_committed_import_can_be_rolled_back(store):
    report = _import(store, GOOD)
    assert history.detail(store, report.batch_id).can_roll_back
    new_id = imports.rollback(store, report.batch_id, actor=EDITOR)
    assert not history.detail(store, report.batch_id).can_roll_back
    assert not history.detail(store, new_id).can_roll_back


def test_detail_of_an_unknown_batch(store):
    with pytest.raises(NotFound):
        history.detail(store, 10_000)


@pytest.mark.parametrize("actor", [VIEWER, Actor("anonymous", Role.PUBLIC)], ids=["viewer", "anonymous"])
def test_roles_below_editor_may_not_roll_back(store, actor):
    report = _import(store, GOOD)
    with pytest.raises(PermissionDenied):
        imports.rollback(store, report.batch_id, actor=actor)
    assert history.detail(store, report.batch_id).can_roll_back


def test_viewer_may_not_import_boundaries(store):
    with pytest.raises(PermissionDenied):
        imports.import_boundaries(store, b"{}", "x.geojson", code_field="c", name_field="n", actor=VIEWER)


def test_filters_apply_before_the_limit(store):
    failed = _import(store, BAD)
    for _ in range(3):
        _import(store, GOOD, dry_run=True)
    assert history.batches(store, states=("failed",), limit=1)["id"].tolist() == [failed.batch_id]
