"""AppTest of the Audit log page as an admin: newest first, filters, pages, download; nothing editable."""

from datetime import date, datetime, timedelta

import pytest

from observatory.store import connect
from tests.app.helpers import start

pytestmark = pytest.mark.usefixtures("buttons")

PAGE = "pages/audit.py"
DAY = datetime(2030, 6, 1, 8, 0)  # later than anything the demo or the sign-in writes


@pytest.fixture
def logged(demo_app):
    """The demo database with 3 known lines and 250 machine lines on 1–3 June 2030."""
    store = connect(demo_app)
    lines = [
        (DAY, "rita", "import", "batch 90: observations may.csv"),
        (DAY + timedelta(days=1), "rita", "rollback", "batch 90 rolled back by batch 91"),
        (DAY + timedelta(days=2), "ana", "import", "batch 92: observations june.csv"),
    ]
    lines += [(DAY + timedelta(minutes=i), "robot", "sign-out", f"tick {i}") for i in range(1, 251)]
    with store.transaction() as cur:
        cur.executemany("INSERT INTO audit_log (logged_at, actor, action, detail) VALUES (?, ?, ?, ?)", lines)
    store.close()
    return demo_app


def _admin(**query):
    return start(PAGE, role="admin", query=query or None)


def _lines(at):
    return at.dataframe[0].value


def test_newest_first_with_a_count(logged):
    at = _admin()
    assert not at.exception
    table = _lines(at)
    assert list(table.columns) == ["When (UTC)", "Who", "Action", "Detail"]
    assert table["Detail"].iloc[0] == "batch 92: observations june.csv"
    assert table["When (UTC)"].iloc[0] == "3 Jun 2030, 08:00:00"
    assert len(table) == 100
    assert at.caption[1].value.startswith("Lines 1–100 of ")


def test_filter_by_action(logged):
    at = _admin()
    at.selectbox(key="audit-action").select("import").run()
    assert _lines(at)["Detail"].tolist()[:2] == [
        "batch 92: observations june.csv",
        "batch 90: observations may.csv",
    ]
    assert set(_lines(at)["Action"]) == {"import"}


def test_filter_by_person(logged):
    at = _admin()
    at.selectbox(key="audit-person").select("rita").run()
    assert _lines(at)["Action"].tolist() == ["rollback", "import"]


def test_filter_by_days(logged):
    at = _admin()
    at.date_input(key="audit-days").set_value((date(2030, 6, 2), date(2030, 6, 2))).run()
    assert _lines(at)["Detail"].tolist() == ["batch 90 rolled back by batch 91"]


def test_filters_together(logged):
    at = _admin()
    at.selectbox(key="audit-action").select("import")
    at.selectbox(key="audit-person").select("ana").run()
    assert _lines(at)["Detail"].tolist() == ["batch 92: observations june.csv"]


def test_nothing_matching_says_so(logged):
    at = _admin()
    at.date_input(key="audit-days").set_value((date(2031, 1, 1), date(2031, 1, 2))).run()
    assert at.info[0].value == "No line matches these filters."
    assert not at.dataframe


def test_pages_of_a_long_log(logged):
    at = _admin()
    at.selectbox(key="audit-person").select("robot").run()
    assert at.caption[1].value == "Lines 1–100 of 250"
    at.number_input(key="audit-page").set_value(3).run()
    assert at.caption[1].value == "Lines 201–250 of 250"
    assert _lines(at)["Detail"].tolist()[-1] == "tick 1"


def test_a_new_filter_starts_on_its_first_page(logged):
    at = _admin()
    at.number_input(key="audit-page").set_value(2).run()
    at.selectbox(key="audit-person").select("robot").run()
    assert at.caption[1].value == "Lines 1–100 of 250"


def test_download_is_offered(logged):
    at = _admin()
    button = at.get("download_button")[0]
    assert button.proto.label == "Download as CSV (the newest 100,000 lines at most)"


def test_nothing_can_be_edited_or_deleted(logged):
    at = _admin()
    assert not at.get("data_editor")
    assert [b.key for b in at.button] == ["sign-out"]


def test_every_language_renders(logged):
    for lang, title in (("en", "Audit log"), ("pt", "Registo de auditoria"), ("fr", "Journal d'audit")):
        at = _admin(lang=lang)
        assert not at.exception, lang
        assert at.title[0].value == title
