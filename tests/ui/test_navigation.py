"""Who gets which staff import pages: the role matrix of navigation.PAGES."""

import pytest

from observatory.domain import Role
from observatory.ui import navigation

IMPORT_PAGES = {"pages/upload.py", "pages/history.py"}


def _paths(role, *, public_mode=False):
    return {page.path for page in navigation.pages_for(role, public_mode=public_mode)}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_import_pages_are_registered_for_roles_that_may_import(role):
    assert _paths(role) >= IMPORT_PAGES


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.VIEWER])
def test_import_pages_are_absent_below_editor(role):
    assert not IMPORT_PAGES & _paths(role)


def test_import_pages_are_absent_in_public_mode():
    assert not IMPORT_PAGES & _paths(Role.ADMIN, public_mode=True)


def test_import_pages_sit_in_the_staff_section_after_the_public_pages():
    paths = [page.path for page in navigation.PAGES]
    specs = {page.path: page for page in navigation.PAGES}
    public = [i for i, page in enumerate(navigation.PAGES) if page.section == navigation.PUBLIC_SECTION]
    assert all(paths.index(path) > max(public) for path in IMPORT_PAGES)
    assert all(
        specs[path].section == navigation.STAFF_SECTION and specs[path].staff_site for path in IMPORT_PAGES
    )
    assert [specs[p].title for p in ("pages/upload.py", "pages/history.py")] == ["nav.upload", "nav.history"]
