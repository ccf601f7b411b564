"""Words and numbers of the district profile table, in the current language."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from observatory.domain import ADDITIVE_UNITS, Unit, shown_decimals
from observatory.i18n import denominator_words, format_number, format_percent, round_shown, t

#: Columns of the downloadable profile table, raw numbers for reuse.
CSV_COLUMNS = [
    "code",
    "name",
    "theme",
    "kind",
    "unit",
    "year",
    "value",
    "withheld",
    "sample_size",
    "denominator_kind",
    "multiplier",
    "denominator",
    "denominator_year",
    "shown",
    "lower",
    "upper",
    "city",
    "city_low",
    "city_high",
    "district_min",
    "district_max",
    "benchmark",
    "change_measure",
    "change",
    "change_lower",
    "change_upper",
    "change_significant",
    "verdict",
    "source",
]


#: Coded columns of the download and the messages the page writes them with.
WORDS = {
    "kind": "kind",
    "unit": "unit",
    "denominator_kind": "denominator",
    "change_measure": "change_test",
    "verdict": "verdict",
}


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or bool(pd.isna(x))


def decimals(unit: str, *, rate: bool = False) -> int:
    """Decimals of a profile figure (the one rule, :func:`observatory.domain.shown_decimals`)."""
    return shown_decimals(unit, rate=rate and unit != Unit.PERCENT.value)


def measure_text(x: Any, unit: str, *, rate: bool = False) -> str:
    """A value as the reader expects it: a percentage, a rate with two decimals, or a whole count."""
    if _missing(x):
        return format_number(None)
    if unit == Unit.PERCENT.value:
        return format_percent(float(x), decimals=decimals(unit))
    return format_number(float(x), decimals=decimals(unit, rate=rate))


#: The profile's columns of the compared measure (the rate for a count with a denominator).
_COMPARED = ("shown", "lower", "upper", "city", "city_low", "city_high", "district_min", "district_max")


def rounded(table: pd.DataFrame) -> pd.DataFrame:
    """The profile table with its figures rounded as the page writes them (its download): the value by
    its unit, the compared measure and the city's figure as a rate where there is one."""
    out = table.copy()
    rates = [has_denominator(row) for _, row in out.iterrows()]
    for column in ("value", *_COMPARED):
        if column not in out.columns:
            continue
        out[column] = [
            v
            if _missing(v) or math.isinf(float(v))
            else round_shown(float(v), decimals(unit, rate=rate and column != "value"))
            for v, unit, rate in zip(out[column], out["unit"], rates, strict=True)
        ]
    return out


def _round_column(values: Any, places: Any) -> list[Any]:
    return [
        v if _missing(v) or math.isinf(float(v)) else round_shown(float(v), int(d))
        for v, d in zip(values, places, strict=True)
    ]


#: Counts beside a figure (events, residents, respondents): whole.
_COUNTS = ("count", "denominator", "sample_size")


def rounded_crime(series: pd.DataFrame) -> pd.DataFrame:
    """Recorded offences beside felt insecurity (``CrimeAndFeeling.series``) rounded as the profile
    writes them: the offences as a rate, the share who feel unsafe as a percentage, counts whole."""
    out = series.copy()
    places = [
        decimals(Unit.PERCENT.value) if m == "feeling" else decimals(Unit.COUNT.value, rate=True)
        for m in out["measure"]
    ]
    for column in ("value", "lower", "upper"):
        out[column] = _round_column(out[column], places)
    for column in _COUNTS:
        if column in out.columns:
            out[column] = _round_column(out[column], [decimals(Unit.COUNT.value)] * len(out))
    return out


