"""Every page on every data shape, as a signed-in viewer and as the public, and its key figure.

Each page must run without an exception, and show one key figure equal to the same computation done
here from the generator's own numbers (tests/shapes/expected.py):

- Overview: each result indicator's headline is the city's latest figure (12 months, 4 quarters or a
  year, the city's own rows first, else the sum of every district; the one period there is when
  there is less than a year); with districts withheld and no city rows, a bounded total.
- Map: each district's plotted value for the latest year with data: the district's yearly value, or
  its rate value / denominator × multiplier, with the multiplier in the legend; withheld or incomplete
  districts drawn as not published.
- Trends: the city's series at the stored granularity; the main indicator by calendar year for the
  city and a few districts.
- Profile: the district's value of every indicator in the year shown, and the city's figure it is
  set against (the city's rate for counts with a denominator, else the city's own value).
- Strategy: each objective's latest value, its area's latest complete year.
- Methodology: every indicator of the catalogue listed.

The staff pages that need no input open without an exception as an admin.
"""

from __future__ import annotations

import re

import pytest

from observatory.i18n import format_number
from tests.shapes import expected
from tests.shapes.conftest import DASHBOARD, STAFF, Seen
from tests.shapes.generator import CITY, CITY_NAME, SHAPES, City

ROLES = ("viewer", "public")
#: Heavy shapes, run with ``-m slow``.
SLOW = {"thousands"}
#: One xdist group per shape (``--dist loadgroup``), so a shape is built and toured by one worker only.
SHAPE_PARAMS = [
    pytest.param(s, marks=[pytest.mark.xdist_group(s), *([pytest.mark.slow] if s in SLOW else [])])
    for s in SHAPES
]
NOT_SHOWN = {"–", "not published", ""}


def number(text: str) -> float | None:
    """A number as the English pages write it ("1,482", "28.3%", "50.98 per …"); None for a dash."""
    match = re.match(r"^\s*([−-]?[\d,]*\.?\d+)", str(text))
    return float(match.group(1).replace(",", "").replace("−", "-")) if match else None


def decimals(city: City, code: str) -> int:
    return 0 if city.indicator(code).unit == "count" else 1


def _errors(seen: list[Seen]) -> list[str]:
    return [f"{s.step or s.page}: {e}" for s in seen for e in s.exceptions]


# --- key figures, one function per page; each returns the problems found, in words ---------------


def _cards(markdown: list[str], captions: list[str]) -> dict[str, tuple[str, str]]:
    """Headline name → (value text, rate line): each card is a bold name, its value, one caption."""
    # A bold line with nothing after it (the public release's note in the sidebar) is not a card.
    names = [i for i, text in enumerate(markdown[:-1]) if re.fullmatch(r"\*\*[^*]+\*\*", text)]
    # The first caption is the period note; then one caption per card, in order.
    return {
        markdown[i].strip("*"): (markdown[i + 1].removeprefix("### "), (captions[1 + k : 2 + k] or [""])[0])
        for k, i in enumerate(names)
    }


def _rate_line(city: City, code: str, line: str) -> list[str]:
    """A count's rate line: the rate per its multiplier of the city's denominator."""
    info = city.indicator(code)
    wanted = expected.latest_city_rate(city, code)
    if info.unit != "count" or wanted is None:
        return [f"{code}: broken interval in {line!r}"] if "– – –" in line else []
    problems = []
    per = f"per {format_number(info.multiplier)} "
    if per not in line:
        problems.append(f"{code}: rate line {line!r} does not say {per.strip()}")
    if not expected.close(number(line), wanted, decimals=2):
        problems.append(f"{code}: rate {number(line)} != expected {wanted:.2f}")
    return problems


#: Words that make a number a bound rather than a total ("≥ 1,234", "1,234 – 1,300", "at least").
BOUND_MARKS = ("≥", "≤", "<", ">", "–", "at least", "at most", "between")


