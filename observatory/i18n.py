"""Translations and locale-aware formatting.

Catalogues are gettext ``.po`` files, one per locale, under ``observatory/locales/<code>/LC_MESSAGES``.
Each ``msgid`` is a stable dotted key (``overview.title``) and each ``msgstr`` the text, with Python
``str.format`` placeholders (``{count}``). English is the base catalogue: a key missing from another
locale falls back to English, then to the key itself, so a gap shows up as readable text, never a crash.

The current locale lives in a :class:`contextvars.ContextVar` because the app serves each session on its
own thread: one visitor choosing French must not switch another visitor's page.

Numbers and dates are formatted by Babel with the CLDR rules of each locale; the separators are the
locale's own characters (French groups thousands with a narrow no-break space U+202F, Portuguese
(Portugal) with a no-break space U+00A0), so compare with those characters, not with plain spaces.
"""

from __future__ import annotations

import copy
import decimal
import math
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_skeleton
from babel.messages.pofile import read_po

from observatory.domain import Granularity, Indicator, Period, TotalBasis

LOCALES: tuple[str, ...] = ("en", "pt", "fr")
#: Each language in its own words, for the language choosers.
LANGUAGE_NAMES = {"en": "English", "pt": "Português", "fr": "Français"}
BASE_LOCALE = "en"
LOCALES_DIR = Path(__file__).parent / "locales"
MISSING = "–"  # shown for NaN / None: an en dash reads as "no value" in all three languages

# The app's short codes name a language; Babel needs the region whose conventions we follow.
_BABEL_LOCALES = {"en": "en_GB", "pt": "pt_PT", "fr": "fr_FR"}

_current: ContextVar[str] = ContextVar("observatory_locale", default=BASE_LOCALE)

# Enum class → catalogue key prefix, so enum members can be labelled with one call.
_ENUM_PREFIXES = {
    "IndicatorKind": "kind",
    "Unit": "unit",
    "Polarity": "polarity",
    "Granularity": "granularity",
    "ObservationStatus": "status",
    "Sector": "sector",
    "ActionStatus": "action_status",
    "Role": "role",
    "Severity": "severity",
}


def set_locale(code: str) -> None:
    """Set the locale of the current thread / context.

    Args:
        code: One of :data:`LOCALES`.

    Raises:
        ValueError: If the code is not a supported locale.
    """
    if code not in LOCALES:
        raise ValueError(f"unsupported locale {code!r}; choose one of {', '.join(LOCALES)}")
    _current.set(code)


def get_locale() -> str:
    """Return the locale of the current thread / context (``en`` unless set)."""
    return _current.get()


@contextmanager
def locale_scope(code: str) -> Iterator[None]:
    """Use ``code`` inside the block, then restore the previous locale of this context."""
    if code not in LOCALES:
        raise ValueError(f"unsupported locale {code!r}; choose one of {', '.join(LOCALES)}")
    token = _current.set(code)
    try:
        yield
    finally:
        _current.reset(token)


@lru_cache(maxsize=16)
def _read_catalogue(directory: Path, code: str) -> dict[str, str]:
    """Read one ``.po`` file into ``{key: text}``; empty and fuzzy entries are left out.

    A missing file gives an empty catalogue so that every key falls back to English.
    """
    path = directory / code / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    # Fuzzy entries are unreviewed guesses; gettext ignores them and so do we.
    return {
        str(message.id): str(message.string)
        for message in catalogue
        if message.id and message.string and not message.fuzzy
    }


def catalogue(code: str) -> dict[str, str]:
    """Return the translations of one locale as ``{key: text}`` (read once, then cached)."""
    return _read_catalogue(LOCALES_DIR, code)


def t(key: str, /, **values: object) -> str:
    """Translate a key into the current locale and fill its placeholders.

    Falls back to English, then to the key itself. A placeholder the caller did not supply leaves the
    template unformatted rather than raising, so a wrong call shows the template on screen.

    Args:
        key: Dotted catalogue key, e.g. ``"overview.title"``.
        **values: Values for the ``{name}`` placeholders.
    """
    text = catalogue(get_locale()).get(key) or catalogue(BASE_LOCALE).get(key) or key
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def enum_label(member: StrEnum) -> str:
    """Translate a domain enum member (``Polarity.LOWER_IS_BETTER`` → "lower is better")."""
    prefix = _ENUM_PREFIXES.get(type(member).__name__, type(member).__name__.lower())
    return t(f"{prefix}.{member.value}")


