"""How many decimals a figure is shown with: one rule for the page's table and the download beside it.

A page formats a column with :func:`measure_decimals`; the download of the same table passes
:func:`table_decimals` to :mod:`observatory.present.downloads`, which rounds the numbers the same way
(:func:`observatory.i18n.round_shown`), so the file holds the figures the page shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from observatory.domain import Indicator, Unit, shown_decimals
from observatory.i18n import round_shown
from observatory.services import mapview

#: Columns holding counts of events or people: whole numbers.
_WHOLE = frozenset({"count", "denominator", "earlier", "later", "previous", "latest", "sample_size"})
#: Columns of the rate and its interval, of the value and its interval, of the city's reference.
_RATE = frozenset({"rate", "rate_lower", "rate_upper"})
_VALUE = frozenset({"value", "value_lower", "value_upper", "count_or_value"})
_REFERENCE = frozenset({"reference", "reference_low", "reference_high"})


def measure_decimals(info: Indicator, measure: str) -> int:
    """Decimals a measure of the indicator is written with (the one rule, :func:`shown_decimals`)."""
    if measure == mapview.COUNT:
        return shown_decimals(Unit.COUNT)
    return shown_decimals(info.unit, rate=mapview.shown_columns(info, measure)[0] == "rate")


def table_decimals(
    info: Indicator, columns: Iterable[object], *, measure: str | None = None
) -> dict[str, int]:
    """Decimals of each numeric column of one indicator's table, as the page shows them.

    ``measure`` is the measure the page shows (its ``shown``, ``lower`` and ``upper`` columns and the
    city's reference are written with its decimals); the rate and value columns with their own.
    """
    shown = measure or (mapview.RATE if info.has_rate else mapview.VALUE)
    reference = mapview.BENCHMARK if shown == mapview.BENCHMARK else shown
    found: dict[str, int] = {}
    for column in map(str, columns):
        if column in _WHOLE:
            found[column] = 0
        elif column in _RATE:
            found[column] = measure_decimals(info, mapview.RATE)
        elif column in _VALUE:
            found[column] = measure_decimals(info, mapview.VALUE)
        elif column in _REFERENCE:
            found[column] = measure_decimals(info, reference)
        elif column in {"shown", "lower", "upper"}:
            found[column] = measure_decimals(info, shown)
    return found


def change_percent(ratio: object) -> float:
    """A change given as a ratio of the later figure to the earlier, as the percentage the page writes
    ("+12%": whole, :func:`shown_decimals` with ``change``); NaN stays NaN, an unbounded ratio infinite."""
    if ratio is None or pd.isna(ratio):
        return math.nan
    x = float(ratio)  # type: ignore[arg-type]
    if math.isinf(x):
        return x
    # + 0.0 turns -0.0 into 0.0, so a tiny fall never reads "-0%".
    return round_shown((x - 1.0) * 100.0, shown_decimals(Unit.PERCENT, change=True)) + 0.0


def movers_download(frame: pd.DataFrame) -> pd.DataFrame:
    """The overview's districts that moved beyond chance as its table writes them: the two periods'
    counts whole, the change and its interval in whole percent, the verdict (coded, for the download's
    words)."""
    return pd.DataFrame(
        {
            "code": frame["code"],
            "name": frame["name"],
            "previous": [round_shown(float(v), shown_decimals(Unit.COUNT)) for v in frame["previous"]],
            "latest": [round_shown(float(v), shown_decimals(Unit.COUNT)) for v in frame["latest"]],
            "change_percent": [change_percent(r) for r in frame["ratio"]],
            "change_percent_lower": [change_percent(r) for r in frame["lower"]],
            "change_percent_upper": [change_percent(r) for r in frame["upper"]],
            "verdict": frame["verdict"],
        }
    )
