"""Every named bad file in tests/corpus/ yields its expected issue and no frame."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from observatory.domain import ImportKind, Severity
from observatory.ingest import parse
from tests.ingest.reference import REFERENCE

CORPUS = Path(__file__).parent.parent / "corpus"
with (CORPUS / "expected.csv").open(newline="", encoding="utf-8") as handle:
    EXPECTED = list(csv.DictReader(handle))


def test_corpus_has_at_least_forty_files_across_all_kinds() -> None:
    assert len(EXPECTED) >= 40
    assert {row["kind"] for row in EXPECTED} == {str(k) for k in ImportKind if k is not ImportKind.AREAS}
    assert {p.name for p in CORPUS.glob("*.csv")} - {"expected.csv"} == {row["file"] for row in EXPECTED}


@pytest.mark.parametrize("case", EXPECTED, ids=[row["file"] for row in EXPECTED])
def test_corpus_file_yields_expected_issue(case: dict[str, str]) -> None:
    data = (CORPUS / case["file"]).read_bytes()
    parsed = parse(ImportKind(case["kind"]), data, case["file"], REFERENCE)
    found = {(i.code, i.row, i.column) for i in parsed.report.issues if i.severity is Severity.ERROR}
    expected = (case["code"], int(case["row"]), case["column"] or None)
    assert expected in found, parsed.report.to_text()
    assert parsed.frame is None
    assert parsed.report.status == "invalid"
