"""Vocabulary of the observatory: enums and small frozen values, no I/O.

Every other room speaks in these terms, so they stay small and stable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class IndicatorKind(StrEnum):
    """The three kinds of indicator of a local security strategy."""

    CONTEXT = "context"
    ACTIVITY = "activity"
    RESULT = "result"


class Unit(StrEnum):
    """What an observation's value measures."""

    COUNT = "count"
    RATE = "rate"
    PERCENT = "percent"
    INDEX = "index"
    AMOUNT = "amount"


class Polarity(StrEnum):
    """Which direction of change is an improvement."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"
    NEUTRAL = "neutral"


class Granularity(StrEnum):
    """Length of an observation's period."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


class ObservationStatus(StrEnum):
    """Publication status of one observed value."""

    OK = "ok"
    NOT_PUBLISHED = "not_published"
    PROVISIONAL = "provisional"


class Sector(StrEnum):
    """Sector of a partner of the local security partnership."""

    PUBLIC = "public"
    PRIVATE = "private"
    COMMUNITY = "community"


class ActionStatus(StrEnum):
    """Where an action programme stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SUSPENDED = "suspended"


class Role(StrEnum):
    """Who is using the app; anonymous visitors are PUBLIC."""

    PUBLIC = "public"
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


class Severity(StrEnum):
    """An ERROR blocks an import; a WARNING is reported and the import goes on."""

    ERROR = "error"
    WARNING = "warning"


class ImportKind(StrEnum):
    """Kinds of file staff can import."""

    OBSERVATIONS = "observations"
    INDICATORS = "indicators"
    DENOMINATORS = "denominators"
    AREAS = "areas"
    AXES = "axes"
    PARTNERS = "partners"
    OBJECTIVES = "objectives"
    ACTIONS = "actions"
    CONTRACTS = "contracts"


class SourceFormat(StrEnum):
    """Published formats that are turned into observations on the way in (see docs/import-formats.md)."""

    SSMSI = "ssmsi"
    POLICE_UK = "police_uk"
    INCIDENTS = "incidents"
    WIDE = "wide"


class WideLayout(StrEnum):
    """What runs across the columns of a wide table."""

    PERIODS = "periods"  # indicator, area, 2022, 2023, …
    INDICATORS = "indicators"  # area, period, burglary, robbery, …


class BatchState(StrEnum):
    """Outcome of one import attempt, as kept in the batch log."""

    COMMITTED = "committed"
    ROLLED_BACK = "rolled_back"
    DRY_RUN = "dry_run"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in an uploaded file.

    Attributes:
        code: Frictionless-style error code (``type-error``, ``unknown-area`` …).
        severity: ERROR blocks the import, WARNING does not.
        message: Plain-words explanation for staff.
        row: 1-based data row (the header is row 0); None for file-level issues.
        column: Column name as written in the file, or None.
        value: The offending cell text, or None.
        file: File name the issue belongs to.
        key: The catalogue message saying the same in the reader's language (``ingest.<key>``), or
            None where the English message is all there is.
        params: The message's parameters as text (``value``, ``detail`` and the check's own).
    """

    code: str
    severity: Severity
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    file: str | None = None
    key: str | None = None
    params: tuple[tuple[str, str], ...] = ()


_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})))?$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar year, quarter or month, identified by its first day."""

    start: date
    granularity: Granularity

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``2024``, ``2024-Q3`` or ``2024-07``.

        Raises:
            ValueError: If the text is not one of those forms.
        """
        match = _PERIOD_RE.match(text.strip())
        if not match:
            raise ValueError(f"not a period: {text!r} (use 2024, 2024-Q3 or 2024-07)")
        year = int(match.group(1))
        if match.group(2):
            quarter = int(match.group(2))
            return cls(date(year, 3 * quarter - 2, 1), Granularity.QUARTER)
        if match.group(3):
            month = int(match.group(3))
            if not 1 <= month <= 12:
                raise ValueError(f"not a month: {text!r}")
            return cls(date(year, month, 1), Granularity.MONTH)
        return cls(date(year, 1, 1), Granularity.YEAR)

    @property
    def year(self) -> int:
        """Calendar year the period falls in."""
        return self.start.year

    @property
    def months(self) -> int:
        """Number of months the period covers."""
        return {Granularity.YEAR: 12, Granularity.QUARTER: 3, Granularity.MONTH: 1}[self.granularity]

    def label(self) -> str:
        """Canonical text form, the inverse of :meth:`parse`."""
        if self.granularity is Granularity.YEAR:
            return f"{self.start.year}"
        if self.granularity is Granularity.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"


class ObservatoryError(Exception):
    """Base class of the errors this package raises on purpose."""


class PermissionDenied(ObservatoryError):
    """The current role may not perform the requested action."""


class NotFound(ObservatoryError):
    """A named object (batch, indicator, area …) does not exist."""


class ImportRejected(ObservatoryError):
    """An import was refused; the report says why and nothing was written."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who performs an action: a signed-in user, the command line, or an anonymous visitor."""

    name: str
    role: Role


class TotalBasis(StrEnum):
    """Where a total over areas (the city, a group of districts) comes from, best first."""

    OWN = "own"  # the area's own published figure
    SUM = "sum"  # the sum of every part, none withheld or missing
    BOUNDED = "bounded"  # parts withheld: between the known sum and the known sum plus what they can hide
    AT_LEAST = "at_least"  # parts missing (or withheld with no known limit): at least the known sum
    UNKNOWN = "unknown"  # nothing known

    @property
    def exact(self) -> bool:
        """True when a total of this basis is one known number (the area's own figure or a complete sum)."""
        return self in (TotalBasis.OWN, TotalBasis.SUM)


#: Languages content (indicator names, themes, descriptions) can be written in, besides the original.
CONTENT_LOCALES = ("en", "pt", "fr")
#: Indicator texts that have a version per language: ``name_pt``, ``theme_fr`` … beside the original.
INDICATOR_TEXTS = ("name", "theme", "description")


def translation_columns(fields: tuple[str, ...] = INDICATOR_TEXTS) -> tuple[str, ...]:
    """The per-language columns of some text fields: ``name_en, name_pt, name_fr, theme_en …``."""
    return tuple(f"{field}_{code}" for field in fields for code in CONTENT_LOCALES)


# The indicator and its rules need the enums above, so they are imported last.
from observatory.domain.indicator import (  # noqa: E402
    ADDITIVE_UNITS,
    DEFAULT_CITY_CODE,
    ROLLING_MONTHS,
    ChangeTest,
    Indicator,
    IntervalMethod,
    Measure,
    View,
    shown_decimals,
)

__all__ = [
    "ADDITIVE_UNITS",
    "CONTENT_LOCALES",
    "DEFAULT_CITY_CODE",
    "INDICATOR_TEXTS",
    "ROLLING_MONTHS",
    "ActionStatus",
    "Actor",
    "BatchState",
    "ChangeTest",
    "Granularity",
    "ImportKind",
    "ImportRejected",
    "Indicator",
    "IndicatorKind",
    "IntervalMethod",
    "Issue",
    "Measure",
    "NotFound",
    "ObservationStatus",
    "ObservatoryError",
    "Period",
    "PermissionDenied",
    "Polarity",
    "Role",
    "Sector",
    "Severity",
    "SourceFormat",
    "TotalBasis",
    "Unit",
    "View",
    "WideLayout",
    "shown_decimals",
]
