"""Every page runs inside app.py's navigation, in the visitor's language."""

import pytest

from tests.app.helpers import start

PAGES = ["pages/map.py", "pages/trends.py", "pages/profile.py", "pages/strategy.py", "pages/methodology.py"]


@pytest.mark.parametrize("page", PAGES)
def test_page_opened_directly_runs_through_app_py(demo_app, page):
    english = start(page, query={"lang": "en"})
    french = start(page, query={"lang": "fr"})
    assert not english.exception and not french.exception
    # app.py draws the language choice in the sidebar and sets the language before the page runs.
    assert french.sidebar.selectbox(key="lang").value == "fr"
    assert french.title[0].value != english.title[0].value


def test_every_page_is_registered(demo_app):
    at = start()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
