"""Every service function that acts for someone × every role: refused below its action, nothing written.

The oracle is written out here (WRITES: each function, a real call and the role it needs), not read
from observatory.auth, and a guard makes sure no function taking an ``actor`` is left out of it.
"""

import ast
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, PermissionDenied, Role, SourceFormat
from observatory.ingest.report import ValidationReport
from observatory.services import (
    accounts,
    audit,
    breaks,
    contracts,
    editing,
    formats,
    groups,
    imports,
    publish,
    release_changes,
    starters,
)
from observatory.store import Store, connect

ROOT = Path(__file__).resolve().parents[2]
RANK = {Role.PUBLIC: 0, Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}
OBSERVATIONS = b"indicator,area,period,value\nburglary,01,2025-12,9\n"
POLICE_UK = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    b"Crime type,Last outcome category,Context\n"
    b"x1,2025-12,Force,Force,-8.61,41.15,On or near Rua,E01,Somewhere,Burglary,Under investigation,\n"
)
GEOJSON = (ROOT / "data" / "demo" / "districts.geojson").read_bytes()

Call = Callable[[Store, Actor, Path], object]

# name → (a real call, the least role that may make it)
WRITES: dict[str, tuple[Call, Role]] = {
    "accounts.list_accounts": (lambda s, a, p: accounts.list_accounts(s, actor=a), Role.ADMIN),
    "accounts.listing": (lambda s, a, p: accounts.listing(s, actor=a), Role.ADMIN),
    "accounts.account_exists": (lambda s, a, p: accounts.account_exists(s, "x", actor=a), Role.ADMIN),
    "accounts.create_account": (
        lambda s, a, p: accounts.create_account(s, "newcomer", Role.VIEWER, "a long enough secret", actor=a),
        Role.ADMIN,
    ),
    "accounts.change_role": (
        lambda s, a, p: accounts.change_role(s, "mira", Role.EDITOR, actor=a),
        Role.ADMIN,
    ),
    "accounts.set_disabled": (lambda s, a, p: accounts.set_disabled(s, "mira", True, actor=a), Role.ADMIN),
    "accounts.clear_lockout": (
        lambda s, a, p: accounts.clear_lockout(s, "mira", actor=a, now=datetime(2026, 1, 1)),
        Role.ADMIN,
    ),
    "accounts.reset_password": (
        lambda s, a, p: accounts.reset_password(s, "mira", "another long secret", actor=a),
        Role.ADMIN,
    ),
    "audit.page": (lambda s, a, p: audit.page(s, audit.AuditFilter(), actor=a), Role.ADMIN),
    "audit.export": (lambda s, a, p: audit.export(s, audit.AuditFilter(), actor=a), Role.ADMIN),
    "audit.choices": (lambda s, a, p: audit.choices(s, actor=a), Role.ADMIN),
    "breaks.add_break": (
        lambda s, a, p: breaks.add_break(s, "violence", date(2025, 7, 1), "new definition", actor=a),
        Role.EDITOR,
    ),
    "breaks.edit_break": (
        lambda s, a, p: breaks.edit_break(s, "violence", date(2025, 7, 1), note="x", actor=a),
        Role.EDITOR,
    ),
    "breaks.remove_break": (
        lambda s, a, p: breaks.remove_break(s, "violence", date(2025, 7, 1), actor=a),
        Role.EDITOR,
    ),
    "starters.add": (lambda s, a, p: starters.add(s, "police_uk", actor=a), Role.EDITOR),
    "groups.save_group": (lambda s, a, p: groups.save_group(s, "c", "Centre", ["01"], actor=a), Role.EDITOR),
    "groups.delete_group": (lambda s, a, p: groups.delete_group(s, "c", actor=a), Role.EDITOR),
    "groups.import_csv": (
        lambda s, a, p: groups.import_csv(s, b"group,name,area\nc,Centre,01\n", "g.csv", actor=a),
        Role.EDITOR,
    ),
    "groups.from_boundary_attribute": (
        lambda s, a, p: groups.from_boundary_attribute(
            s, GEOJSON, "d.geojson", code_field="code", attribute="name", actor=a
        ),
        Role.EDITOR,
    ),
    "editing.save": (
        lambda s, a, p: editing.save(
            s,
            ImportKind.PARTNERS,
            {"code": "P99", "name": "New partner", "sector": "community"},
            actor=a,
            create=True,
        ),
        Role.EDITOR,
    ),
    "contracts.save_contract": (
        lambda s, a, p: contracts.save_contract(
            s,
            {"code": "SIB9", "title": "Bond", "indicator_code": "burglary", "start_date": "2023-01-01"},
            pd.DataFrame({"partner_code": ["P01"], "role": ["payer"]}),
            pd.DataFrame({"cohort": ["all"], "areas": ["12"], "threshold": [0.1], "payment": [1.0]}),
            actor=a,
        ),
        Role.EDITOR,
    ),
    "contracts.edit_contract": (
        lambda s, a, p: contracts.edit_contract(
            s,
            {"code": "SIB8", "title": "Bond", "indicator": "burglary", "start": "2023-01-01"},
            {"payers": ["P01"]},
            [{"cohort": "all", "areas": "12", "threshold": 0.1, "payment": 1.0}],
            actor=a,
            create=True,
        ),
        Role.EDITOR,
    ),
    "editing.add_assessment": (
        lambda s, a, p: editing.add_assessment(s, "OB1", 2025, "On course.", actor=a),
        Role.EDITOR,
    ),
    "editing.save_document_text": (
        lambda s, a, p: editing.save_document_text(
            s, "diagnosis", 2025, "introduction", "Our text.", blocks=frozenset({"introduction"}), actor=a
        ),
        Role.EDITOR,
    ),
    "formats.import_ssmsi": (lambda s, a, p: formats.import_ssmsi(s, b"x", "f.csv", actor=a), Role.EDITOR),
    "formats.import_police_uk": (
        lambda s, a, p: formats.import_police_uk(s, POLICE_UK, "p.csv", actor=a),
        Role.EDITOR,
    ),
    "formats.import_incidents": (
        lambda s, a, p: formats.import_incidents(s, b"x", "i.csv", actor=a),
        Role.EDITOR,
    ),
    "formats.import_wide": (lambda s, a, p: formats.import_wide(s, b"x", "w.csv", actor=a), Role.EDITOR),
    "formats.import_as": (
        lambda s, a, p: formats.import_as(SourceFormat.POLICE_UK, s, POLICE_UK, "p.csv", actor=a),
        Role.EDITOR,
    ),
    "formats.import_file": (
        lambda s, a, p: formats.import_file(s, OBSERVATIONS, "o.csv", actor=a),
        Role.EDITOR,
    ),
    "imports.import_table": (
        lambda s, a, p: imports.import_table(s, ImportKind.OBSERVATIONS, OBSERVATIONS, "o.csv", actor=a),
        Role.EDITOR,
    ),
    "imports.import_boundaries": (
        lambda s, a, p: imports.import_boundaries(
            s, GEOJSON, "d.geojson", code_field="code", name_field="name", actor=a, city_code="000"
        ),
        Role.EDITOR,
    ),
    "imports.rollback": (lambda s, a, p: imports.rollback(s, 3, actor=a), Role.EDITOR),
    "imports.finish": (
        lambda s, a, p: imports.finish(
            s,
            ValidationReport(kind=ImportKind.OBSERVATIONS, filename="o.csv", sha256="0" * 64, rows_read=0),
            None,
            actor=a,
            started=datetime(2026, 1, 1),
            dry_run=False,
        ),
        Role.EDITOR,
    ),
    "publish.preview": (lambda s, a, p: publish.preview(s, actor=a), Role.ADMIN),
    "release_changes.dry_run": (lambda s, a, p: release_changes.dry_run(s, None, actor=a), Role.ADMIN),
    "publish.publish": (
        lambda s, a, p: publish.publish(
            s, actor=a, snapshot_path=p / "public.duckdb", now=datetime(2026, 1, 1)
        ),
        Role.ADMIN,
    ),
}
# Functions that take an actor but act only for that actor themselves.
SELF_SERVICE = {"accounts.record_sign_out", "accounts.start_session"}


