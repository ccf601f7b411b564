"""Every page × every role through dashboard.py: a page opens for the roles that may use it, for no other.

The expected matrix is written out here, independently of observatory.ui.navigation; a guard makes sure
every page file is in it.
"""

from pathlib import Path

import pytest

from tests.app.helpers import start

ROOT = Path(__file__).resolve().parents[2]
EVERYONE = {"public", "viewer", "editor", "admin"}
STAFF = {"editor", "admin"}
EXPECTED: dict[str, set[str]] = {
    "pages/overview.py": EVERYONE,
    "pages/map.py": EVERYONE,
    "pages/trends.py": EVERYONE,
    "pages/profile.py": EVERYONE,
    "pages/strategy.py": EVERYONE,
    "pages/methodology.py": EVERYONE,
    "pages/where.py": EVERYONE,
    "pages/documents.py": EVERYONE,
    "pages/upload.py": STAFF,
    "pages/history.py": STAFF,
    "pages/strategy_editing.py": STAFF,
    "pages/groups.py": STAFF,
    "pages/indicators.py": STAFF,
    "pages/users.py": {"admin"},
    "pages/publish.py": {"admin"},
    "pages/audit.py": {"admin"},
    "pages/signin.py": {"public"},
}


def test_every_page_file_is_in_the_matrix():
    assert {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")} == set(EXPECTED)


@pytest.mark.parametrize("role", ["public", "viewer", "editor", "admin"])
def test_pages_open_exactly_for_their_roles(demo_app, role):
    at = start(role=None if role == "public" else role)
    opened, refused = [], []
    for page in EXPECTED:
        try:
            at.switch_page(page).run()
        except ValueError:  # not registered for this role: the page does not route at all
            refused.append(page)
            continue
        assert not at.exception, page
        opened.append(page)
    assert sorted(opened) == sorted(p for p, roles in EXPECTED.items() if role in roles)
    assert sorted(refused) == sorted(p for p, roles in EXPECTED.items() if role not in roles)
