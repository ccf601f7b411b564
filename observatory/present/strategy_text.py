"""Words for the strategy screen: status with symbol, values in their unit, the change, actions in words."""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from observatory.domain import ADDITIVE_UNITS, Unit, shown_decimals
from observatory.i18n import denominator_words, format_date, format_number, format_percent, round_shown, t
from observatory.services import strategy

#: A symbol per status, so the status never rests on colour alone.
STATUS_SYMBOLS = {
    "achieved": "✔",
    "on_track": "●",
    "moderate": "◑",
    "limited": "○",
    "deteriorating": "✖",
    "too_early": "?",
}
BadgeColour = Literal["green", "yellow", "orange", "red", "gray"]
STATUS_COLOURS: dict[str, BadgeColour] = {
    "achieved": "green",
    "on_track": "green",
    "moderate": "yellow",
    "limited": "orange",
    "deteriorating": "red",
    "too_early": "gray",
}


def status_label(status: str) -> str:
    """Symbol and words of a status, e.g. "✔ achieved"."""
    return f"{STATUS_SYMBOLS.get(status, '')} {t(f'progress.{status}')}".strip()


def decimals(unit: str, value: float | None = None, *, interval: bool = False) -> int:
    """Decimals of an objective's figure (the one rule, :func:`observatory.domain.shown_decimals`); an
    interval limit of a small count (under 100) keeps one decimal, so a narrow interval stays visible."""
    places = shown_decimals(unit)
    small = value is not None and not math.isnan(value) and value < 100
    if interval and small and Unit(unit) in ADDITIVE_UNITS:
        return max(places, 1)
    return places


def value_text(unit: str, value: float, *, interval: bool = False) -> str:
    """A value in its unit, with :func:`decimals`; a value the public release withholds (a small count:
    services.public_strategy) reads "not published"."""
    if not interval and math.isnan(value):
        return t("map.not_published")
    places = decimals(unit, value, interval=interval)
    if unit == "percent":
        return format_percent(value, decimals=places)
    return format_number(value, decimals=places)


#: Decimals of the change since the baseline as :func:`change_text` writes it: a ratio with two, a
#: difference of shares in points as a percentage.
RATIO_DECIMALS = 2


def change_decimals(test: str) -> int:
    """Decimals of the change estimate and its limits, as :func:`change_text` writes them."""
    return shown_decimals(Unit.PERCENT) if test == strategy.TEST_PROPORTION else RATIO_DECIMALS


#: Objective columns written as a value of the indicator, and as an interval limit.
_VALUES = ("baseline_value", "target_value", "current_value", "expected_now")
_LIMITS = ("current_lower", "current_upper")
_CHANGE = ("change_estimate", "change_lower", "change_upper")
#: Coded columns of the strategy's downloads and the messages the page writes them with.
WORDS = {
    "status": "progress",
    "polarity": "polarity",
    "unit": "unit",
    "change_test": "change_test",
    "change_denominator": "denominator",
}


def _round(value: object, places: int) -> object:
    if value is None or pd.isna(value) or math.isinf(float(value)):  # type: ignore[arg-type]
        return value
    return round_shown(float(value), places)  # type: ignore[arg-type]


def rounded_objectives(table: pd.DataFrame) -> pd.DataFrame:
    """The objective table with its figures rounded as the page writes them (its download): values in
    their unit, interval limits as :func:`value_text` writes them, the change as :func:`change_text`,
    the ratio to the path with two decimals (:func:`status_note`) and the share achieved in whole percent."""
    out = table.copy()
    units = [str(u) for u in out["unit"]]
    for column in _VALUES:
        out[column] = [_round(v, decimals(u)) for v, u in zip(out[column], units, strict=True)]
    for column in _LIMITS:
        out[column] = [
            _round(v, decimals(u, v, interval=True)) for v, u in zip(out[column], units, strict=True)
        ]
    for column in _CHANGE:
        out[column] = [
            _round(v, change_decimals(str(test)))
            for v, test in zip(out[column], out["change_test"], strict=True)
        ]
    out["ratio"] = [_round(v, RATIO_DECIMALS) for v in out["ratio"]]
    # The progress bar writes the share as a whole percentage: the file holds it as that fraction.
    out["share_done"] = [_round(v, 2) for v in out["share_done"]]
    return out


def rounded_trajectory(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """An objective's yearly values rounded as the objective's figures are written (its download)."""
    out = frame.copy()
    out["value"] = [_round(v, decimals(unit)) for v in out["value"]]
    for column in ("lower", "upper"):
        out[column] = [_round(v, decimals(unit, v, interval=True)) for v in out[column]]
    return out


def change_text(row: pd.Series) -> str:
    """One sentence on the change since the baseline: estimate, 95% interval, beyond chance or not."""
    year = int(row["baseline_year"])
    if row["change_test"] == strategy.TEST_NONE or pd.isna(row["change_lower"]):
        return t("strategy.change_untested", year=year)
    verdict = t("strategy.beyond_chance" if row["change_significant"] else "strategy.within_chance")
    if row["change_test"] == strategy.TEST_PROPORTION:
        return t(
            "strategy.change_difference",
            year=year,
            diff=format_number(row["change_estimate"], decimals=change_decimals(row["change_test"])),
            low=format_number(row["change_lower"], decimals=change_decimals(row["change_test"])),
            high=format_number(row["change_upper"], decimals=change_decimals(row["change_test"])),
            verdict=verdict,
        )
    per = row["change_denominator"]
    key = "strategy.change_rate_ratio" if per else "strategy.change_count_ratio"
    return t(
        key,
        year=year,
        ratio=format_number(row["change_estimate"], decimals=RATIO_DECIMALS),
        low=format_number(row["change_lower"], decimals=RATIO_DECIMALS),
        high=format_number(row["change_upper"], decimals=RATIO_DECIMALS),
        denominator=denominator_words(per) if per else "",
        verdict=verdict,
    )


def status_note(row: pd.Series) -> str:
    """Why the objective has its status."""
    status = str(row["status"])
    if status == "achieved":
        return t("strategy.note_achieved")
    if status == "too_early":
        missing = row["current_period"] is None or pd.isna(row["current_value"])
        return t("strategy.note_no_data" if missing else "strategy.note_too_early")
    return t("strategy.note_ratio", ratio=format_number(row["ratio"], decimals=RATIO_DECIMALS))


def _budget(value: float) -> str:
    return "–" if pd.isna(value) else format_number(value)


def actions_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Actions in words for display: lead with sector, partners, status with words, dates, budget."""
    return pd.DataFrame(
        {
            t("strategy.col_action"): frame["code"] + " · " + frame["title"],
            t("strategy.col_lead"): [
                f"{n} ({t(f'sector.{s}')})" if s else n
                for n, s in zip(frame["lead_name"], frame["lead_sector"], strict=True)
            ],
            t("strategy.col_partners"): frame["partner_names"],
            t("strategy.col_status"): [t(f"action_status.{s}") for s in frame["status"]],
            t("strategy.col_start"): [format_date(d) if pd.notna(d) else "–" for d in frame["start_date"]],
            t("strategy.col_end"): [format_date(d) if pd.notna(d) else "–" for d in frame["end_date"]],
            t("strategy.col_budget"): [_budget(b) for b in frame["budget"]],
        }
    )
