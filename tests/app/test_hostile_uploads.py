"""Hostile uploads through the upload page: over the size budgets, an endless GeoPackage view, absurd
headers and mixed encodings are refused in words, with nothing written and no exception."""

import pytest

from observatory.store import connect, queries
from tests.app.helpers import start
from tests.geo.hostile import endless_geopackage

PAGE = "pages/upload.py"
MB = 1_000_000


@pytest.fixture
def editor(demo_app, buttons):
    return start(PAGE, role="editor")


def _errors(at):
    return [e.value for e in at.error]


def _batches(path):
    store = connect(path)
    try:
        return len(queries.batches(store))
    finally:
        store.close()


def test_a_file_over_the_budget_is_refused_before_it_is_read(monkeypatch, demo_app, buttons):
    monkeypatch.setenv("OBSERVATORY_UPLOAD_MAX_FILE_MB", "1")
    at = start(PAGE, role="editor")
    before = _batches(demo_app)
    data = b"indicator,area,period,value\n" + b"burglary,01,2031-01,4\n" * (2 * MB // 22)
    at.file_uploader(key="upload-file").upload("big.csv", data, "text/csv").run()
    assert not at.exception
    assert _errors(at) == [
        "big.csv was refused before it was read: it is 2.0 MB, and a file may be at most 1 MB. Split it "
        "(for example by year) and upload the parts one after the other."
    ]
    assert _batches(demo_app) == before  # not even a check was logged


def test_police_uk_months_over_the_total_are_refused_together(monkeypatch, demo_app, buttons):
    monkeypatch.setenv("OBSERVATORY_UPLOAD_MAX_FILE_MB", "2")
    monkeypatch.setenv("OBSERVATORY_UPLOAD_MAX_REQUEST_MB", "3")
    at = start(PAGE, role="editor", query={"lang": "fr"})
    at.selectbox(key="upload-kind").select("police_uk").run()
    month = b"Crime ID,Month,Crime type\n" + b"x,2031-01,Burglary\n" * (MB // 19 * 3 // 2)
    files = [(f"{m}.csv", month, "text/csv") for m in ("jan", "feb", "mar")]
    at.file_uploader(key="upload-files").set_value(files).run()
    assert not at.exception
    assert len(_errors(at)) == 1 and _errors(at)[0].startswith("Ces 3 fichiers ont été refusés avant lecture")


def test_the_endless_geopackage_is_refused_on_the_page(editor, tmp_path):
    data = endless_geopackage(tmp_path / "endless.gpkg").read_bytes()
    editor.file_uploader(key="upload-file").upload("endless.gpkg", data, "application/octet-stream").run()
    assert not editor.exception
    assert any("holds views (districts)" in e for e in _errors(editor)), _errors(editor)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("long.csv", b"indicator,area,period," + b"v" * 70_000 + b"\n1,2,3,4\n", "far too long"),
        ("wide.csv", (",".join("a" for _ in range(20_000)) + "\n").encode(), "more columns than"),
        (
            "mixed.csv",
            b"indicator,area,period,value\n"
            + "burglary,Sé,2024,3\n".encode()
            + "burglary,Sé,2023,3\n".encode("cp1252"),
            "mixes two character encodings",
        ),
    ],
)
def test_absurd_headers_and_mixed_encodings_are_said_in_words(editor, demo_app, name, data, problem):
    editor.selectbox(key="upload-kind").select("observations").run()
    editor.file_uploader(key="upload-file").upload(name, data, "text/csv").run()
    assert not editor.exception
    problems = [str(v) for table in editor.dataframe for v in table.value.get("Problem", [])]
    assert any(problem in p for p in problems), problems
    assert all(len(str(v)) < 1_000 for table in editor.dataframe for v in table.value.get("Value", []))
