"""Recorded crime and felt insecurity side by side, and whether they diverge (DOMAIN: keep both in view).

Recorded crime measures police activity and reporting as well as crime, and residents' feeling of
safety can move the other way; the profile shows the two series next to each other, never combined,
and flags a district where one falls beyond chance while the other rises beyond chance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.domain import Indicator, IndicatorKind, Polarity, Unit
from observatory.services.profile_panel import ProfileData
from observatory.stats import compare

#: The survey indicator of felt insecurity, when the catalogue has it under this code.
FEELING_CODE = "feel_unsafe"
#: Years compared when looking for a divergence: the first and the last of this many recent years.
DIVERGENCE_YEARS = 4

SERIES_COLUMNS = ["measure", "area", "year", "value", "lower", "upper", "count", "denominator", "sample_size"]


@dataclass(frozen=True, slots=True)
class CrimeAndFeeling:
    """The district's recorded offences rate and share who feel unsafe, their changes and the flag.

    Attributes:
        series: Long frame of :data:`SERIES_COLUMNS`; measure is ``offences`` (per 1,000 residents) or
            ``feeling`` (percent), area is ``district`` or ``city``.
        offence_codes: Indicators summed into the offences total.
        feeling_code: The survey indicator used, or None when the catalogue has none.
        first_year: Start of the compared period (None when fewer than two common years).
        last_year: End of the compared period.
        offences_change: Rate ratio of the offences totals, last year over first year.
        feeling_change: Difference in percentage points of the share who feel unsafe.
        diverges: True when one falls beyond chance while the other rises beyond chance.
        offences_verdict: Verdict key of the offences change (:func:`stats.compare.verdict`).
        feeling_verdict: Verdict key of the felt-insecurity change.
    """

    series: pd.DataFrame
    offence_codes: tuple[str, ...]
    feeling_code: str | None
    first_year: int | None
    last_year: int | None
    offences_change: compare.Change
    feeling_change: compare.Change
    diverges: bool
    offences_verdict: str
    feeling_verdict: str


def feeling_indicator(indicators: tuple[Indicator, ...]) -> Indicator | None:
    """The felt-insecurity survey indicator.

    By its code, else the first result percentage where lower is better.
    """
    by_code = [i for i in indicators if i.code == FEELING_CODE]
    if by_code:
        return by_code[0]
    surveys = [
        i
        for i in indicators
        if i.kind == IndicatorKind.RESULT.value
        and i.unit == Unit.PERCENT.value
        and i.polarity == Polarity.LOWER_IS_BETTER.value
    ]
    return surveys[0] if surveys else None


def _series(
    data: ProfileData, district: str, totals: pd.DataFrame, feeling: Indicator | None
) -> pd.DataFrame:
    names = {district: "district", data.city_code: "city"}
    offences = totals[totals["area_code"].isin(names)].assign(
        measure="offences",
        area=lambda f: f["area_code"].map(names),
        value=lambda f: f["rate"],
        sample_size=np.nan,
    )
    frames = [offences]
    if feeling is not None:
        both = pd.concat([data.by_area.area(district), data.by_area.area(data.city_code)])
        survey = both[both["code"] == feeling.code].assign(
            measure="feeling",
            area=lambda f: f["area_code"].map(names),
            count=np.nan,
            value=lambda f: f["shown"],
        )
        frames.append(survey)
    return pd.concat([f[SERIES_COLUMNS] for f in frames], ignore_index=True)


def _compared_years(series: pd.DataFrame, year: int) -> list[int]:
    """Years up to ``year`` where the district has both an offences total and a survey share."""
    mine = series[(series["area"] == "district") & (series["year"] <= year) & series["value"].notna()]
    both = mine.groupby("year")["measure"].nunique()
    return sorted(int(y) for y in both[both == 2].index)[-DIVERGENCE_YEARS:]


def _changes(series: pd.DataFrame, first: int, last: int) -> tuple[compare.Change, compare.Change]:
    mine = series[series["area"] == "district"].set_index(["measure", "year"])
    off1, off2 = mine.loc[("offences", first)], mine.loc[("offences", last)]
    offences = compare.rate_ratio(
        off1["count"], off2["count"], n1=off1["denominator"], n2=off2["denominator"]
    )
    feel1, feel2 = mine.loc[("feeling", first)], mine.loc[("feeling", last)]
    feeling = compare.proportion_change(
        feel1["value"], feel1["sample_size"], feel2["value"], feel2["sample_size"]
    )
    return offences, feeling


def diverge(offences: compare.Change, feeling: compare.Change) -> bool:
    """True when both changes are beyond chance and go in opposite directions."""
    moves = {compare.Direction.UP, compare.Direction.DOWN}
    both = offences.significant and feeling.significant
    return both and {offences.direction, feeling.direction} == moves


def crime_and_feeling(data: ProfileData, district: str, year: int, *, span: int = 10) -> CrimeAndFeeling:
    """Recorded offences and felt insecurity of one district, over the ``span`` years up to ``year``.

    Method: offences per 1,000 residents (:func:`profile_panel.offence_totals`; anti-social behaviour
    never added); the survey share with its Wilson interval; over the last :data:`DIVERGENCE_YEARS`
    years both have, the first and the last are compared — a rate ratio with its log interval (exact
    when a count is 0) for offences, Newcombe's interval for the difference of shares — and the two
    diverge when one falls and the other rises, both beyond chance.
    """
    feeling = feeling_indicator(data.indicators)
    series = _series(data, district, data.offences, feeling)
    compared = _compared_years(series, year) if feeling is not None else []
    not_computed = compare.Change(math.nan, math.nan, math.nan, False, compare.Direction.NOT_COMPUTABLE)
    offences_change, feeling_change = not_computed, not_computed
    if len(compared) >= 2:
        offences_change, feeling_change = _changes(series, compared[0], compared[-1])
    shown = series[(series["year"] <= year) & (series["year"] > year - span)]
    return CrimeAndFeeling(
        series=shown.sort_values(["measure", "area", "year"]).reset_index(drop=True),
        offence_codes=data.offence_codes,
        feeling_code=feeling.code if feeling else None,
        first_year=compared[0] if len(compared) >= 2 else None,
        last_year=compared[-1] if len(compared) >= 2 else None,
        offences_change=offences_change,
        feeling_change=feeling_change,
        diverges=diverge(offences_change, feeling_change),
        offences_verdict=compare.verdict(offences_change, Polarity.LOWER_IS_BETTER),
        feeling_verdict=compare.verdict(
            feeling_change, feeling.polarity if feeling else Polarity.LOWER_IS_BETTER
        ),
    )
