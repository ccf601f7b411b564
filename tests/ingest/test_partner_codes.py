"""Partner codes accept only a safe character set; the error names the file's row and column."""

from __future__ import annotations

import pytest

from observatory.domain import ImportKind
from observatory.ingest import parse
from tests.ingest.reference import REFERENCE

HEAD = "code,name,sector\n"


def _issues(code: str):
    row = f'"{code}",Junta,public\n' if code else ""
    return parse(
        ImportKind.PARTNERS, (HEAD + "P01,Câmara,public\n" + row).encode(), "partners.csv", REFERENCE
    ).report


@pytest.mark.parametrize(
    "code",
    [
        "<a href='http://x'>P</a>",
        "[P](http://x)",
        "P 02",
        "=cmd|' /C calc'!A0",
        "P\u200b3",
        "P\t4",
        "-P5",
        "P" * 41,
        "Pé",
    ],
)
def test_a_code_outside_the_safe_set_is_refused_naming_row_and_column(code):
    report = _issues(code)
    found = [(i.code, i.row, i.column) for i in report.issues]
    assert ("unsafe-code", 2, "code") in found
    assert not report.ok


@pytest.mark.parametrize("code", ["P02", "p_2", "JF-01", "A.B", "7"])
def test_ordinary_codes_pass(code):
    report = _issues(code)
    assert [i.code for i in report.issues if i.code == "unsafe-code"] == []
