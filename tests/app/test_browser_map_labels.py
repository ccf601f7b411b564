"""Real browser: district names drawn on the map, on a wide screen and a phone, in every language.

The map is plotly's SVG ``geo`` map, so the names are SVG text in the browser's own fonts: nothing is
fetched from another host (no glyph fonts, tiles or world outlines). A tap on a named district fills
the district panel beside (or under) the map with its name and figure.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from observatory.i18n import locale_scope, t
from tests.app.test_browser import CHROMIUM, SHOTS, _settle, browser, server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}

# The names drawn on the map and where each one is on the screen.
_LABELS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .scattergeo text')]
  .map(el => { const r = el.getBoundingClientRect();
               return {text: el.textContent, x: r.x + r.width / 2, y: r.y + r.height / 2,
                       w: r.width, h: r.height}; })"""


def _open_map(browser, url: str, size: str, lang: str):  # noqa: F811
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(f"{url}/map?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .scattergeo text', timeout=60_000)
    _settle(page)
    page.wait_for_timeout(1000)
    return page, requests


def _outside(url: str, requests: list[str]) -> list[str]:
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    return [u for u in requests if not u.startswith((origin, "data:", "blob:"))]


# Two of the six by default (desktop in English, a phone in French); the rest in the slow run.
@pytest.mark.parametrize(
    ("size", "lang"),
    [
        ("desktop", "en"),
        ("phone", "fr"),
        *(
            pytest.param(size, lang, marks=pytest.mark.slow)
            for size, lang in [("desktop", "pt"), ("desktop", "fr"), ("phone", "en"), ("phone", "pt")]
        ),
    ],
)
def test_district_names_are_drawn_and_nothing_leaves_the_server(server, browser, size, lang):  # noqa: F811
    page, requests = _open_map(browser, server, size, lang)
    labels = page.evaluate(_LABELS)
    chart = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
    page.locator('[data-testid="stPlotlyChart"]').first.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"map-labels-{size}-{lang}.png"))
    page.close()
    assert _outside(server, requests) == []
    assert len(labels) >= 5, labels
    assert all(lab["text"].strip() for lab in labels)
    # Every name inside the chart, none over another.
    assert chart is not None
    for lab in labels:
        assert chart["x"] <= lab["x"] <= chart["x"] + chart["width"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart_x = abs(a["x"] - b["x"]) >= (a["w"] + b["w"]) / 2 - 1
            apart_y = abs(a["y"] - b["y"]) >= (a["h"] + b["h"]) / 2 - 1
            assert apart_x or apart_y, (a, b)


def test_a_tap_on_a_named_district_fills_the_panel_on_a_phone(server, browser):  # noqa: F811
    page, requests = _open_map(browser, server, "phone", "pt")
    page.locator('[data-testid="stPlotlyChart"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    first = page.evaluate(_LABELS)[0]
    page.mouse.click(first["x"], first["y"])  # on the name itself: the tap reaches the district under it
    _settle(page)
    page.wait_for_timeout(800)
    with locale_scope("pt"):
        wanted = t("map.open_profile", name=first["text"])
    link = page.get_by_text(wanted, exact=False)
    link.first.wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "map-labels-phone-tapped.png"))
    # The names stay fully drawn while the tapped district is highlighted.
    opacity = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.scattergeo text')]
             .map(el => Number(getComputedStyle(el).opacity) * Number(el.style.fillOpacity || 1)))"""
    )
    page.close()
    assert _outside(server, requests) == []
    assert opacity == 1


def test_the_names_are_the_published_district_names(server, browser, demo_release):  # noqa: F811
    from observatory.store import connect

    page, _ = _open_map(browser, server, "desktop", "en")
    shown = {lab["text"] for lab in page.evaluate(_LABELS)}
    page.close()
    store = connect(demo_release, read_only=True)
    try:
        names = {str(n) for (n,) in store.rows("SELECT name FROM areas")}
    finally:
        store.close()
    assert shown and shown <= names, json.dumps(sorted(shown - names))
