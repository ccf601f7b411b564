"""Every page runs inside dashboard.py's navigation, in the visitor's language."""

import pytest

from observatory.domain import Role
from observatory.ui import navigation
from tests.app.helpers import start

PAGES = ["pages/map.py", "pages/trends.py", "pages/profile.py", "pages/strategy.py", "pages/methodology.py"]


@pytest.mark.parametrize("page", PAGES)
def test_page_opened_directly_runs_through_app_py(demo_app, page):
    english = start(page, query={"lang": "en"})
    french = start(page, query={"lang": "fr"})
    assert not english.exception and not french.exception
    # dashboard.py draws the language choice in the sidebar and sets the language before the page runs.
    assert french.sidebar.selectbox(key="lang").value == "fr"
    assert french.title[0].value != english.title[0].value


def test_every_page_is_registered(demo_app):
    at = start()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page


EDITING_PAGES = {"pages/strategy_editing.py", "pages/indicators.py"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.PUBLIC, False), (Role.VIEWER, False), (Role.EDITOR, True), (Role.ADMIN, True)],
)
def test_editing_pages_are_registered_for_editors_and_admins_only(role, expected):
    paths = {page.path for page in navigation.pages_for(role, public_mode=False)}
    assert (paths >= EDITING_PAGES) is expected
    assert not (EDITING_PAGES & paths) or expected


def test_editing_pages_are_never_registered_in_public_mode():
    paths = {page.path for page in navigation.pages_for(Role.ADMIN, public_mode=True)}
    assert not EDITING_PAGES & paths


def _menu_pages(at) -> set[str]:
    return {link.proto.page.rsplit("/", 1)[-1].removesuffix(".py") for link in at.sidebar.get("page_link")}


def test_the_public_menu_links_exactly_the_public_visitor_s_pages(demo_app):
    at = start()
    assert not at.exception
    expected = {
        "" if page.default else page.path.removeprefix("pages/").removesuffix(".py")
        for page in navigation.pages_for(Role.PUBLIC, public_mode=False)
    }
    assert _menu_pages(at) == expected
    assert "upload" not in _menu_pages(at)


def test_the_menu_is_in_the_reader_s_language(demo_app):
    english = {link.proto.label for link in start(query={"lang": "en"}).sidebar.get("page_link")}
    french = {link.proto.label for link in start(query={"lang": "fr"}).sidebar.get("page_link")}
    assert english and french and english != french