def _written(store: Store) -> tuple[int, ...]:
    return tuple(
        int(store.scalar(f"SELECT count(*) FROM {table}"))
        for table in (
            "batches",
            "audit_log",
            "users",
            "observations",
            "series_breaks",
            "partners",
            "assessments",
        )
    )


@pytest.fixture
def staff(demo_file, tmp_path):
    store = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    accounts.create_account(
        store, "mira", Role.VIEWER, "a long enough secret", actor=Actor("setup", Role.ADMIN)
    )
    yield store
    store.close()


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.VIEWER, Role.EDITOR, Role.ADMIN])
@pytest.mark.parametrize("name", sorted(WRITES))
def test_each_function_refuses_roles_below_its_action_and_writes_nothing(staff, tmp_path, name, role):
    call, needed = WRITES[name]
    actor = Actor(f"someone-{role.value}", role)
    before = _written(staff)
    if RANK[role] < RANK[needed]:
        with pytest.raises(PermissionDenied):
            call(staff, actor, tmp_path)
        assert _written(staff) == before
        assert not (tmp_path / "public.duckdb").exists()
    else:
        try:
            call(staff, actor, tmp_path)
        except PermissionDenied:  # pragma: no cover - the failure this test exists to find
            pytest.fail(f"{name} refused {role}")
        except Exception:  # refused on other grounds (bad bytes): allowed
            pass


def _functions_taking_an_actor() -> set[str]:
    found = set()
    for path in sorted((ROOT / "observatory" / "services").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                names = [a.arg for a in (*node.args.args, *node.args.kwonlyargs)]
                if "actor" in names:
                    found.add(f"{path.stem}.{node.name}")
    return found


def test_every_function_taking_an_actor_is_in_the_matrix():
    assert _functions_taking_an_actor() == set(WRITES) | SELF_SERVICE
