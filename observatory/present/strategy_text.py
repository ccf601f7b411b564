"""Words for the strategy screen: status with symbol, values in their unit, the change, actions in words."""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from observatory.i18n import denominator_words, format_date, format_number, format_percent, t
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


def value_text(unit: str, value: float, *, interval: bool = False) -> str:
    """A value in its unit: percentages with one decimal, counts whole (small interval limits to 0.1); a
    value the public release withholds (a small count: services.public_strategy) reads "not published"."""
    if not interval and math.isnan(value):
        return t("map.not_published")
    if unit == "percent":
        return format_percent(value, decimals=1)
    if unit == "count":
        return format_number(value, decimals=1 if interval and not math.isnan(value) and value < 100 else 0)
    return format_number(value, decimals=1)


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
            diff=format_number(row["change_estimate"], decimals=1),
            low=format_number(row["change_lower"], decimals=1),
            high=format_number(row["change_upper"], decimals=1),
            verdict=verdict,
        )
    per = row["change_denominator"]
    key = "strategy.change_rate_ratio" if per else "strategy.change_count_ratio"
    return t(
        key,
        year=year,
        ratio=format_number(row["change_estimate"], decimals=2),
        low=format_number(row["change_lower"], decimals=2),
        high=format_number(row["change_upper"], decimals=2),
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
    return t("strategy.note_ratio", ratio=format_number(row["ratio"], decimals=2))


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
