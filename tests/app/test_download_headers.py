"""Every table a page shows or lets the reader download has its column headers in the reader's language.

Each dashboard page is opened in Portuguese and in French (signed in, so every table is there); every CSV
and .xlsx its buttons give is read back, and every header must be a translated name: never a stored
column name (``area_code``) and never the English header of a column whose header differs in the
reader's language. The same for the tables the page draws.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from observatory.i18n import catalogue
from tests.app.helpers import start

PAGES = [
    ("pages/overview.py", {"indicator": "burglary"}),
    ("pages/map.py", {"indicator": "burglary"}),
    ("pages/trends.py", {"indicator": "burglary", "districts": "05", "view": "month", "measure": "count"}),
    ("pages/profile.py", {"district": "05"}),
    ("pages/strategy.py", {}),
    ("pages/where.py", {}),
    ("pages/methodology.py", {}),
]
#: A stored column name: lower case words joined by underscores.
RAW = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
#: Coded values the downloads write in words (statuses, verdicts, units, kinds, bases…), by message prefix.
CODED = ("progress", "verdict", "trends.trend", "unit", "polarity", "kind", "total.basis", "change_test")


def _english_only(lang: str) -> set[str]:
    """Headers written in English that read otherwise in ``lang`` (a column's name in both catalogues)."""
    english, local = catalogue("en"), catalogue(lang)
    return {
        english[key]
        for key in english
        if key.startswith("column.") and key in local and local[key] != english[key]
    }


def _untranslated(headers: list[str], lang: str) -> list[str]:
    english = _english_only(lang)
    names = {key.removeprefix("column.") for key in catalogue("en") if key.startswith("column.")}
    return [h for h in headers if RAW.match(h) or h in english or (h in names and h != h.capitalize())]


def _codes() -> set[str]:
    """Every coded value the downloads write in words, as stored (``no_significant_change``, ``on_track``)."""
    english = catalogue("en")
    return {
        key.removeprefix(f"{prefix}.")
        for prefix in CODED
        for key in english
        if key.startswith(f"{prefix}.") and "." not in key.removeprefix(f"{prefix}.")
    }


# By default the viewer in French and the public in Portuguese; the other two pairs in the slow run
# (tests/test_i18n.py checks every key has both languages).
@pytest.mark.parametrize(
    ("role", "lang"),
    [
        pytest.param("viewer", "fr", id="viewer-fr"),
        pytest.param(None, "pt", id="public-pt"),
        pytest.param("viewer", "pt", id="viewer-pt", marks=pytest.mark.slow),
        pytest.param(None, "fr", id="public-fr", marks=pytest.mark.slow),
    ],
)
@pytest.mark.parametrize(("page", "query"), PAGES, ids=[p for p, _ in PAGES])
def test_every_download_and_table_header_is_in_the_readers_language(
    demo_app, downloads, page, query, lang, role
):
    at = start(page, query={**query, "lang": lang}, role=role)
    assert not at.exception
    found: dict[str, list[str]] = {}
    codes = _codes()
    for name, data in downloads.items():
        if name.endswith(".csv"):
            rows = list(csv.reader(data.decode("utf-8-sig").split("\r\n"), delimiter=";"))
            found[name] = rows[0]
            # Coded values are written in words: a cell never holds a stored code with an underscore.
            raw = {cell for row in rows[1:] for cell in row if cell in codes and "_" in cell}
            assert not raw, (name, raw)
        elif name.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(data), read_only=True).active
            found[name] = [str(c) for c in next(sheet.iter_rows(max_row=1, values_only=True))]
    for index, table in enumerate(at.dataframe):
        found[f"table {index}"] = [str(c) for c in table.value.columns]
    assert found, "the page offers tables"
    left = {name: bad for name, headers in found.items() if (bad := _untranslated(headers, lang))}
    assert left == {}


@pytest.mark.parametrize(("role", "lang"), [("viewer", "fr"), (None, "pt")])
def test_a_groupings_download_header_and_codes_are_in_the_readers_language(
    grouped_app, downloads, role, lang
):
    at = start("pages/profile.py", query={"group": "centre", "year": "2025", "lang": lang}, role=role)
    assert not at.exception
    codes = _codes() | {"result", "activity", "context", "bounded", "at_least", "sum", "own"}
    name = next(n for n in downloads if n.startswith("group-centre") and n.endswith(".csv"))
    rows = list(csv.reader(downloads[name].decode("utf-8-sig").split("\r\n"), delimiter=";"))
    assert _untranslated(rows[0], lang) == []
    assert not {cell for row in rows[1:] for cell in row if cell in codes}
