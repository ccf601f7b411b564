"""Did it work? One impact estimate per action and result indicator, read from the district panel.

An action that names target areas and result indicators is estimated on each indicator's panel
(``services.trends.panel``, the one reading of the city and its districts every page uses): an action
on the city as a whole by interrupted time series of the city's figures (its own, else the sum of its
districts by the one city-total rule), an action on districts by difference-in-differences against
the comparison areas staff chose, else every other district, with the target areas' neighbours given
their own spillover term (observatory.stats.impact). An area grouping named among the target or
comparison areas stands for its member districts as they are when the estimate is made. The finest
period the districts have is used: months on the staff store, years in a public release (where cells
withheld for disclosure are left out, so the public figures are computed only from what the public may
see).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd

from observatory.domain import Indicator
from observatory.geo.neighbours import neighbours as touching
from observatory.i18n import format_percent, get_locale, locale_scope, t
from observatory.services import groups, trends, views
from observatory.stats import impact
from observatory.stats.impact import Estimate, Method, Verdict
from observatory.store import Store, queries

#: Columns of :func:`estimates`, one row per action and result indicator.
COLUMNS = [
    "action_code",
    "objective_code",
    "indicator_code",
    "method",
    "granularity",
    "verdict",
    "ratio",
    "low",
    "high",
    "p_value",
    "mde",
    "pretrend_ratio",
    "pretrend_p",
    "placebo_ratio",
    "placebo_p",
    "spillover_ratio",
    "spillover_low",
    "spillover_high",
    "n_before",
    "n_after",
    "text",
]


@dataclass(frozen=True)
class ActionImpact:
    """One action's estimate on one indicator, with the picture and the words to show."""

    action_code: str
    objective_code: str
    indicator: Indicator
    granularity: str
    estimate: Estimate
    text: str


def codes(cell: object) -> list[str]:
    """A stored ``|``-joined list of codes (NULL or empty: none)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or pd.isna(cell):
        return []
    return [c for c in str(cell).split("|") if c]


def _granularity(frame: pd.DataFrame) -> str:
    days = frame["period_start"].drop_duplicates().sort_values().diff().dt.days.median()
    return "month" if days < 45 else ("quarter" if days < 120 else "year")


def _panel(store: Store, info: Indicator, *, city: bool) -> tuple[pd.DataFrame, str]:
    """The finest panel of the city (``city``) or of the districts: area, period, count, exposure."""
    city_code = trends.city_code(store)
    for view in ("month", "quarter", "year"):
        if view not in trends.available_views(store, info):
            continue
        frame = trends.panel(store, info, view)
        frame = frame[(frame["area_code"] == city_code) == city]
        frame = frame[frame["value"].notna()]
        if len(frame):
            exposure = frame["denominator"].astype(float) if info.has_rate else 1.0
            out = pd.DataFrame(
                {
                    "area": frame["area_code"].astype(str),
                    "period": pd.to_datetime(frame["period_start"]),
                    "count": frame["value"].astype(float),
                    "exposure": exposure,
                }
            )
            return out.dropna().reset_index(drop=True), view
    return pd.DataFrame(columns=["area", "period", "count", "exposure"]), "year"


def district_panel(store: Store, info: Indicator) -> tuple[pd.DataFrame, str]:
    """The districts' finest panel (area, period, count, exposure) and its granularity."""
    return _panel(store, info, city=False)


def _neighbours(store: Store) -> dict[str, set[str]]:
    shapes = queries.area_shapes(store, level=1, display=False)
    if shapes.empty:
        return {}
    return touching(list(shapes["code"].astype(str)), list(shapes["geometry"].astype(str)))


def _when(value: object) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


def estimate_one(
    store: Store,
    action: pd.Series,
    info: Indicator,
    adjacency: dict[str, set[str]] | None = None,
    known: dict[str, list[str]] | None = None,
) -> tuple[Estimate, str]:
    """The estimate of one action on one indicator, and the granularity it was made at.

    Target and comparison areas that name an area grouping are its member districts, read now
    (``known``: :func:`groups.sets`, read once by the caller when many actions are estimated).
    """
    known = groups.sets(store) if known is None else known
    targets = set(groups.expand(codes(action["target_areas"]), known))
    start, end = _when(action["start_date"]), _when(action["end_date"])
    city = trends.city_code(store) in targets
    if not info.additive or start is None:
        return Estimate(Method.ITS if city else Method.DID, Verdict.NOT_ENOUGH_BEFORE), "year"
    frame, granularity = _panel(store, info, city=city)
    if city:
        return impact.its(frame, start=start, end=end, granularity=granularity), granularity
    adjacency = _neighbours(store) if adjacency is None else adjacency
    near = set().union(*(adjacency.get(code, set()) for code in targets)) - targets if adjacency else set()
    comparison = set(groups.expand(codes(action["comparison_areas"]), known)) or None
    estimate = impact.did(
        frame,
        targets=targets,
        start=start,
        end=end,
        comparison=comparison,
        neighbours=near,
        granularity=granularity,
    )
    return estimate, granularity