def _bounded_card(city: City, code: str, cards: dict[str, tuple[str, str]]) -> list[str]:
    """A count whose city total is unknowable (withheld districts, no city rows): a card with bounds
    (DESIGN: own figure → complete sum → bounded total), never the published districts' sum as a total."""
    partial = expected.partial_latest_year(city, code)
    if partial is None:
        return []
    year, published, hidden = partial
    info = city.indicator(code)
    if info.name not in cards:
        return [f"{code}: no headline card ({year}: {published:g} published + {hidden} districts withheld)"]
    text = cards[info.name][0]
    if expected.close(number(text), published, decimals=0) and not any(m in text for m in BOUND_MARKS):
        return [f"{code}: {text} is the published districts' sum shown as the city total"]
    return []


def overview_figures(city: City, seen: list[Seen]) -> list[str]:
    problems = []
    cards = _cards(seen[0].markdown, seen[0].captions)
    for info in city.indicators:
        wanted = expected.latest_city(city, info.code)
        if info.kind == "result" and wanted is None:
            problems += _bounded_card(city, info.code, cards)
        if info.kind != "result" or wanted is None:
            continue
        if info.name not in cards:
            problems.append(f"{info.code}: no headline card (expected {wanted:g})")
            continue
        text, line = cards[info.name]
        if not expected.close(number(text), wanted, decimals=decimals(city, info.code)):
            problems.append(f"{info.code}: headline {text} != expected {wanted:g}")
        problems += _rate_line(city, info.code, line)
    return problems


def _map_values(figure: dict) -> dict[str, float | None]:
    """District → plotted value; None for the districts drawn as not published."""
    values: dict[str, float | None] = {}
    for trace in figure["data"]:
        if trace.get("type") != "choropleth":
            continue
        hidden = trace.get("name") == "not published"
        for i, code in enumerate(trace.get("locations") or []):
            values[str(code)] = None if hidden else float(trace["z"][i])
    return values


def _map_figure(seen: Seen) -> dict | None:
    maps = [f for f in seen.figures if any(t.get("type") == "choropleth" for t in f["data"])]
    return maps[0] if maps else None


def _rolling_problems(city: City, visit: Seen) -> list[str]:
    """The districts' counts over the latest 12 months ending at the latest month."""
    code = visit.step.split(":")[0]
    end = expected.latest_month(city, code)
    figure = _map_figure(visit)
    if figure is None or end is None:
        return [f"{visit.step}: no map (expected the 12 months to {end})"]
    if str(visit.widgets.get("period")) != end:
        return [f"{visit.step}: period {visit.widgets.get('period')} shown, latest month {end}"]
    shown = _map_values(figure)
    wanted = {a: expected.rolling(city, code, a, end) for a in city.codes}
    wrong = [f"{a}: {shown.get(a)} != {w}" for a, w in wanted.items() if not expected.close(shown.get(a), w)]
    return (
        [f"{visit.step} to {end}: {len(wrong)} districts wrong, e.g. " + "; ".join(wrong[:3])]
        if wrong
        else []
    )


def _map_problems(city: City, visit: Seen) -> list[str]:
    if visit.step.endswith(":rolling"):
        return _rolling_problems(city, visit)
    code, _, measure = visit.step.partition(":")
    info = city.indicator(code)
    year = expected.latest_district_year(city, code)
    figure = _map_figure(visit)
    if year is None:
        # No complete year anywhere (one month): a "no data" note, or the only period there is.
        return [] if figure is not None or visit.infos else [f"{visit.step}: neither a map nor a note"]
    if figure is None:
        return [f"{visit.step}: no map (expected the year {year})"]
    if str(visit.widgets.get("period")) != str(year):
        return [f"{visit.step}: period {visit.widgets.get('period')} shown, latest year {year}"]
    problems = []
    legend = str(figure["layout"].get("legend", {}).get("title", {}).get("text", ""))
    if measure == "rate" and info.unit == "count" and format_number(info.multiplier) not in legend:
        problems.append(f"{visit.step}: legend {legend!r} does not say per {format_number(info.multiplier)}")
    shown = _map_values(figure)
    if measure == "rate" and all(expected.rate(city, code, a, year) is None for a in city.codes) and shown:
        return [*problems, f"{visit.step}: a rate offered (and drawn as not published) with no denominator"]
    wanted = {
        a: expected.rate(city, code, a, year)
        if measure == "rate"
        else expected.area_year(city, code, a, year)
        for a in city.codes
    }
    wrong = [f"{a}: {shown.get(a)} != {w}" for a, w in wanted.items() if not expected.close(shown.get(a), w)]
    if wrong:
        problems.append(f"{visit.step} {year}: {len(wrong)} districts wrong, e.g. " + "; ".join(wrong[:3]))
    return problems


