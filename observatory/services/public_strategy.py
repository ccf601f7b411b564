"""The strategy in a public release under the observations' disclosure rule (DESIGN §4).

An objective's baseline and target, and the old and new values of its change history, are figures of
its indicator in its area: for a count they follow the rule of the observations. A value 1 … k−1 is
withheld (k the indicator's threshold), and so is a baseline of a year whose observation the release
withholds (a baseline typed from the staff view is that cell's value, and a secondary cell published
here would undo the protection of the small count beside it); for an objective on an area grouping, a
baseline of a year in which any member's observation is withheld. Withheld values are NULL, shown "not
published"; the public strategy then tests no change and computes no pace from them. Assessments are
published without their author: staff names stay staff-side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.domain import Unit
from observatory.stats import disclosure

#: Value columns of each public strategy table, with the column naming the period of each (or None).
VALUES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "objectives": (("baseline_value", "baseline_period"), ("target_value", None)),
    "objective_changes": (
        ("old_baseline_value", "old_baseline_period"),
        ("new_baseline_value", "new_baseline_period"),
        ("old_target_value", None),
        ("new_target_value", None),
    ),
}


def _withheld_years(observations: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(indicator, area, year) of every yearly observation the release withholds."""
    years = observations[(observations["granularity"] == "year") & observations["value"].isna()]
    stamps = pd.to_datetime(years["period_start"]).dt.year.astype(str)
    return set(zip(years["indicator_code"].astype(str), years["area_code"].astype(str), stamps, strict=True))


def _grouped(hidden: set[tuple[str, str, str]], members: pd.DataFrame | None) -> set[tuple[str, str, str]]:
    """The withheld years, and each area grouping's year where one of its members' is withheld: a
    group's total then has no published value (the one total rule), so neither has a baseline typed
    from it, whose difference with the published members would give the withheld cell away."""
    if members is None or members.empty or not hidden:
        return hidden
    groups_of: dict[str, list[str]] = {}
    for group, area in zip(members["group_code"].astype(str), members["area_code"].astype(str), strict=True):
        groups_of.setdefault(area, []).append(group)
    extra = {(code, group, year) for code, area, year in hidden for group in groups_of.get(area, [])}
    return hidden | extra


def _withhold(
    rows: pd.DataFrame,
    codes: pd.Series,
    areas: pd.Series,
    thresholds: dict[str, int],
    hidden: set[tuple[str, str, str]],
) -> pd.DataFrame:
    table = rows.copy()
    counted = codes.isin(list(thresholds)).to_numpy()
    k = codes.map(thresholds).fillna(disclosure.DEFAULT_THRESHOLD).astype(int).to_numpy()
    for value_col, period_col in VALUES[_table_of(table)]:
        values = pd.to_numeric(table[value_col], errors="coerce").to_numpy(dtype=float)
        small = counted & (values > 0) & (values < k)
        if period_col is not None:
            years = table[period_col].astype(str).str[:4]
            keys = zip(codes.astype(str), areas.astype(str), years, strict=True)
            small |= counted & np.array([key in hidden for key in keys], dtype=bool)
        table[value_col] = table[value_col].astype(float).where(~small)
    return table


def _table_of(table: pd.DataFrame) -> str:
    return "objectives" if "baseline_value" in table.columns else "objective_changes"


def disclose_strategy(tables: dict[str, pd.DataFrame], observations: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The public strategy tables with the observations' rule applied and staff names removed.

    Args:
        tables: The public tables read from the staff store (objectives, objective_changes, assessments,
            indicators among them).
        observations: The release's observations after disclosure control.

    Returns:
        The same tables, the strategy ones changed (a copy; *tables* is not modified).
    """
    indicators = tables["indicators"]
    counts = indicators[indicators["unit"] == Unit.COUNT.value]
    thresholds = dict(
        zip(counts["code"].astype(str), counts["disclosure_threshold"].astype(int), strict=True)
    )
    hidden = _grouped(_withheld_years(observations), tables.get("area_group_members"))
    out = dict(tables)
    objectives = tables["objectives"]
    out["objectives"] = _withhold(
        objectives, objectives["indicator_code"], objectives["area_code"], thresholds, hidden
    )
    changes = tables["objective_changes"]
    if len(changes):
        plan = objectives.set_index("code")
        codes = changes["objective_code"].map(plan["indicator_code"]).fillna("")
        areas = changes["objective_code"].map(plan["area_code"]).fillna("")
        out["objective_changes"] = _withhold(changes, codes, areas, thresholds, hidden)
    if "assessments" in tables:
        out["assessments"] = tables["assessments"].assign(author="")
    return out