def _pct(share: float) -> str:
    return format_percent(100 * share, decimals=0)


def describe(estimate: Estimate, *, lang: str | None = None) -> str:
    """The verdict in plain words (en/pt/fr), never claiming more than the estimate allows."""
    with locale_scope(lang or get_locale()):
        e = estimate.effect
        if estimate.verdict is Verdict.BEYOND_CHANCE:
            low, high = sorted((abs(1 - e.low), abs(1 - e.high)))
            return t(
                "impact.verdict.fell" if e.ratio < 1 else "impact.verdict.rose",
                change=_pct(abs(1 - e.ratio)),
                low=_pct(low),
                high=_pct(high),
                versus=t(f"impact.versus.{estimate.method}"),
            )
        if estimate.verdict is Verdict.NO_EFFECT_DETECTED:
            return t("impact.verdict.no_effect", mde=_pct(estimate.mde))
        return t(f"impact.verdict.{estimate.verdict}")


def _row(action: pd.Series, info: Indicator, granularity: str, e: Estimate, text: str) -> dict[str, object]:
    return {
        "action_code": str(action["code"]),
        "objective_code": str(action["objective_code"]),
        "indicator_code": info.code,
        "method": str(e.method),
        "granularity": granularity,
        "verdict": str(e.verdict),
        "ratio": e.effect.ratio,
        "low": e.effect.low,
        "high": e.effect.high,
        "p_value": e.effect.p_value,
        "mde": e.mde,
        "pretrend_ratio": e.pretrend.ratio,
        "pretrend_p": e.pretrend.p_value,
        "placebo_ratio": e.placebo.ratio,
        "placebo_p": e.placebo.p_value,
        "spillover_ratio": e.spillover.ratio,
        "spillover_low": e.spillover.low,
        "spillover_high": e.spillover.high,
        "n_before": e.n_before,
        "n_after": e.n_after,
        "text": text,
    }


#: Data states whose estimates are kept in memory (the staff store's latest and a few releases).
MEMO_STATES = 8
_memo: OrderedDict[tuple[object, ...], dict[str, list[tuple[str, Indicator, str, Estimate]]]] = OrderedDict()
_memo_lock = threading.Lock()


def _state(store: Store) -> tuple[object, ...]:
    """Names the data a store holds now: its file and its batches (a throw-away store: the object)."""
    where: object = id(store) if store.path == ":memory:" else store.path
    return (where, *queries.data_state(store))


def _remember(
    state: tuple[object, ...], action: str, items: list[tuple[str, Indicator, str, Estimate]]
) -> None:
    with _memo_lock:
        _memo.setdefault(state, {})[action] = items
        _memo.move_to_end(state)
        while len(_memo) > MEMO_STATES:
            _memo.popitem(last=False)


def _recalled(state: tuple[object, ...]) -> dict[str, list[tuple[str, Indicator, str, Estimate]]]:
    with _memo_lock:
        return dict(_memo.get(state, {}))


def forget() -> None:
    """Drop every kept estimate (tests; the memory is otherwise bounded by :data:`MEMO_STATES`)."""
    with _memo_lock:
        _memo.clear()
        _shown.clear()


