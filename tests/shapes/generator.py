"""Small deterministic cities, one per data shape, written through the import path staff use.

The demo city has 20 districts, monthly counts, never a missing district and no indicator measured
as an amount, a rate or an index. Real data arrives in other shapes: only yearly rows, quarters, a
single first month, a current year with five months, a district missing for a year, the city's own
rows that differ from the sum of its districts, cells withheld at source, every unit, one district,
thousands of districts, no denominators. Each shape here is a function returning a :class:`City`
(plain frames, seed 42), and :func:`build` imports it the way the command line imports the demo:
boundaries from a GeoJSON, then indicators, denominators, observations and a small strategy as CSV
files through ``services.imports``. The tests compute what the pages should show from the same
frames, independently of the app.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from observatory.domain import Actor, ImportKind, Role
from observatory.services.imports import import_boundaries, import_table
from observatory.store import connect

SEED = 42
CITY = "000"
CITY_NAME = "Testville"
ACTOR = Actor("shapes", Role.ADMIN)
#: Observation columns, as the observations CSV contract names them.
OBSERVATION_COLUMNS = ["indicator", "area", "period", "value", "sample_size", "status"]
#: Status a source writes for a cell it withholds (the SSMSI's "ndiff").
WITHHELD = "ndiff"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One catalogue row, as the indicators CSV contract names its columns."""

    code: str
    name: str
    unit: str = "count"
    kind: str = "result"
    polarity: str = "lower_is_better"
    denominator: str = ""
    multiplier: float | None = None
    threshold: int | None = 5
    theme: str = "property crime"

    @property
    def additive(self) -> bool:
        """Counts and amounts add up over districts and periods."""
        return self.unit in {"count", "amount"}

    def row(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "theme": self.theme,
            "kind": self.kind,
            "unit": self.unit,
            "polarity": self.polarity,
            "denominator": self.denominator,
            "multiplier": "" if self.multiplier is None else f"{self.multiplier:g}",
            "threshold": "" if self.threshold is None else self.threshold,
            "description": f"{self.name}, generated for the {self.unit} shape.",
            "source": "Generated test source",
        }


BURGLARY = Indicator("burglary", "Burglary", denominator="dwellings", multiplier=1000)
OUTREACH = Indicator(
    "outreach", "Outreach contacts", kind="activity", polarity="higher_is_better", theme="prevention"
)
FEEL_UNSAFE = Indicator(
    "feel_unsafe", "Residents who feel unsafe", unit="percent", threshold=None, theme="feeling of safety"
)


@dataclass
class City:
    """A generated city: its districts, catalogue, denominators and observations, as plain frames.

    Attributes:
        shape: The shape's name.
        districts: Codes and names of the districts (level 1), in code order.
        indicators: The catalogue.
        observations: indicator, area, period, value, sample_size, status (text periods as in a CSV;
            NaN value with status ``ndiff`` for a cell withheld at source).
        denominators: area, year, residents, dwellings (the city's row included); may be empty.
        side: Width of a district's square, in degrees.
    """

    shape: str
    districts: list[tuple[str, str]]
    indicators: list[Indicator]
    observations: pd.DataFrame
    denominators: pd.DataFrame
    side: float = 0.01
    main: str = "burglary"
    #: Objectives as (code, indicator, area), each with a baseline in the first year.
    objectives: list[tuple[str, str, str]] | None = None

    @property
    def goals(self) -> list[tuple[str, str, str]]:
        return self.objectives or [("OB1", self.main, CITY)]

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.districts]

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)


# --- building blocks -------------------------------------------------------------------------------


def _districts(n: int) -> list[tuple[str, str]]:
    width = max(2, len(str(n)))
    return [(f"{i:0{width}d}", f"District {i:0{width}d}") for i in range(1, n + 1)]


def _months(first: str, last: str) -> list[str]:
    return [f"{p.year}-{p.month:02d}" for p in pd.period_range(first, last, freq="M")]


def _quarters(first_year: int, last_year: int) -> list[str]:
    return [f"{y}-Q{q}" for y in range(first_year, last_year + 1) for q in range(1, 5)]


def _years(first: int, last: int) -> list[str]:
    return [str(y) for y in range(first, last + 1)]


def _counts(
    rng: np.random.Generator, indicator: str, codes: list[str], periods: list[str], *, base: int, floor: int
) -> pd.DataFrame:
    """Poisson counts per district and period, never below ``floor`` (no small-count suppression)."""
    rows = []
    for i, code in enumerate(codes):
        values = rng.poisson(base + 2 * (i % 5), size=len(periods)) + floor
        rows += [(indicator, code, p, float(v), np.nan, "") for p, v in zip(periods, values, strict=True)]
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)


