"""The generated bad-file corpus (tests/corpus/generated.py): each case rejected with its code, row, column.

The reference is the demo city's, since the cases are mutations of the demo files.
"""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from observatory.domain import ImportKind, Severity
from observatory.ingest import parse
from observatory.services import imports
from observatory.services.demo import DEMO_ACTOR
from observatory.store import connect, queries
from observatory.store.schema import TABLES
from tests.corpus.generated import cases
from tests.corpus.mutations import base_table, to_bytes

CASES = cases()


@pytest.fixture(scope="module")
def reference(demo_file):
    store = connect(demo_file)
    try:
        return imports.build_reference(store)
    finally:
        store.close()


def test_generated_corpus_has_at_least_two_hundred_distinct_cases() -> None:
    assert len(CASES) >= 200
    assert len({c.name for c in CASES}) == len(CASES)
    assert len({c.data for c in CASES}) >= 200  # distinct files, not one file under many names


def test_generated_corpus_covers_every_table_kind_and_family() -> None:
    kinds = Counter(c.kind for c in CASES)
    # Contracts (rows of cohorts) have their own corpus: tests/corpus/con_*.csv and tests/services.
    assert set(kinds) == {k for k in ImportKind if k not in (ImportKind.AREAS, ImportKind.CONTRACTS)}
    codes = {c.code for c in CASES}
    for code in ("encoding-error", "source-error", "blank-header", "duplicate-label", "missing-label"):
        assert code in codes
    for code in (
        "extra-cell",
        "missing-cell",
        "type-error",
        "constraint-error",
        "primary-key",
        "foreign-key",
    ):
        assert code in codes
    assert {"unknown-area", "unknown-indicator", "code-lost-leading-zero"} <= codes


@pytest.mark.parametrize("kind", [k for k in ImportKind if k not in (ImportKind.AREAS, ImportKind.CONTRACTS)])
def test_unmutated_base_file_is_valid(kind: ImportKind, reference) -> None:
    """Guards the corpus itself: each case's error comes from its mutation, not from the base."""
    parsed = parse(kind, to_bytes(base_table(kind)), "base.csv", reference)
    assert parsed.report.ok, parsed.report.to_text()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_generated_case_is_rejected_with_its_code_row_and_column(case, reference) -> None:
    parsed = parse(case.kind, case.data, f"{case.name}.csv", reference)
    found = {(i.code, i.row, i.column) for i in parsed.report.issues if i.severity is Severity.ERROR}
    assert (case.code, case.row, case.column) in found, parsed.report.to_text()
    assert parsed.frame is None
    assert parsed.report.status == "invalid"


def test_whole_corpus_through_the_import_service_writes_no_row(demo_file, tmp_path) -> None:
    store = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    try:
        before = {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}
        committed_before = _committed(store)
        statuses = Counter()
        for case in CASES:
            report = imports.import_table(store, case.kind, case.data, f"{case.name}.csv", actor=DEMO_ACTOR)
            statuses[report.status] += 1
        after = {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}
        committed_after = _committed(store)
    finally:
        store.close()
    assert statuses == Counter({"invalid": len(CASES)})
    assert after == before
    assert committed_after == committed_before


def _committed(store) -> int:
    return int(store.scalar("SELECT count(*) FROM batches WHERE state = 'committed'"))
