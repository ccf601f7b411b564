"""Words of the city's headline figures: the period, the value, the rate with its interval, the change.

Shared by the overview page and the documents, so a card and a briefing print the same words.
"""

from __future__ import annotations

import math

import pandas as pd

from observatory.domain import shown_decimals
from observatory.i18n import (
    denominator_words,
    format_number,
    format_percent,
    format_period,
    format_total,
    rate_words,
    t,
)
from observatory.services import headlines, totals

ARROWS = {"up": "▲", "down": "▼", "flat": "▶", "not_computable": "·"}


def window_text(window: headlines.Window) -> str:
    """ "2025", "the 12 months to December 2025", or "January 2025 to March 2025 (the months available)"."""
    if ".." not in window.label:
        return format_period(window.label)
    first, last = window.label.split("..")
    if window.short:
        return t("overview.months_window", start=format_period(first), end=format_period(last))
    return t("overview.rolling_window", end=format_period(last))


def main_window(cards: list[headlines.Headline]) -> headlines.Window:
    """The window most cards share (indicators of one source end together)."""
    labels = pd.Series([card.window.label for card in cards])
    common = labels.mode().iloc[0]
    return next(card.window for card in cards if card.window.label == common)


def value_text(h: headlines.Headline) -> str:
    if h.unit == "percent":
        return format_percent(h.value)
    decimals = 0 if h.unit == "count" else 1
    return format_total(h.value, h.lower_bound, h.upper_bound, h.basis, decimals=decimals)


def rate_text(h: headlines.Headline) -> str:
    if (
        h.denominator_kind
        and math.isnan(h.rate)
        and math.isfinite(h.rate_lower)
        and math.isfinite(h.rate_upper)
    ):
        # A bounded city total: its rate is known only within the interval over both bounds.
        low, high = format_number(h.rate_lower, decimals=2), format_number(h.rate_upper, decimals=2)
        return f"{rate_words(h.multiplier, h.denominator_kind)}: {t('overview.interval', low=low, high=high)}"
    if not h.denominator_kind or math.isnan(h.rate):
        if h.unit == "percent" and not math.isnan(h.rate_lower):
            return t("overview.interval", low=format_percent(h.rate_lower), high=format_percent(h.rate_upper))
        return ""
    return t(
        "overview.rate_line",
        rate=format_number(h.rate, decimals=2),
        low=format_number(h.rate_lower, decimals=2),
        high=format_number(h.rate_upper, decimals=2),
        multiplier=format_number(h.multiplier),
        denominator=denominator_words(h.denominator_kind),
        year=h.denominator_year,
    )


def basis_text(h: headlines.Headline) -> str:
    """Which kind of city figure a headline is, when it is not the city's own or a complete sum."""
    if h.basis.exact:
        return ""
    return t("overview.total_basis", basis=t(totals.describe(h.basis)))


def change_text(h: headlines.Headline) -> str:
    change = h.change
    if math.isnan(change.estimate):
        return t("verdict.not_computable")
    if h.unit == "percent":
        size = t("overview.points", diff=format_number(change.estimate, decimals=1))
    elif not change.tested:
        # An amount or an index: the plain difference, in its own unit.
        sign = "+" if change.estimate > 0 else ""
        size = sign + format_number(change.estimate, decimals=0 if h.unit == "amount" else 1)
    else:
        size = format_percent((change.estimate - 1) * 100, decimals=shown_decimals("percent", change=True))
    arrow = ARROWS.get(change.direction.value, "")
    return f"{arrow} {size} · {t(f'verdict.{h.verdict}')}"
