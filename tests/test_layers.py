"""pages/ is not a package, so import-linter cannot see it: check its imports and strings here."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py", ROOT / "app.py"]
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP)\b\s", re.IGNORECASE)
ALLOWED_PREFIXES = ("streamlit", "observatory.ui", "observatory.i18n", "observatory.domain")


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # "from observatory import ui" imports observatory.ui: judge the full name.
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_there_are_pages():
    assert len(PAGES) >= 2


def test_pages_import_only_ui_i18n_domain_and_streamlit():
    bad = {
        path.name: name
        for path in PAGES
        for name in _imports(ast.parse(path.read_text(encoding="utf-8")))
        if not name.startswith(ALLOWED_PREFIXES)
    }
    assert bad == {}


def test_pages_hold_no_sql():
    bad = [
        path.name
        for path in PAGES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]
    assert bad == []