def map_figures(city: City, seen: list[Seen]) -> list[str]:
    return [problem for visit in seen for problem in _map_problems(city, visit)]


def _label(x: str, grain: str) -> str:
    year, month = int(x[:4]), int(x[5:7])
    if grain == "year":
        return str(year)
    return f"{year}-Q{(month - 1) // 3 + 1}" if grain == "quarter" else f"{year}-{month:02d}"


def _city_series(figure: dict, grain: str, name: str = CITY_NAME) -> dict[str, float]:
    """The points of the line named ``name`` (the city's by default), by period label."""
    for trace in figure["data"]:
        if trace.get("name") == name and "lines" in str(trace.get("mode", "")):
            return {
                _label(str(x), grain): float(y)
                for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=True)
                if y is not None and y == y
            }
    return {}


def _series_problems(label: str, shown: dict[str, float], wanted: dict[str, float]) -> list[str]:
    wrong = sorted(p for p in set(wanted) | set(shown) if not expected.close(shown.get(p), wanted.get(p)))
    if not wrong:
        return []
    sample = "; ".join(f"{p}: {shown.get(p)} != {wanted.get(p)}" for p in wrong[:3])
    return [f"{label}: {len(wrong)} periods wrong, e.g. {sample}"]


def _yearly_problems(city: City, visit: Seen) -> list[str]:
    """The main indicator by calendar year for the city and the districts chosen."""
    code = city.main
    figure = visit.figures[0] if visit.figures else {"data": []}
    problems = []
    wanted = {
        str(y): v for y in expected.years(city, code) if (v := expected.city_year(city, code, y)) is not None
    }
    problems += _series_problems(f"{code} city by year", _city_series(figure, "year"), wanted)
    names = dict(city.districts)
    for area in visit.widgets.get("districts") or []:
        wanted = {
            str(y): v
            for y in expected.years(city, code)
            if (v := expected.area_year(city, code, area, y)) is not None
        }
        shown = _city_series(figure, "year", names[area])
        problems += _series_problems(f"{code} {area} by year", shown, wanted)
    return problems


def trends_figures(city: City, seen: list[Seen]) -> list[str]:
    problems = []
    for visit in seen:
        if visit.exceptions:
            continue
        if visit.step.endswith(":year"):
            problems += _yearly_problems(city, visit)
            continue
        unit = city.indicator(visit.step).unit
        if unit != "count" and "count" in visit.options.get("measure", []):
            problems.append(f"{visit.step}: the {unit} is offered as a count")
        grain = expected.stored(city, visit.step)
        wanted = expected.city_periods(city, visit.step)
        shown = _city_series(visit.figures[0], grain) if visit.figures else {}
        problems += _series_problems(f"{visit.step} city by {grain}", shown, wanted)
    return problems


def _profile_rows(seen: Seen) -> dict[str, tuple[str, str]]:
    """Indicator name → the Value and City cells of the profile tables."""
    found = {}
    for frame in seen.frames:
        if {"Indicator", "Value", "City"} <= set(frame.columns):
            cells = zip(frame["Value"].astype(str), frame["City"].astype(str), strict=True)
            found.update(zip(frame["Indicator"].astype(str), cells, strict=True))
    return found


def _city_compared(city: City, code: str, year: int) -> float | None:
    """What the profile sets a district against: the city's rate for a count with a denominator,
    the city's own value for anything that is not a count or amount."""
    info = city.indicator(code)
    value = expected.city_year(city, code, year)
    if not info.additive or value is None:
        return value
    base = expected.denominator(city, info.denominator, CITY, year) if info.denominator else None
    return None if base is None or info.multiplier is None else value / base * info.multiplier


def _profile_row(city: City, code: str, district: str, year: int, cells: tuple[str, str]) -> list[str]:
    problems = []
    info = city.indicator(code)
    value, city_text = cells
    wanted = expected.area_year(city, code, district, year)
    shown = None if value in NOT_SHOWN else number(value)
    if not expected.close(shown, wanted, decimals=decimals(city, code)):
        problems.append(f"{code} {district} {year}: {value!r} != expected {wanted}")
    # Counts and amounts without a denominator are not set against the city (sizes, not risks).
    if info.additive and not info.denominator:
        return problems
    reference = _city_compared(city, code, year)
    shown = None if city_text in NOT_SHOWN else number(city_text)
    places = 2 if info.unit == "count" else 1
    if not expected.close(shown, reference, decimals=places):
        problems.append(f"{code} {year}: city {city_text!r} != expected {reference}")
    return problems


