"""The fixed reference every ingest test (and the corpus) is checked against."""

from observatory.domain import IndicatorKind, Unit
from observatory.ingest import IndicatorRef, Reference

REFERENCE = Reference(
    area_codes=frozenset({*(f"{n:02d}" for n in range(1, 13)), "CITY"}),
    indicators={
        "burglary": IndicatorRef(Unit.COUNT, IndicatorKind.RESULT),
        "feel_unsafe": IndicatorRef(Unit.PERCENT, IndicatorKind.RESULT),
        "unemployment": IndicatorRef(Unit.PERCENT, IndicatorKind.CONTEXT),
        "outreach": IndicatorRef(Unit.COUNT, IndicatorKind.ACTIVITY),
    },
    axis_codes=frozenset({"A1", "A2", "AX1", "AX2"}),
    partner_codes=frozenset({f"P{n:02d}" for n in range(1, 6)}),
    objective_codes=frozenset({"O1", "O2", "O3", "OB1", "OB2"}),
)
