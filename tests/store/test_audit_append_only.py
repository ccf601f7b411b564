"""The audit log is append-only: no statement anywhere in the code changes or removes its lines."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHANGES = re.compile(
    r"\b(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE|ALTER\s+TABLE)\s+audit_log\b", re.IGNORECASE
)


def _sources() -> list[Path]:
    return [
        p
        for folder in ("observatory", "pages")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in {".py", ".sql"}
    ]


def test_no_code_changes_or_removes_audit_lines():
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}" for p in _sources() for m in CHANGES.finditer(p.read_text())
    ]
    assert found == []


def test_the_check_finds_such_a_statement():
    assert CHANGES.search('cur.execute("DELETE FROM audit_log WHERE id = ?")')
    assert CHANGES.search("update Audit_Log set detail = ''")
