"""The series-break register: add, edit, remove, rights and audit."""

import shutil
from datetime import date

import pytest

from observatory.domain import Actor, NotFound, PermissionDenied, Role
from observatory.services import breaks, trends, views
from observatory.store import connect

EDITOR = Actor("rita", Role.EDITOR)
JULY = date(2025, 7, 1)


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def _audit(store):
    return [r[0] for r in store.rows("SELECT action FROM audit_log ORDER BY id")]


def test_added_break_is_listed_and_drawn_by_trends(store):
    breaks.add_break(store, "violence", JULY, " new definitions ", actor=EDITOR)
    listed = breaks.list_breaks(store)
    assert listed.to_dict("records") == [
        {"indicator_code": "violence", "break_date": JULY, "note": "new definitions"}
    ]
    assert trends.series_breaks(store, views.indicator(store, "violence")) == [(JULY, "new definitions")]
    assert _audit(store)[-1] == "add_series_break"


def test_same_break_twice_is_refused(store):
    breaks.add_break(store, "violence", JULY, actor=EDITOR)
    with pytest.raises(breaks.BreakExists):
        breaks.add_break(store, "violence", JULY, actor=EDITOR)


def test_break_of_unknown_indicator_is_refused(store):
    with pytest.raises(NotFound):
        breaks.add_break(store, "nothing", JULY, actor=EDITOR)


def test_edit_moves_the_break_and_keeps_the_note(store):
    breaks.add_break(store, "violence", JULY, "kept", actor=EDITOR)
    breaks.edit_break(store, "violence", JULY, actor=EDITOR, new_date=date(2025, 8, 1))
    assert breaks.list_breaks(store, "violence").to_dict("records") == [
        {"indicator_code": "violence", "break_date": date(2025, 8, 1), "note": "kept"}
    ]
    assert _audit(store)[-1] == "edit_series_break"


def test_edit_onto_another_break_is_refused(store):
    breaks.add_break(store, "violence", JULY, actor=EDITOR)
    breaks.add_break(store, "violence", date(2020, 1, 1), actor=EDITOR)
    with pytest.raises(breaks.BreakExists):
        breaks.edit_break(store, "violence", JULY, actor=EDITOR, new_date=date(2020, 1, 1))


def test_edit_of_missing_break_is_not_found(store):
    with pytest.raises(NotFound):
        breaks.edit_break(store, "violence", JULY, actor=EDITOR, note="x")


def test_remove_deletes_and_is_audited(store):
    breaks.add_break(store, "violence", JULY, actor=EDITOR)
    breaks.remove_break(store, "violence", JULY, actor=EDITOR)
    assert breaks.list_breaks(store).empty
    assert _audit(store)[-1] == "remove_series_break"


def test_remove_of_missing_break_is_not_found(store):
    with pytest.raises(NotFound):
        breaks.remove_break(store, "violence", JULY, actor=EDITOR)


@pytest.mark.parametrize(
    "call",
    [
        lambda s, a: breaks.add_break(s, "violence", JULY, actor=a),
        lambda s, a: breaks.edit_break(s, "violence", JULY, actor=a, note="x"),
        lambda s, a: breaks.remove_break(s, "violence", JULY, actor=a),
    ],
    ids=["add", "edit", "remove"],
)
def test_viewer_may_not_edit_breaks(store, call):
    with pytest.raises(PermissionDenied):
        call(store, Actor("v", Role.VIEWER))