def _monthly(rng: np.random.Generator, indicator: str, codes: list[str], periods: list[str]) -> pd.DataFrame:
    return _counts(rng, indicator, codes, periods, base=6, floor=2)


def _percent(rng: np.random.Generator, indicator: str, areas: list[str], years: list[str]) -> pd.DataFrame:
    """Survey percents with their number of respondents, one per area and year."""
    rows = []
    for area in areas:
        for year in years:
            n = int(rng.integers(200, 600)) * (10 if area == CITY else 1)
            rows.append((indicator, area, year, round(float(rng.uniform(8, 30)), 1), float(n), ""))
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)


def _denominators(codes: list[str], years: range) -> pd.DataFrame:
    rows = []
    for i, code in enumerate(codes):
        for year in years:
            residents = 4000 + 700 * (i % 9) + 40 * (year - years.start)
            rows.append((code, year, residents, residents // 2 + 100 * (i % 3)))
    frame = pd.DataFrame(rows, columns=["area", "year", "residents", "dwellings"])
    city = frame.groupby("year", as_index=False)[["residents", "dwellings"]].sum().assign(area=CITY)
    return pd.concat([city[frame.columns], frame], ignore_index=True)


def _city_sums(observations: pd.DataFrame, indicator: str, extra: float = 0.0) -> pd.DataFrame:
    """The city's own rows of an additive indicator: the sum of its districts plus ``extra`` each period."""
    part = observations[observations["indicator"] == indicator]
    sums = part.groupby("period", as_index=False)["value"].sum()
    return pd.DataFrame(
        {
            "indicator": indicator,
            "area": CITY,
            "period": sums["period"],
            "value": sums["value"] + extra,
            "sample_size": np.nan,
            "status": "",
        }
    )


def _city(
    shape: str,
    n: int,
    indicators: list[Indicator],
    parts: list[pd.DataFrame],
    years: range,
    *,
    side: float = 0.01,
) -> City:
    districts = _districts(n)
    observations = pd.concat(parts, ignore_index=True)
    denominators = _denominators([c for c, _ in districts], years)
    return City(shape, districts, indicators, observations, denominators, side=side)


# --- the shapes ------------------------------------------------------------------------------------


def yearly_only() -> City:
    """Five years of yearly rows only, no city rows (SSMSI commune tables, county tables)."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    years = _years(2021, 2025)
    parts = [
        _counts(rng, "burglary", codes, years, base=60, floor=20),
        _counts(rng, "outreach", codes, years, base=40, floor=20),
    ]
    return _city("yearly_only", 10, [BURGLARY, OUTREACH], parts, range(2021, 2026))


def quarterly() -> City:
    """Three years of quarters."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    quarters = _quarters(2023, 2025)
    parts = [
        _counts(rng, "burglary", codes, quarters, base=15, floor=6),
        _counts(rng, "outreach", codes, quarters, base=10, floor=6),
    ]
    return _city("quarterly", 10, [BURGLARY, OUTREACH], parts, range(2023, 2026))


def monthly() -> City:
    """Three years of months, with a yearly survey percent that has the city's own rows (as the demo)."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    months = _months("2023-01", "2025-12")
    parts = [
        _monthly(rng, "burglary", codes, months),
        _monthly(rng, "outreach", codes, months),
        _percent(rng, "feel_unsafe", [CITY, *codes], _years(2023, 2025)),
    ]
    return _city("monthly", 10, [BURGLARY, OUTREACH, FEEL_UNSAFE], parts, range(2023, 2026))


def single_month() -> City:
    """One month only: no complete year and no city rows (a first police.uk month)."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    parts = [_counts(rng, "burglary", codes, ["2025-06"], base=30, floor=10)]
    return _city("single_month", 10, [BURGLARY], parts, range(2024, 2026))


def partial_year() -> City:
    """Two whole years and a current year of five months."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    months = _months("2023-01", "2025-05")
    parts = [_monthly(rng, "burglary", codes, months), _monthly(rng, "outreach", codes, months)]
    return _city("partial_year", 10, [BURGLARY, OUTREACH], parts, range(2023, 2026))


def gaps() -> City:
    """District 03 has no burglary rows in 2023, district 05 none for March 2024; no district has
    outreach for November 2025 (a month the source never sent)."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    months = _months("2023-01", "2025-12")
    burglary = _monthly(rng, "burglary", codes, months)
    missing = ((burglary["area"] == "03") & burglary["period"].str.startswith("2023")) | (
        (burglary["area"] == "05") & (burglary["period"] == "2024-03")
    )
    outreach = _monthly(rng, "outreach", codes, months)
    parts = [burglary[~missing], outreach[outreach["period"] != "2025-11"]]
    return _city("gaps", 10, [BURGLARY, OUTREACH], parts, range(2023, 2026))


def city_own_rows() -> City:
    """The city's own monthly rows hold 7 offences a month more than its districts: offences not placed."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    months = _months("2023-01", "2025-12")
    burglary = _monthly(rng, "burglary", codes, months)
    parts = [burglary, _city_sums(burglary, "burglary", extra=7.0)]
    return _city("city_own_rows", 10, [BURGLARY], parts, range(2023, 2026))


def no_city_rows() -> City:
    """Monthly counts and a yearly survey percent, none of them with the city's own rows."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    months = _months("2024-01", "2025-12")
    parts = [
        _monthly(rng, "burglary", codes, months),
        _percent(rng, "feel_unsafe", codes, _years(2023, 2025)),
    ]
    return _city("no_city_rows", 10, [BURGLARY, FEEL_UNSAFE], parts, range(2023, 2026))


ROBBERY = Indicator("robbery", "Robbery", denominator="residents", multiplier=1000)


def withheld_everywhere() -> City:
    """Yearly counts where every district has one year withheld at source (two districts a year).

    Burglary has the city's own rows (the true totals, as a source publishes a total whose parts it
    withholds); robbery and outreach have none, so their city totals can only be bounded.
    """
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    years = _years(2021, 2025)
    burglary = _counts(rng, "burglary", codes, years, base=60, floor=20)
    outreach = _counts(rng, "outreach", codes, years, base=40, floor=20)
    totals = _city_sums(burglary, "burglary")
    robbery = _counts(rng, "robbery", codes, years, base=30, floor=20)
    for frame in (burglary, outreach, robbery):
        hidden = [
            codes.index(a) // 2 == years.index(p) for a, p in zip(frame["area"], frame["period"], strict=True)
        ]
        frame.loc[hidden, "value"] = np.nan
        frame.loc[hidden, "status"] = WITHHELD
    parts = [burglary, outreach, totals, robbery]
    return _city("withheld_everywhere", 10, [BURGLARY, OUTREACH, ROBBERY], parts, range(2021, 2026))


EVERY_UNIT = [
    BURGLARY,
    Indicator("violence", "Violence", denominator="residents", multiplier=10000, theme="violence"),
    Indicator("robbery", "Robbery", denominator="residents", multiplier=100000),
    Indicator(
        "crime_rate", "Crime rate", unit="rate", denominator="residents", multiplier=1000, threshold=None
    ),
    FEEL_UNSAFE,
    Indicator(
        "deprivation",
        "Deprivation index",
        unit="index",
        kind="context",
        polarity="neutral",
        threshold=None,
        theme="social context",
    ),
    Indicator("damage_cost", "Cost of damage", unit="amount", threshold=None, theme="public space"),
]


def every_unit() -> City:
    """Five years of yearly rows of every unit: counts per 1,000 / 10,000 / 100,000, a rate, a percent
    with respondents, an index and an amount; the non-additive ones with the city's own rows."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    years = _years(2021, 2025)
    parts = [
        _counts(rng, code, codes, years, base=60, floor=20) for code in ("burglary", "violence", "robbery")
    ]
    parts.append(_counts(rng, "damage_cost", codes, years, base=5000, floor=1000))
    for code, low, high in (("crime_rate", 20.0, 90.0), ("deprivation", 70.0, 130.0)):
        values = rng.uniform(low, high, size=(len(codes) + 1) * len(years)).round(2)
        cells = [(code, a, y) for a in [CITY, *codes] for y in years]
        parts.append(
            pd.DataFrame(
                [(c, a, y, float(v), np.nan, "") for (c, a, y), v in zip(cells, values, strict=True)],
                columns=OBSERVATION_COLUMNS,
            )
        )
    parts.append(_percent(rng, "feel_unsafe", [CITY, *codes], years))
    city = _city("every_unit", 10, EVERY_UNIT, parts, range(2021, 2026))
    city.objectives = [
        ("OB1", "burglary", CITY),
        ("OB2", "violence", "01"),
        ("OB3", "crime_rate", CITY),
        ("OB4", "feel_unsafe", CITY),
        ("OB5", "deprivation", "02"),
        ("OB6", "damage_cost", CITY),
    ]
    return city


def one_district() -> City:
    """A city of one district, two years of months."""
    rng = np.random.default_rng(SEED)
    parts = [_counts(rng, "burglary", ["01"], _months("2024-01", "2025-12"), base=20, floor=5)]
    return _city("one_district", 1, [BURGLARY], parts, range(2024, 2026))


def thousands() -> City:
    """3,000 small statistical areas in tiny squares, one indicator, two years."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(3000)]
    parts = [_counts(rng, "burglary", codes, _years(2024, 2025), base=20, floor=5)]
    return _city("thousands", 3000, [BURGLARY], parts, range(2024, 2026), side=0.002)


def no_denominators() -> City:
    """Counts whose catalogue names a denominator, but no denominator was ever imported."""
    rng = np.random.default_rng(SEED)
    codes = [c for c, _ in _districts(10)]
    months = _months("2024-01", "2025-12")
    violence = EVERY_UNIT[1]
    parts = [_monthly(rng, "burglary", codes, months), _monthly(rng, "violence", codes, months)]
    city = _city("no_denominators", 10, [BURGLARY, violence], parts, range(2024, 2026))
    city.denominators = city.denominators.iloc[0:0]
    return city


SHAPES: dict[str, Callable[[], City]] = {
    f.__name__: f
    for f in (
        yearly_only,
        quarterly,
        monthly,
        single_month,
        partial_year,
        gaps,
        city_own_rows,
        no_city_rows,
        withheld_everywhere,
        every_unit,
        one_district,
        thousands,
        no_denominators,
    )
}


# --- files and import ------------------------------------------------------------------------------


def geojson(city: City) -> bytes:
    """Square districts on a grid, in longitude / latitude (EPSG:4326, GeoJSON's default)."""
    width = int(np.ceil(np.sqrt(len(city.districts))))
    features = []
    for i, (code, name) in enumerate(city.districts):
        x, y = 2.0 + (i % width) * city.side, 48.0 + (i // width) * city.side
        ring = [[x, y], [x + city.side, y], [x + city.side, y + city.side], [x, y + city.side], [x, y]]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[round(a, 6), round(b, 6)] for a, b in ring]],
                },
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def _observations_csv(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    out["value"] = [("" if np.isnan(v) else f"{v:g}") for v in out["value"].astype(float)]
    out["sample_size"] = [("" if np.isnan(v) else str(int(v))) for v in out["sample_size"].astype(float)]
    return _csv(out)


def strategy_files(city: City) -> list[tuple[ImportKind, bytes]]:
    """One axis and partner, the objectives (by default the main indicator across the city), an action."""
    first = min(str(p)[:4] for p in city.observations["period"])
    objective = pd.DataFrame(
        [
            [code, "AX1", f"Improve {indicator} in {area}", indicator, area, first, 1000, 900, "2027"]
            for code, indicator, area in city.goals
        ],
        columns=[
            "code",
            "axis",
            "title",
            "indicator",
            "area",
            "baseline_period",
            "baseline_value",
            "target_value",
            "target_period",
        ],
    )
    return [
        (ImportKind.AXES, b"code,title,description\nAX1,Property crime,Safer homes.\n"),
        (ImportKind.PARTNERS, b"code,name,sector\nP01,City council,public\n"),
        (ImportKind.OBJECTIVES, _csv(objective)),
        (
            ImportKind.ACTIONS,
            b"code,objective,title,lead_partner,partners,status,start,end,budget\n"
            b"AC01,OB1,Home-security visits,P01,,in_progress,2023-01-01,2027-12-31,1000\n",
        ),
    ]


class ShapeImportError(RuntimeError):
    """A generated file was refused by the import path."""


def build(city: City, path: str | Path) -> Path:
    """Import the city into a new staff database at ``path`` through services.imports.

    Raises:
        ShapeImportError: If any file is rejected.
    """
    path = Path(path)
    store = connect(path)
    try:
        reports = [
            import_boundaries(
                store,
                geojson(city),
                "districts.geojson",
                code_field="code",
                name_field="name",
                actor=ACTOR,
                city_code=CITY,
                city_name=CITY_NAME,
            )
        ]
        files = [(ImportKind.INDICATORS, _csv(pd.DataFrame([i.row() for i in city.indicators])))]
        if len(city.denominators):
            files.append((ImportKind.DENOMINATORS, _csv(city.denominators)))
        files.append((ImportKind.OBSERVATIONS, _observations_csv(city.observations)))
        files += strategy_files(city)
        for kind, data in files:
            if not reports[-1].ok:
                break
            reports.append(import_table(store, kind, data, f"{kind.value}.csv", actor=ACTOR))
    finally:
        store.close()
    failed = [r for r in reports if not r.ok]
    if failed:
        raise ShapeImportError(f"{city.shape}: {failed[0].filename} was rejected:\n{failed[0].to_text()}")
    return path
