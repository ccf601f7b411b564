"""WCAG 2.1 AA on every public page: axe-core in headless Chromium, in every language, phone and desktop.

axe-core is a test-only dependency (tests/a11y/package.json, installed by .ci/run with npm); it is
injected into the page by playwright and never served by the app. Without it the test is skipped.
Every run writes each page's violations to tests/app/screenshots/axe-<page>-<lang>.json, and a
screenshot of every public page at 1366×768 (with the axe run) and 390×844 in every language.
"""

import json
from pathlib import Path

import pytest

from tests.app.test_browser import SHOTS, _copies, _start_server, _stop, browser, server  # noqa: F401

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("en", "pt", "fr")
PHONE = (390, 844)
PUBLIC_PAGES = [
    ("overview", "", 0),
    ("map", "map", 1),
    ("trends", "trends?districts=05", 1),
    ("profile", "profile?district=05", 2),
    ("strategy", "strategy", 1),
    ("methodology", "methodology", 0),
]
SERIOUS = ("serious", "critical")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm install in tests/a11y)"),
]


def _url(base: str, path: str, lang: str) -> str:
    joiner = "&" if "?" in path else "?"
    return f"{base}/{path}{joiner}lang={lang}"


def _ready(page, charts: int) -> None:
    page.wait_for_selector("h1", timeout=60_000)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= {charts}",
            timeout=60_000,
        )
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_timeout(1500)


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}));
        }"""
    )
    return list(result)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "path", "charts"), PUBLIC_PAGES, ids=[p[0] for p in PUBLIC_PAGES])
def test_no_serious_axe_violation(server, browser, name, path, charts, lang):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(_url(server, path, lang), wait_until="domcontentloaded")
    _ready(page, charts)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-desktop-{lang}.png"), full_page=True)
    violations = _axe(page)
    lang_attribute = page.evaluate("document.documentElement.lang")
    page.close()
    (SHOTS / f"axe-{name}-{lang}.json").write_text(json.dumps(violations, indent=1, ensure_ascii=False))
    serious = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes)" for v in violations if v["impact"] in SERIOUS
    ]
    assert serious == []
    assert lang_attribute == lang


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "path", "charts"), PUBLIC_PAGES, ids=[p[0] for p in PUBLIC_PAGES])
def test_phone_screenshot_fits_the_screen(server, browser, name, path, charts, lang):  # noqa: F811
    width, height = PHONE
    page = browser.new_page(viewport={"width": width, "height": height}, is_mobile=True, has_touch=True)
    page.goto(_url(server, path, lang), wait_until="domcontentloaded")
    _ready(page, charts)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-phone-{lang}.png"), full_page=True)
    # Nothing wider than the screen: a page that scrolls sideways hides part of itself on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    exceptions = page.locator('[data-testid="stException"]').count()
    page.close()
    assert exceptions == 0
    assert overflow <= 0


# Set before the page's own scripts run: remembers whether Streamlit's automatic menu (which lists
# the raw page files) was ever in the document, even for an instant.
_WATCH_MENU = """
window.__rawMenu = false;
new MutationObserver(() => {
  if (document.querySelector('[data-testid="stSidebarNav"]')) { window.__rawMenu = true; }
}).observe(document, {childList: true, subtree: true});
"""


def test_a_fresh_server_never_shows_the_raw_page_menu(demo_file, demo_release, browser, tmp_path):  # noqa: F811
    db, snapshot = _copies(demo_file, demo_release, tmp_path)
    proc, url = _start_server(db, tmp_path, snapshot=snapshot)
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.add_init_script(_WATCH_MENU)
        page.goto(f"{url}/map?lang=pt", wait_until="domcontentloaded")
        _ready(page, 1)
        raw_menu = page.evaluate("window.__rawMenu")
        links = page.locator('[data-testid="stSidebar"] a').all_inner_texts()
        page.close()
    finally:
        _stop(proc)
    assert raw_menu is False
    assert any("Mapa" in text for text in links)
    assert not any(word in " ".join(links) for word in ("upload", "users", "publish"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_tap_on_the_phone_map_shows_the_district_and_stays_on_the_map(server, browser, lang):  # noqa: F811
    page = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]}, is_mobile=True, has_touch=True)
    page.goto(_url(server, "map?indicator=burglary", lang), wait_until="domcontentloaded")
    _ready(page, 1)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / f"map-phone-{lang}-map.png"))
    box = chart.bounding_box()
    # The whole map is within the screen's width.
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.4)
    page.wait_for_timeout(1500)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    # The panel's link to the district's profile: the tap chose a district without leaving the page.
    link = page.locator('[data-testid="stMain"] a[href*="profile"]')
    link.first.wait_for(timeout=30_000)
    link.first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / f"map-phone-{lang}-tapped.png"))
    still_on_map = "/map" in page.url
    page.close()
    assert still_on_map
