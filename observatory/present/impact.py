"""Impact estimates as shown: the checks in words and the words of the picture, for pages and documents."""

from __future__ import annotations

import math

import pandas as pd

from observatory.i18n import format_number, format_percent, t


def _ratio(x: float) -> str:
    return format_number(x, decimals=2)


def checks_text(row: pd.Series) -> list[str]:
    """The checks of one estimate (a row of ``services.impact.estimates``), one sentence each.

    Parallel trends before the start (DiD), the placebo start, spillover to neighbouring districts, and
    how many periods the estimate rests on; a check that could not be made is left out.
    """
    lines = []
    if math.isfinite(row["pretrend_ratio"]):
        lines.append(
            t(
                "impact.check.pretrend",
                ratio=_ratio(row["pretrend_ratio"]),
                p=format_number(row["pretrend_p"], decimals=3),
            )
        )
    if math.isfinite(row["placebo_ratio"]):
        lines.append(
            t(
                "impact.check.placebo",
                ratio=_ratio(row["placebo_ratio"]),
                p=format_number(row["placebo_p"], decimals=3),
            )
        )
    if math.isfinite(row["spillover_ratio"]):
        lines.append(
            t(
                "impact.check.spillover",
                ratio=_ratio(row["spillover_ratio"]),
                low=_ratio(row["spillover_low"]),
                high=_ratio(row["spillover_high"]),
            )
        )
    lines.append(
        t(
            f"impact.check.periods.{row['granularity']}",
            before=int(row["n_before"]),
            after=int(row["n_after"]),
        )
    )
    return lines


def _pct(share: float) -> str:
    return format_percent(100 * share, decimals=0)


def verdict_short(row: pd.Series) -> str:
    """One estimate's verdict in a few words (a row of ``services.impact.estimates``), for a table cell."""
    verdict = str(row["verdict"])
    if verdict == "beyond_chance":
        low, high = sorted((abs(1 - row["low"]), abs(1 - row["high"])))
        key = "impact.short.fell" if row["ratio"] < 1 else "impact.short.rose"
        return t(key, change=_pct(abs(1 - row["ratio"])), low=_pct(low), high=_pct(high))
    if verdict == "no_effect_detected":
        return t("impact.short.no_effect_detected", mde=_pct(row["mde"]))
    return t(f"impact.short.{verdict}")


def verdicts_by_action(table: pd.DataFrame, names: dict[str, str] | None = None) -> dict[str, str]:
    """Each action's verdicts in a few words, ``indicator: words`` joined by ``;`` when it has several.

    Args:
        table: Rows of ``services.impact.estimates`` (or its memoized rows).
        names: Indicator names by code (the code is shown where a name is missing).
    """
    names = names or {}
    out: dict[str, list[tuple[str, str]]] = {}
    for _, row in table.iterrows():
        code = str(row["indicator_code"])
        out.setdefault(str(row["action_code"]), []).append((names.get(code, code), verdict_short(row)))
    return {
        action: "; ".join(f"{name}: {words}" for name, words in pairs) if len(pairs) > 1 else pairs[0][1]
        for action, pairs in out.items()
    }


def picture_labels() -> dict[str, str]:
    """The words of the counterfactual picture, in the run's language."""
    return {key: t(f"impact.picture.{key}") for key in ("observed", "counterfactual", "comparison", "start")}


def contracts_table(results: pd.DataFrame) -> pd.DataFrame:
    """Contract results as shown: reduction with interval, threshold, probability met, status, payment due."""

    def pct(x: float) -> str:
        return format_number(100 * x, decimals=1) + " %" if math.isfinite(x) else "–"

    rows = [
        {
            t("contracts.col_contract"): r.contract_code,
            t("contracts.col_cohort"): r.cohort,
            t("contracts.col_areas"): str(r.areas).replace("|", ", "),
            t("contracts.col_reduction"): f"{pct(r.reduction)} ({pct(r.low)} – {pct(r.high)})",
            t("contracts.col_threshold"): pct(r.threshold),
            t("contracts.col_probability"): pct(r.probability),
            t("contracts.col_status"): t(f"contracts.status.{r.status}"),
            t("contracts.col_due"): format_number(r.payment_due),
        }
        for r in results.itertuples()
    ]
    return pd.DataFrame(rows)
