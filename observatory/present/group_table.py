"""A grouping's profile as shown: the profile page and the grouping's briefing print the same table."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from observatory.domain import Indicator, shown_decimals
from observatory.i18n import format_number, format_total, rate_label, round_shown, t

#: The decimals of a rate (the one rule, :func:`observatory.domain.shown_decimals`).
RATE = shown_decimals("count", rate=True)
#: Coded columns of the download and the messages the page writes them with.
WORDS = {"kind": "kind", "basis": "total.basis", "city_basis": "total.basis"}


def _interval(lower: float, upper: float, decimals: int) -> str:
    if math.isfinite(lower) and math.isinf(upper):
        return t("total.at_least", low=format_number(lower, decimals=decimals))
    if not (math.isfinite(lower) and math.isfinite(upper)):
        return format_number(None)
    return f"{format_number(lower, decimals=decimals)} – {format_number(upper, decimals=decimals)}"


def display_table(frame: pd.DataFrame, indicators: Mapping[str, Indicator]) -> pd.DataFrame:
    """Rows of :func:`services.group_profile.group_profile` in words: the group's total (exact, between or
    at least), its rate and interval on the sums, the city's rate, the benchmark and what the rate is per."""
    rows = []
    for r in frame.itertuples():
        info = indicators[str(r.indicator_code)]
        rated = info.has_rate and math.isfinite(r.denominator)
        places = shown_decimals(info.unit)
        rows.append(
            {
                t("common.indicator"): r.name,
                t("common.value"): format_total(r.value, r.low, r.high, r.basis, decimals=places),
                t("groups.rate"): format_total(
                    r.rate,
                    r.low / r.denominator * info.multiplier,
                    r.high / r.denominator * info.multiplier,
                    r.basis,
                    decimals=RATE,
                )
                if rated
                else format_number(None),
                t("footnote.ci"): _interval(r.rate_lower, r.rate_upper, RATE)
                if rated
                else format_number(None),
                t("common.city"): format_total(
                    r.city_rate, r.city_low, r.city_high, r.city_basis, decimals=RATE
                )
                if info.has_rate
                else format_number(None),
                t("measure.benchmark"): benchmark_words(str(r.benchmark)),
                t("overview.measure"): rate_label(info) if rated else "",
            }
        )
    return pd.DataFrame(rows)


def benchmark_words(benchmark: str) -> str:
    """The benchmark verdict in the reader's words."""
    return t(f"benchmark.{benchmark}") if benchmark != "not_compared" else t("map.not_compared")


def _rounded(value: object, places: int) -> object:
    if value is None or pd.isna(value) or math.isinf(float(value)):  # type: ignore[arg-type]
        return value
    return round_shown(float(value), places)  # type: ignore[arg-type]


def download_table(frame: pd.DataFrame, indicators: Mapping[str, Indicator]) -> pd.DataFrame:
    """Rows of :func:`services.group_profile.group_profile` as the grouping's download: the totals and
    their limits with the indicator's decimals, the rates with a rate's, as :func:`display_table` writes
    them; the benchmark in words (kind and bases are coded: :data:`WORDS`)."""
    out = frame.copy()
    units = [indicators[str(c)].unit for c in out["indicator_code"]]
    for column in ("value", "low", "high"):
        out[column] = [_rounded(v, shown_decimals(u)) for v, u in zip(out[column], units, strict=True)]
    for column in ("rate", "rate_lower", "rate_upper", "city_rate", "city_low", "city_high"):
        out[column] = [_rounded(v, RATE) for v in out[column]]
    out["benchmark"] = [benchmark_words(str(b)) for b in out["benchmark"]]
    return out