def profile_figures(city: City, seen: list[Seen]) -> list[str]:
    visit = seen[0]
    known = any(expected.latest_district_year(city, i.code) is not None for i in city.indicators)
    if "year" not in visit.widgets or "district" not in visit.widgets:
        return ["no district or year to choose though districts have complete years"] if known else []
    district, year = str(visit.widgets["district"]), int(visit.widgets["year"])
    cells = _profile_rows(visit)
    problems = []
    for info in city.indicators:
        if info.name in cells:
            problems += _profile_row(city, info.code, district, year, cells[info.name])
        elif (wanted := expected.area_year(city, info.code, district, year)) is not None:
            problems.append(f"{info.code}: not in the profile of {district} {year} (expected {wanted:g})")
    if expected.area_year(city, city.main, district, year) is None:
        problems.append(f"opens on {district} {year}, where {city.main} has no complete value")
    return problems


def _objective_metrics(metrics: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The metrics of each objective block, in order: each block opens with its baseline."""
    blocks: list[list[tuple[str, str]]] = []
    for label, value in metrics:
        if label.startswith("Baseline"):
            blocks.append([])
        if blocks:
            blocks[-1].append((label, value))
    return blocks


def _latest_value(city: City, code: str, area: str) -> tuple[int, float] | None:
    """The latest calendar year with a known value of the area (the city or a district), and the value."""
    found = []
    for year in expected.years(city, code):
        value = (
            expected.city_year(city, code, year)
            if area == CITY
            else expected.area_year(city, code, area, year)
        )
        if value is not None:
            found.append((year, value))
    return found[-1] if found else None


def strategy_figures(city: City, seen: list[Seen]) -> list[str]:
    blocks = _objective_metrics(seen[0].metrics)
    if len(blocks) != len(city.goals):
        return [f"{len(blocks)} objectives shown, {len(city.goals)} imported"]
    problems = []
    for (objective, code, area), block in zip(sorted(city.goals), blocks, strict=True):
        latest = [(label, value) for label, value in block if label.startswith("Latest")]
        wanted = _latest_value(city, code, area)
        if wanted is None:
            if any(value != "–" for _, value in latest):
                problems.append(f"{objective} ({code}, {area}): latest {latest} though no year is complete")
            continue
        year, value = wanted
        if not latest:
            problems.append(f"{objective} ({code}, {area}): no latest value (expected {year}: {value:g})")
            continue
        label, text = latest[0]
        if str(year) not in label or not expected.close(number(text), value, decimals=decimals(city, code)):
            problems.append(f"{objective} ({code}, {area}): {label} {text} != expected {year}: {value:g}")
    return problems


def methodology_figures(city: City, seen: list[Seen]) -> list[str]:
    listed = {str(c) for frame in seen[0].frames if "Code" in frame.columns for c in frame["Code"]}
    missing = sorted({i.code for i in city.indicators} - listed)
    return [f"not in the catalogue: {missing}"] if missing else []


KEY_FIGURES = {
    "overview": overview_figures,
    "map": map_figures,
    "trends": trends_figures,
    "profile": profile_figures,
    "strategy": strategy_figures,
    "methodology": methodology_figures,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", DASHBOARD)
@pytest.mark.parametrize("shape", SHAPE_PARAMS)
def test_page_runs_and_shows_the_key_figure(shapes, shape, page, role):
    city = shapes.built(shape).city
    seen = shapes.visits(shape, role)[page]
    assert not _errors(seen), _errors(seen)
    problems = KEY_FIGURES[page](city, seen)
    assert not problems, problems


@pytest.mark.parametrize("page", STAFF)
@pytest.mark.parametrize("shape", SHAPE_PARAMS)
def test_staff_page_opens_for_an_admin(shapes, shape, page):
    seen = shapes.visits(shape, "admin")[page]
    assert not _errors(seen), _errors(seen)
