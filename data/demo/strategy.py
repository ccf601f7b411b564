"""The demo city's local safety strategy: objectives measured on the generated data, and actions.

Baselines are the actual 2022 values of the generated series (yearly sums for monthly counts),
so the objective screen starts from numbers the observations confirm.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from citydata import CITY_CODE, DISTRICTS, INDICATORS
from series import Row

BASELINE_YEAR, LATEST_YEAR = 2022, 2025
PERCENT_INDICATORS = {row[0] for row in INDICATORS if row[4] == "percent"}
HIGHER_IS_BETTER = {row[0] for row in INDICATORS if row[5] == "higher_is_better"}
Z95 = 1.959964


@dataclass(frozen=True)
class ObjectiveSpec:
    """An objective as promised: a relative change of one indicator in one area by a year.

    Attributes:
        title: Title with a ``{pct}`` placeholder for the promised change in percent and an
            optional ``{name}`` placeholder for the district's name.
        area: Area code; ignored when ``candidates`` is set.
        change: Fixed relative change promised, or None to derive it from ``ratio``.
        ratio: Progress ratio R the 2025 data should show; the promised change is set from the
            observed 2022-2025 trend so each objective illustrates one status whatever the noise.
    """

    code: str
    axis: str
    title: str
    indicator: str
    area: str
    target_year: int
    change: float | None = None
    ratio: float | None = None
    candidates: tuple[str, ...] = ()


OBJECTIVES = (
    ObjectiveSpec("OB1", "AX4", "Cut burglary of dwellings across the city by {pct} % by 2027", "burglary",
                  CITY_CODE, 2027, ratio=1.1),
    ObjectiveSpec("OB2", "AX4", "Cut burglary in Bairro da Lameira by {pct} % by 2027", "burglary", "12",
                  2027, ratio=2.0),
    ObjectiveSpec("OB3", "AX3", "Open {pct} % more victim-support cases by 2027", "victim_support_cases",
                  CITY_CODE, 2027, ratio=0.78),
    ObjectiveSpec("OB4", "AX2", "Reduce drug offences in Bairro da Lameira by {pct} % by 2027",
                  "drug_offences", "12", 2027, change=-0.20),
    ObjectiveSpec("OB5", "AX1", "Reach {pct} % more young people in Bairro de São Tomé by 2026",
                  "outreach_contacts", "18", 2026, ratio=2.0),
    ObjectiveSpec("OB6", "AX4", "Cut theft from vehicles across the city by {pct} % by 2027",
                  "theft_from_vehicle", CITY_CODE, 2027, ratio=0.45),
    # A small district whose change is within chance: the one of the two least beyond it.
    ObjectiveSpec("OB7", "AX3", "Reduce intra-family violence in {name} by {pct} % by 2027",
                  "domestic_violence", "", 2027, change=-0.30, candidates=("07", "20")),
    ObjectiveSpec("OB8", "AX4", "Bring the share of residents who feel unsafe down by {pct} % by 2027",
                  "feel_unsafe", CITY_CODE, 2027, ratio=0.78),
)  # fmt: skip

OBJECTIVE_HEADER = (
    "code", "axis", "title", "indicator", "area", "baseline_period", "baseline_value", "target_value",
    "target_period",
)  # fmt: skip
ACTION_HEADER = (
    "code", "objective", "title", "lead_partner", "partners", "status", "start", "end", "budget",
    "areas", "indicators", "comparison_areas",
)  # fmt: skip
# Where and on what the actions are evaluated (areas, result indicators, comparison areas), chosen so the
# strategy page shows every impact verdict on effects the generator built in (series.py):
# AC01 burglary in the four strategy districts, which fall from 2023 (beyond chance);
# AC09 drug offences in Lameira, rising there since 2020 (comparison not credible);
# AC05 intra-family violence city-wide, no effect generated (no effect detected, interrupted series);
# AC11 vandalism in São Tomé, no effect generated (no effect detected, difference-in-differences);
# AC07 starts after the data ends (too early); AC17 starts four months after the data begins.
_WHERE = {
    "AC01": ("01|05|12|18", "burglary", ""),
    "AC05": ("000", "domestic_violence", ""),
    "AC07": ("000", "domestic_violence", ""),
    "AC09": ("12", "drug_offences", ""),
    "AC11": ("18", "vandalism", ""),
    "AC17": ("01", "theft_from_vehicle", ""),
}
_ACTIONS = (
    ("AC01", "OB1", "Free home-security visits for older residents",
     "P02", "P01|P09|P11", "in_progress", "2023-02-01", "2026-12-31", "48000"),
    ("AC02", "OB1", "Neighbourhood watch with the insurer's prevention advisers",
     "P09", "P02|P03", "completed", "2023-01-15", "2024-12-31", "22500"),
    ("AC03", "OB2", "Door and lock renewal in municipal housing of Lameira",
     "P01", "P11", "completed", "2023-03-01", "2024-06-30", "310000"),
    ("AC04", "OB2", "Evening patrols in Bairro da Lameira",
     "P03", "P02", "in_progress", "2023-01-01", "2027-12-31", ""),
    ("AC05", "OB3", "Victim-support desk at the police station",
     "P12", "P03|P01", "in_progress", "2022-10-01", "2027-12-31", "96000"),
    ("AC06", "OB3", "Training of health-centre staff to detect violence at home",
     "P05", "P12", "completed", "2023-04-01", "2023-11-30", "12000"),
    ("AC07", "OB3", "Second safe-house flat for women and children",
     "P01", "P12|P05", "planned", "2026-01-01", "2027-06-30", "185000"),
    ("AC08", "OB4", "Outreach and needle exchange near the riverside",
     "P13", "P05|P02", "in_progress", "2023-01-01", "2026-12-31", "140000"),
    ("AC09", "OB4", "Closing of open drug-dealing spots in Lameira",
     "P03", "P01|P02", "suspended", "2023-06-01", "2025-12-31", ""),
    ("AC10", "OB5", "Street educators in Bairro de São Tomé",
     "P10", "P01|P11", "in_progress", "2023-01-01", "2027-12-31", "210000"),
    ("AC11", "OB5", "Night football with the city club",
     "P07", "P10|P04", "in_progress", "2023-09-01", "2026-06-30", "35000"),
    ("AC12", "OB5", "School mediation in the Ribeira school cluster",
     "P04", "P10", "completed", "2023-09-01", "2025-07-31", "27000"),
    ("AC13", "OB6", "Anti-theft campaign in car parks and at the shopping centre",
     "P08", "P02|P06", "completed", "2023-05-01", "2023-10-31", "15000"),
    ("AC14", "OB6", "Lighting and camera upgrade at park-and-ride sites",
     "P06", "P01|P02", "in_progress", "2024-03-01", "2026-12-31", "260000"),
    ("AC15", "OB7", "Family mediation service for isolated households",
     "P12", "P05", "planned", "2026-03-01", "2027-12-31", "18000"),
    ("AC16", "OB8", "Residents' safety walks and quick repairs of street lighting",
     "P01", "P02|P11|P10", "in_progress", "2023-04-01", "2027-12-31", "75000"),
    ("AC17", "OB6", "Parking attendants at the Sé car park",
     "P08", "P02", "completed", "2016-05-01", "2017-04-30", "9000"),
)  # fmt: skip
ACTIONS = tuple((*row, *_WHERE.get(row[0], ("", "", ""))) for row in _ACTIONS)


def yearly_value(rows: Sequence[Row], indicator: str, area: str, year: int) -> float:
    """Published value for a year: the yearly row, else the sum of monthly rows.

    For the city code without city rows of a monthly count, the districts are summed.
    """
    period = str(year)
    mine = [r for r in rows if r[0] == indicator and r[1] == area]
    if not mine and area == CITY_CODE:
        mine = [r for r in rows if r[0] == indicator]
    exact = [r for r in mine if r[2] == period]
    if exact:
        return float(exact[0][3])
    return float(sum(int(r[3]) for r in mine if r[2].startswith(period + "-") and r[3]))


def sample_size(rows: Sequence[Row], indicator: str, area: str, year: int) -> int:
    """Respondents behind a yearly survey value."""
    return next(int(r[4]) for r in rows if r[0] == indicator and r[1] == area and r[2] == str(year))


def _fmt(indicator: str, value: float) -> str:
    return f"{value:.1f}" if indicator in PERCENT_INDICATORS else str(round(value))


def promised_change(o: ObjectiveSpec, y0: float, y1: float) -> float:
    """Relative change promised by the target year, rounded to 5 % as promises are."""
    if o.change is not None:
        return o.change
    ratio = o.ratio if o.ratio is not None else 1.0
    observed = (y1 / y0) ** (1 / (LATEST_YEAR - BASELINE_YEAR)) - 1
    required = observed / ratio
    return round(20 * ((1 + required) ** (o.target_year - BASELINE_YEAR) - 1)) / 20


def _z_score(rows: Sequence[Row], indicator: str, area: str) -> float:
    """Size of the 2022-2025 log rate ratio of counts in standard errors."""
    y0 = yearly_value(rows, indicator, area, BASELINE_YEAR)
    y1 = yearly_value(rows, indicator, area, LATEST_YEAR)
    return abs(math.log(y1 / y0)) / math.sqrt(1 / y0 + 1 / y1)


def resolved(rows: Sequence[Row]) -> list[ObjectiveSpec]:
    """Objectives with their area fixed: a candidate list resolves to its least significant change."""
    out = []
    for o in OBJECTIVES:
        if o.candidates:
            o = replace(o, area=min(o.candidates, key=lambda a: _z_score(rows, o.indicator, a)))
        out.append(o)
    return out


def objective_rows(rows: Sequence[Row]) -> list[Row]:
    """Objective rows with baselines measured on the generated observations."""
    names = {d.code: d.name for d in DISTRICTS}
    out: list[Row] = []
    for o in resolved(rows):
        baseline = yearly_value(rows, o.indicator, o.area, BASELINE_YEAR)
        change = promised_change(o, baseline, yearly_value(rows, o.indicator, o.area, LATEST_YEAR))
        title = o.title.format(pct=round(abs(change) * 100), name=names.get(o.area, ""))
        target = baseline * (1 + change)
        values = (_fmt(o.indicator, baseline), _fmt(o.indicator, target), str(o.target_year))
        out.append((o.code, o.axis, title, o.indicator, o.area, str(BASELINE_YEAR), *values))
    return out


def _beyond_chance(rows: Sequence[Row], o: ObjectiveSpec, y0: float, y1: float) -> bool:
    """Rate-ratio CI of two yearly counts, or a two-proportion z-test for the survey."""
    if o.indicator in PERCENT_INDICATORS:
        n0 = sample_size(rows, o.indicator, o.area, BASELINE_YEAR)
        n1 = sample_size(rows, o.indicator, o.area, LATEST_YEAR)
        p0, p1 = y0 / 100, y1 / 100
        pooled = (p0 * n0 + p1 * n1) / (n0 + n1)
        return abs(p1 - p0) > Z95 * math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1))
    return abs(math.log(y1 / y0)) > Z95 * math.sqrt(1 / y0 + 1 / y1)


def progress(rows: Sequence[Row], o: ObjectiveSpec, target: float) -> tuple[float, float, str]:
    """2025 value, progress ratio and status by the CAGR ratio method gated by significance."""
    y0 = yearly_value(rows, o.indicator, o.area, BASELINE_YEAR)
    y1 = yearly_value(rows, o.indicator, o.area, LATEST_YEAR)
    sign = 1 if o.indicator in HIGHER_IS_BETTER else -1
    observed = (y1 / y0) ** (1 / (LATEST_YEAR - BASELINE_YEAR)) - 1
    required = (target / y0) ** (1 / (o.target_year - BASELINE_YEAR)) - 1
    ratio = sign * observed / abs(required)
    if not _beyond_chance(rows, o, y0, y1):
        return y1, ratio, "too early to tell"
    if sign * (y1 - target) >= 0:
        return y1, ratio, "achieved"
    bands = ((0.95, "on track"), (0.6, "moderate"), (0.0, "limited"))
    return y1, ratio, next((label for limit, label in bands if ratio >= limit), "deteriorating")
