"""Reading the audit log: filters by action, person and days, newest first, pages, download, admins only."""

from datetime import date, datetime

import pytest

from observatory.domain import Actor, PermissionDenied, Role
from observatory.services import audit
from observatory.store import connect

ADMIN = Actor("ana", Role.ADMIN)
# (when, who, action, detail), written out of order on purpose: the log is read by time.
LINES = [
    (datetime(2026, 3, 2, 9, 0), "ana", "create user", "rui as editor"),
    (datetime(2026, 3, 1, 8, 0), "ana", "sign-in", "client ip:1"),
    (datetime(2026, 3, 3, 23, 59), "rui", "import", "batch 4: observations a.csv"),
    (datetime(2026, 3, 4, 0, 0), "rui", "sign-in", "client ip:2"),
    (datetime(2026, 3, 5, 12, 0), "ana", "publish", "public.duckdb: 10 values published"),
]


@pytest.fixture
def store():
    opened = connect(":memory:")
    with opened.transaction() as cur:
        cur.executemany("INSERT INTO audit_log (logged_at, actor, action, detail) VALUES (?, ?, ?, ?)", LINES)
    yield opened
    opened.close()


def _details(found):
    return found.lines["detail"].tolist()


def test_whole_log_newest_first(store):
    found = audit.page(store, audit.AuditFilter(), actor=ADMIN)
    assert found.total == 5 and found.pages == 1 and found.number == 1
    assert found.lines["logged_at"].is_monotonic_decreasing
    assert list(found.lines.columns) == ["id", "logged_at", "actor", "action", "detail"]


def test_filter_by_action(store):
    found = audit.page(store, audit.AuditFilter(action="sign-in"), actor=ADMIN)
    assert _details(found) == ["client ip:2", "client ip:1"]


def test_filter_by_person(store):
    found = audit.page(store, audit.AuditFilter(actor="rui"), actor=ADMIN)
    assert _details(found) == ["client ip:2", "batch 4: observations a.csv"]


def test_filter_by_action_and_person_together(store):
    found = audit.page(store, audit.AuditFilter(action="sign-in", actor="ana"), actor=ADMIN)
    assert _details(found) == ["client ip:1"]


def test_date_range_includes_both_whole_days(store):
    where = audit.AuditFilter(first_day=date(2026, 3, 2), last_day=date(2026, 3, 3))
    found = audit.page(store, where, actor=ADMIN)
    assert _details(found) == ["batch 4: observations a.csv", "rui as editor"]


def test_first_day_alone(store):
    found = audit.page(store, audit.AuditFilter(first_day=date(2026, 3, 4)), actor=ADMIN)
    assert found.total == 2


def test_last_day_alone_excludes_midnight_after_it(store):
    found = audit.page(store, audit.AuditFilter(last_day=date(2026, 3, 3)), actor=ADMIN)
    assert found.total == 3 and "client ip:2" not in _details(found)


def test_filter_matching_nothing_gives_one_empty_page(store):
    found = audit.page(store, audit.AuditFilter(actor="nobody"), actor=ADMIN)
    assert found.lines.empty and found.total == 0 and found.pages == 1


def test_pages_split_the_log(store):
    first = audit.page(store, audit.AuditFilter(), number=1, size=2, actor=ADMIN)
    third = audit.page(store, audit.AuditFilter(), number=3, size=2, actor=ADMIN)
    assert first.pages == 3 and _details(first) == ["public.duckdb: 10 values published", "client ip:2"]
    assert _details(third) == ["client ip:1"]


def test_page_past_the_end_gives_the_last_page(store):
    found = audit.page(store, audit.AuditFilter(), number=99, size=2, actor=ADMIN)
    assert found.number == 3 and _details(found) == ["client ip:1"]


def test_export_holds_every_matching_line(store):
    found = audit.export(store, audit.AuditFilter(actor="ana"), actor=ADMIN)
    assert len(found) == 3 and found["logged_at"].is_monotonic_decreasing


def test_export_is_bounded(store):
    assert len(audit.export(store, audit.AuditFilter(), actor=ADMIN, limit=2)) == 2


def test_choices_list_actions_and_people(store):
    actions, people = audit.choices(store, actor=ADMIN)
    assert actions == ["create user", "import", "publish", "sign-in"]
    assert people == ["ana", "rui"]


def test_a_filter_value_is_a_parameter_not_sql(store):
    found = audit.page(store, audit.AuditFilter(actor="x' OR '1'='1"), actor=ADMIN)
    assert found.total == 0


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.VIEWER, Role.EDITOR])
def test_below_admin_cannot_read_the_log(store, role):
    someone = Actor("rui", role)
    with pytest.raises(PermissionDenied):
        audit.page(store, audit.AuditFilter(), actor=someone)
    with pytest.raises(PermissionDenied):
        audit.export(store, audit.AuditFilter(), actor=someone)
    with pytest.raises(PermissionDenied):
        audit.choices(store, actor=someone)