def rounded_trends(trends: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The profile's small trend lines (``DistrictProfile.trends``) rounded as its table writes each
    indicator's compared measure: a rate where there is a denominator, else the value in its unit."""
    by_code = table.drop_duplicates("code").set_index("code")
    places = [
        decimals(str(by_code.at[c, "unit"]), rate=has_denominator(by_code.loc[c])) for c in trends["code"]
    ]
    out = trends.copy()
    for column in ("shown", "lower", "upper"):
        out[column] = _round_column(out[column], places)
    return out


def value_text(row: pd.Series) -> str:
    """The district's value; a withheld value reads "not published", never 0."""
    if row["withheld"]:
        return t("map.not_published")
    return measure_text(row["value"], row["unit"])


def has_denominator(row: Mapping[str, Any] | pd.Series) -> bool:
    """True for a count or amount with a denominator kind: one compared as a rate (Indicator.has_rate)."""
    kind = row["denominator_kind"]
    return row["unit"] in ADDITIVE_UNITS and isinstance(kind, str) and bool(kind)


def rate_text(row: pd.Series) -> str:
    """A count's rate with its denominator (kind, size and year); a dash when there is none."""
    if not has_denominator(row) or _missing(row["shown"]) or _missing(row["denominator_year"]):
        return format_number(None)
    return t(
        "profile.rate_cell",
        rate=format_number(float(row["shown"]), decimals=2),
        multiplier=format_number(float(row["multiplier"])),
        kind=denominator_words(row["denominator_kind"]),
        denominator=format_number(float(row["denominator"])),
        year=int(row["denominator_year"]),
    )


def interval_text(row: pd.Series) -> str:
    """The 95% interval of the compared measure (the rate for counts with a denominator)."""
    if _missing(row["lower"]) or _missing(row["upper"]):
        return format_number(None)
    rate = has_denominator(row)
    lower, upper = (measure_text(row[limit], row["unit"], rate=rate) for limit in ("lower", "upper"))
    return f"{lower} – {upper}"


def city_text(row: pd.Series) -> str:
    """The city's value of the compared measure ("between … and …" when districts are withheld); a dash
    when the district cannot be set against it."""
    low, high = row.get("city_low"), row.get("city_high")
    if _missing(row["city"]) and not _missing(low) and not _missing(high):
        rate = has_denominator(row)
        if math.isinf(float(high)):
            return t("total.at_least", low=measure_text(low, row["unit"], rate=rate))
        return t(
            "total.between",
            low=measure_text(low, row["unit"], rate=rate),
            high=measure_text(high, row["unit"], rate=rate),
        )
    return measure_text(row["city"], row["unit"], rate=has_denominator(row))


def benchmark_text(value: str) -> str:
    """Words for a benchmark category."""
    return t("profile.not_compared") if value == "not_compared" else t(f"benchmark.{value}")


def _signed_percent(ratio: float) -> str:
    text = format_percent((ratio - 1.0) * 100.0, decimals=shown_decimals("percent", change=True))
    return text if ratio < 1.0 else f"+{text}"


def _signed_points(points: float) -> str:
    text = format_number(points, decimals=1)
    return t("profile.points", value=text if points < 0 else f"+{text}")


def change_text(row: Mapping[str, Any] | pd.Series) -> str:
    """The change since last year: a percent change of the rate, or a difference in points, with its CI."""
    if _missing(row["change"]) or math.isinf(float(row["change"])):
        return format_number(None)
    ratio = row["change_measure"] == "rate_ratio"
    show = _signed_percent if ratio else _signed_points
    text = show(float(row["change"]))
    if (
        _missing(row["change_lower"])
        or _missing(row["change_upper"])
        or math.isinf(float(row["change_upper"]))
    ):
        return text
    return t(
        "profile.change_ci",
        change=text,
        lower=show(float(row["change_lower"])),
        upper=show(float(row["change_upper"])),
    )


def verdict_text(key: str) -> str:
    """Words for a change verdict key of :func:`observatory.stats.compare.verdict`."""
    return t(f"verdict.{key}")


def display_table(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The profile rows of one kind as translated, formatted text columns."""
    return pd.DataFrame(
        {
            t("profile.col_theme"): table["theme"],
            t("common.indicator"): table["name"],
            t("common.value"): [value_text(r) for _, r in table.iterrows()],
            t("profile.col_rate"): [rate_text(r) for _, r in table.iterrows()],
            t("footnote.ci"): [interval_text(r) for _, r in table.iterrows()],
            t("common.city"): [city_text(r) for _, r in table.iterrows()],
            t("measure.benchmark"): [benchmark_text(b) for b in table["benchmark"]],
            t("profile.col_change", year=year - 1): [change_text(r) for _, r in table.iterrows()],
            t("profile.col_verdict"): [verdict_text(v) for v in table["verdict"]],
        }
    )
