"""How many decimals a figure is shown with: one rule for the page's table and the download beside it.

A page formats a column with :func:`measure_decimals`; the download of the same table passes
:func:`table_decimals` to :mod:`observatory.present.downloads`, which rounds the numbers the same way
(:func:`observatory.i18n.round_shown`), so the file holds the figures the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from observatory.domain import Indicator, Unit, shown_decimals
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
