"""Contracts imported from one CSV file (a row per cohort): all or nothing, previewed, undone."""

from __future__ import annotations

import shutil

import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import contracts, imports, uploads
from observatory.store import connect
from observatory.store import contracts as stored

EDITOR = Actor("editor", Role.EDITOR)
HEADER = (
    "code,title,indicator,comparison_areas,baseline_start,start,end,"
    "investors,providers,payers,evaluators,cohort,areas,threshold,payment,due"
)
CONTROLS = "|".join(f"{i:02d}" for i in range(1, 21) if f"{i:02d}" not in ("01", "05", "12", "18"))


def _file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _row(cohort: str, areas: str, threshold: str, payment: str, *, parties: str = "P09,P02,P01,P05") -> str:
    return (
        f"SIB1,Home-security bond,burglary,{CONTROLS},2019-01-01,2023-01-01,2025-12-31,"
        f"{parties},{cohort},{areas},{threshold},{payment},2026-06-30"
    )


GOOD = _file(
    _row("all", "01|05|12|18", "0.075", "500000"),
    _row("centre", "01|05", "0.1", "120000"),
    _row("quiet", "11", "0.075", "80000"),
)


@pytest.fixture
def store(demo_file, tmp_path):
    staff = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    yield staff
    staff.close()


def _import(store, data: bytes, *, dry_run: bool = False, preview_rows: int = 0):
    return imports.import_table(
        store,
        ImportKind.CONTRACTS,
        data,
        "contracts.csv",
        actor=EDITOR,
        dry_run=dry_run,
        preview_rows=preview_rows,
    )


def test_a_file_is_recognised_and_its_template_parses(store) -> None:
    assert uploads.recognise(GOOD, "c.csv") is uploads.KINDS["contracts"]
    template = imports.template(ImportKind.CONTRACTS)
    assert imports.detect_kind(template, "t.csv") is ImportKind.CONTRACTS


def test_imported_contract_is_stored_with_parties_cohorts_and_measured(store) -> None:
    report = _import(store, GOOD)
    assert report.ok and report.created == 1, report.to_text()
    parties = stored.parties(store)
    assert sorted(zip(parties["partner_code"], parties["role"], strict=True)) == [
        ("P01", "payer"),
        ("P02", "provider"),
        ("P05", "evaluator"),
        ("P09", "investor"),
    ]
    got = contracts.results(store).set_index("cohort")
    assert list(got.index) == ["all", "centre", "quiet"]
    assert got.loc["all", "status"] == "met" and got.loc["all", "payment_due"] == 500_000
    assert got.loc["quiet", "status"] == "not_met" and got.loc["quiet", "payment_due"] == 0
    assert got.loc["centre", "threshold"] == pytest.approx(0.1)


def test_a_preview_writes_nothing_and_lists_the_rows(store) -> None:
    report = _import(store, GOOD, dry_run=True, preview_rows=10)
    assert report.ok and report.dry_run
    assert report.changes is not None and len(report.changes) >= 1
    assert stored.contracts(store).empty and stored.cohorts(store).empty


def test_undo_removes_the_contract_with_its_parties_and_cohorts(store) -> None:
    report = _import(store, GOOD)
    imports.rollback(store, report.batch_id, actor=Actor("admin", Role.ADMIN))
    assert stored.contracts(store).empty and stored.cohorts(store).empty and stored.parties(store).empty


def test_a_new_file_replaces_the_contracts_parties_and_cohorts_whole(store) -> None:
    _import(store, GOOD)
    report = _import(store, _file(_row("all", "01|05|12|18", "0.05", "400000", parties=",,P01,")))
    assert report.ok, report.to_text()
    assert list(stored.cohorts(store)["cohort"]) == ["all"]
    assert list(stored.parties(store)["role"]) == ["payer"]


def test_one_bad_cell_refuses_the_whole_file_naming_file_row_and_column(store) -> None:
    bad = _file(
        _row("all", "01|05|12|18", "0.075", "500000"),
        _row("centre", "01|05", "1.5", "120000"),
        _row("quiet", "11|77", "0.075", "-3"),
    )
    report = _import(store, bad)
    assert not report.ok
    found = {(i.file, i.row, i.column, i.code) for i in report.errors}
    assert ("contracts.csv", 2, "threshold", "constraint-error") in found
    assert ("contracts.csv", 3, "areas", "foreign-key") in found
    assert ("contracts.csv", 3, "payment", "constraint-error") in found
    assert stored.contracts(store).empty and stored.cohorts(store).empty


def test_rows_of_one_contract_must_agree_on_the_contract(store) -> None:
    other = _row("centre", "01|05", "0.1", "120000").replace("burglary", "vandalism")
    report = _import(store, _file(_row("all", "01|05|12|18", "0.075", "500000"), other))
    issue = next(i for i in report.errors if i.column == "indicator")
    assert issue.row == 2 and "differs from row 1" in issue.message


def test_french_headers_are_read(store) -> None:
    french = GOOD.replace(b"code,title,indicator", b"contrat,titre,indicateur").replace(
        b"threshold", b"seuil"
    )
    assert _import(store, french).ok


def test_the_command_line_imports_a_contracts_file(demo_file, tmp_path) -> None:
    import io

    from observatory.cli import main

    db = shutil.copy(demo_file, tmp_path / "cli.duckdb")
    file = tmp_path / "contracts.csv"
    file.write_bytes(GOOD)
    out = io.StringIO()
    assert main(["import", "auto", str(file), "--db", str(db)], out=out) == 0, out.getvalue()
    store = connect(db)
    try:
        assert list(stored.cohorts(store)["cohort"]) == ["all", "centre", "quiet"]
    finally:
        store.close()
