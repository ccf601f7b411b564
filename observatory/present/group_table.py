"""A grouping's profile as shown: the profile page and the grouping's briefing print the same table."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from observatory.domain import Indicator
from observatory.i18n import format_number, format_total, rate_label, t


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
        rows.append(
            {
                t("common.indicator"): r.name,
                t("common.value"): format_total(r.value, r.low, r.high, r.basis, decimals=0),
                t("groups.rate"): format_total(
                    r.rate,
                    r.low / r.denominator * info.multiplier,
                    r.high / r.denominator * info.multiplier,
                    r.basis,
                    decimals=2,
                )
                if rated
                else format_number(None),
                t("footnote.ci"): _interval(r.rate_lower, r.rate_upper, 2) if rated else format_number(None),
                t("common.city"): format_total(r.city_rate, r.city_low, r.city_high, r.city_basis, decimals=2)
                if info.has_rate
                else format_number(None),
                t("measure.benchmark"): t(f"benchmark.{r.benchmark}")
                if r.benchmark != "not_compared"
                else t("map.not_compared"),
                t("overview.measure"): rate_label(info) if rated else "",
            }
        )
    return pd.DataFrame(rows)
