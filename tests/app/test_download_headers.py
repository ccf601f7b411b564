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
from tests.app.helpers import official

PAGES = [
    ("pages/overview.py", {"indicator": "burglary"}),
    ("pages/map.py", {"indicator": "burglary"}),
    ("pages/trends.py", {"indicator": "burglary", "districts": "05", "view": "month"}),
    ("pages/profile.py", {"district": "05"}),
    ("pages/strategy.py", {}),
    ("pages/where.py", {}),
    ("pages/methodology.py", {}),
]
#: A stored column name: lower case words joined by underscores.
RAW = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


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


# French by default, Portuguese in the slow run (tests/test_i18n.py checks every key has both).
@pytest.mark.parametrize("lang", [pytest.param("pt", marks=pytest.mark.slow), "fr"])
@pytest.mark.parametrize(("page", "query"), PAGES, ids=[p for p, _ in PAGES])
def test_every_download_and_table_header_is_in_the_readers_language(demo_app, downloads, page, query, lang):
    at = official(page, query={**query, "lang": lang})
    assert not at.exception
    found: dict[str, list[str]] = {}
    for name, data in downloads.items():
        if name.endswith(".csv"):
            first = data.decode("utf-8-sig").split("\r\n", 1)[0]
            found[name] = next(csv.reader([first], delimiter=";"))
        elif name.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(data), read_only=True).active
            found[name] = [str(c) for c in next(sheet.iter_rows(max_row=1, values_only=True))]
    for index, table in enumerate(at.dataframe):
        found[f"table {index}"] = [str(c) for c in table.value.columns]
    assert found, "the page offers tables"
    left = {name: bad for name, headers in found.items() if (bad := _untranslated(headers, lang))}
    assert left == {}
