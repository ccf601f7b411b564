"""The admin pages (Users, Publish, Audit log) exist for admins only: for anyone else they do not route."""

import pytest

from observatory.domain import Role
from observatory.ui import navigation
from tests.app.helpers import start

ADMIN_PAGES = ["pages/users.py", "pages/publish.py", "pages/audit.py"]


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.VIEWER, Role.EDITOR])
def test_admin_pages_are_not_in_the_menu_below_admin(role):
    paths = {page.path for page in navigation.pages_for(role, public_mode=False)}
    assert paths.isdisjoint(ADMIN_PAGES)


def test_admin_pages_are_in_the_staff_section_for_admins():
    pages = {page.path: page for page in navigation.pages_for(Role.ADMIN, public_mode=False)}
    assert all(pages[path].section == navigation.STAFF_SECTION for path in ADMIN_PAGES)


def test_admin_pages_never_exist_on_a_public_site():
    paths = {page.path for page in navigation.pages_for(Role.ADMIN, public_mode=True)}
    assert paths.isdisjoint(ADMIN_PAGES)


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("role", [None, "viewer", "editor"])
def test_page_does_not_route_below_admin(demo_app, role, page):
    at = start(role=role)
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_page_opens_for_an_admin(demo_app, page):
    at = start(page, role="admin")
    assert not at.exception
    assert not at.error
    assert at.title[0].value in {"Users", "Publish", "Audit log"}