def placeholders(text: str) -> set[str]:
    """Return the names of the ``str.format`` placeholders in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def missing_keys() -> dict[str, set[str]]:
    """Return, per non-base locale, the English keys that are missing or empty there."""
    base = set(catalogue(BASE_LOCALE))
    return {code: base - set(catalogue(code)) for code in LOCALES if code != BASE_LOCALE}


def _babel_locale() -> Locale:
    return Locale.parse(_BABEL_LOCALES[get_locale()])


def format_number(x: float | int | None, *, decimals: int = 0) -> str:
    """Format a number with the locale's grouping and decimal mark and a fixed number of decimals.

    ``1234.5`` with one decimal gives ``1,234.5`` (en), ``1 234,5`` with U+00A0 (pt) and ``1 234,5`` with
    U+202F (fr). NaN and None give an en dash.
    """
    if x is None or math.isnan(x):
        return MISSING
    locale = _babel_locale()
    # Keep the locale's own pattern (grouping, symbols) and only fix the fraction digits.
    pattern = copy.copy(locale.decimal_formats[None])
    pattern.frac_prec = (decimals, decimals)
    return str(pattern.apply(x, locale))


def round_shown(x: float, decimals: int) -> float:
    """``x`` rounded as :func:`format_number` writes it with ``decimals`` (half to even on the decimal
    written, as Babel does), so a download holds the very number the page shows; NaN stays NaN."""
    if math.isnan(x) or math.isinf(x):
        return x
    step = decimal.Decimal(1).scaleb(-decimals)
    return float(decimal.Decimal(str(x)).quantize(step, rounding=decimal.ROUND_HALF_EVEN))


def format_percent(x: float | int | None, *, decimals: int = 1) -> str:
    """Format a value given in percent units: ``12.5`` → ``12.5%`` (en), ``12,5 %`` (fr)."""
    if x is None or math.isnan(x):
        return MISSING
    locale = _babel_locale()
    pattern = copy.copy(locale.percent_formats[None])
    pattern.frac_prec = (decimals, decimals)
    return str(pattern.apply(x / 100, locale))


def _as_date(d: date | datetime | str) -> date:
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    return date.fromisoformat(str(d)[:10])


def format_date(d: date | datetime | str) -> str:
    """Format a day in the locale's long form: "1 July 2024", "1 de julho de 2024", "1 juillet 2024"."""
    return _babel_date(_as_date(d), format="long", locale=_babel_locale())


def format_datetime(moment: datetime) -> str:
    """Format a moment to the second in the locale's medium form, as given (the store keeps UTC).

    "2 Mar 2026, 09:05:00" (en), "02/03/2026, 09:05:00" (pt), "2 mars 2026, 09:05:00" (fr).
    """
    return str(_babel_datetime(moment, format="medium", tzinfo=None, locale=_babel_locale()))


def format_month(d: date | datetime | str) -> str:
    """Format a month: "July 2024", "julho de 2024", "juillet 2024" (CLDR skeleton ``yMMMM``)."""
    return format_skeleton("yMMMM", _as_date(d), locale=_babel_locale())


def format_period(label: str) -> str:
    """Format a period label for display.

    ``2024`` stays ``2024``; ``2024-Q3`` becomes "Q3 2024" (en) or "T3 2024" (pt, fr); ``2024-07`` becomes
    the month in words. Text that is not a period is returned unchanged.
    """
    try:
        period = Period.parse(label)
    except ValueError:
        return label
    if period.granularity is Granularity.YEAR:
        return str(period.year)
    if period.granularity is Granularity.QUARTER:
        return t("period.quarter", quarter=(period.start.month - 1) // 3 + 1, year=period.year)
    return format_month(period.start)


def rate_label(info: Indicator) -> str:
    """The one label of an indicator's rate: "rate per 100,000 residents" (its multiplier and denominator)."""
    return rate_words(info.multiplier, info.denominator_kind)


def rate_words(multiplier: float, denominator_kind: str | None) -> str:
    """ "rate per 100,000 residents" for a multiplier and a denominator kind (see :func:`rate_label`)."""
    return t(
        "measure.rate", multiplier=format_number(multiplier), denominator=denominator_words(denominator_kind)
    )


def format_total(
    value: float, lower: float, upper: float, basis: TotalBasis | str, *, decimals: int = 0
) -> str:
    """A total as it may be read: "1,234", "between 1,204 and 1,239" or "at least 1,204" (by its basis)."""
    basis = TotalBasis(basis)
    if basis.exact:
        return format_number(value, decimals=decimals)
    if basis is TotalBasis.BOUNDED:
        return t(
            "total.between",
            low=format_number(lower, decimals=decimals),
            high=format_number(upper, decimals=decimals),
        )
    if basis is TotalBasis.AT_LEAST:
        return t("total.at_least", low=format_number(lower, decimals=decimals))
    return MISSING


def denominator_words(kind: str | None) -> str:
    """The translated name of a denominator kind; a kind staff named themselves is shown as written."""
    key = f"denominator.{kind}"
    found = t(key)
    return str(kind).replace("_", " ") if found == key else found