def impacts(store: Store, *, lang: str | None = None, actions: list[str] | None = None) -> list[ActionImpact]:
    """Every estimate of the actions that name target areas and result indicators (or of ``actions``).

    Estimates are kept in memory for the data they were computed on (:func:`memoized` reads them back
    without computing); a write to the store (a new batch or an undone one) makes them stale.
    """
    state = _state(store)
    known_now = _recalled(state)
    table = queries.strategy(store)["actions"]
    if actions is not None:
        table = table[table["code"].isin(actions)]
    table = table[table["target_areas"].notna() & table["result_indicators"].notna()]
    known = set(views.catalogue(store)["code"].astype(str))
    adjacency: dict[str, set[str]] | None = None
    grouped: dict[str, list[str]] | None = None
    out: list[ActionImpact] = []
    for _, action in table.iterrows():
        code = str(action["code"])
        items = known_now.get(code)
        if items is None:
            if adjacency is None or grouped is None:
                adjacency = _neighbours(store)
                grouped = groups.sets(store)
            items = []
            for indicator in codes(action["result_indicators"]):
                if indicator not in known:
                    continue
                info = views.indicator(store, indicator)
                estimate, granularity = estimate_one(store, action, info, adjacency, grouped)
                items.append((str(action["objective_code"]), info, granularity, estimate))
            _remember(state, code, items)
        out.extend(
            ActionImpact(code, objective, info, granularity, estimate, describe(estimate, lang=lang))
            for objective, info, granularity, estimate in items
        )
    return out


def estimable(store: Store) -> list[str]:
    """Codes of the actions that name target areas and result indicators (those an estimate is made for)."""
    table = queries.strategy(store)["actions"]
    return [
        str(c) for c in table.loc[table["target_areas"].notna() & table["result_indicators"].notna(), "code"]
    ]


_shown: OrderedDict[tuple[object, ...], tuple[pd.DataFrame, pd.DataFrame]] = OrderedDict()


def memoized(store: Store, *, lang: str | None = None) -> pd.DataFrame:
    """The estimates already computed for the store's data as it is now, without computing any.

    Same columns as :func:`estimates`; only the actions some earlier call estimated (none after a write).
    Meant for pages that show verdicts where they are known and must not fit a model to draw a table.
    """
    return memoized_with_pictures(store, lang=lang)[0]


def memoized_with_pictures(store: Store, *, lang: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`memoized` and its pictures, as :func:`estimates_with_pictures` gives them.

    Built once per data state, language and set of kept actions (a page reads them at every run):
    the frames returned are shared, not to be changed in place.
    """
    state, lang = _state(store), lang or get_locale()
    kept = _recalled(state)
    key = (state, lang, tuple(sorted(kept)))
    with _memo_lock:
        found = _shown.get(key)
    if found is not None:
        return found
    items = [
        ActionImpact(code, objective, info, granularity, estimate, describe(estimate, lang=lang))
        for code, entries in kept.items()
        for objective, info, granularity, estimate in entries
    ]
    made = _with_pictures(items)
    with _memo_lock:
        _shown[key] = made
        while len(_shown) > 2 * MEMO_STATES:
            _shown.popitem(last=False)
    return made


def estimates(store: Store, *, lang: str | None = None, actions: list[str] | None = None) -> pd.DataFrame:
    """One row per action and result indicator: method, verdict, ratio with its 95 % interval, checks, words.

    Args:
        store: The staff store or a published release.
        lang: Language of the ``text`` column (the run's language when None).
        actions: Only these action codes (all when None).

    Returns:
        The columns of :data:`COLUMNS`; ``ratio`` 0.82 reads "18 % lower than without the action".
    """
    rows = [_row_of(item) for item in impacts(store, lang=lang, actions=actions)]
    return pd.DataFrame(rows, columns=COLUMNS)


def _row_of(item: ActionImpact) -> dict[str, object]:
    action = pd.Series({"code": item.action_code, "objective_code": item.objective_code})
    return _row(action, item.indicator, item.granularity, item.estimate, item.text)


def estimates_with_pictures(
    store: Store, *, lang: str | None = None, actions: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`estimates` and, for the same rows, their pictures (action_code, indicator_code beside each).

    The picture's rates are per unit of exposure; multiply by the indicator's multiplier to show them.
    """
    return _with_pictures(impacts(store, lang=lang, actions=actions))


def _with_pictures(items: list[ActionImpact]) -> tuple[pd.DataFrame, pd.DataFrame]:
    table = pd.DataFrame([_row_of(item) for item in items], columns=COLUMNS)
    pictures = [
        item.estimate.picture.assign(action_code=item.action_code, indicator_code=item.indicator.code)
        for item in items
        if len(item.estimate.picture)
    ]
    columns = ["action_code", "indicator_code", "period_start", "observed", "counterfactual", "comparison"]
    frame = pd.concat(pictures, ignore_index=True)[columns] if pictures else pd.DataFrame(columns=columns)
    return table, frame
