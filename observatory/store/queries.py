"""Named reads returning DataFrames; values only ever travel as parameters."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

import pandas as pd

from observatory.domain import translation_columns
from observatory.store.connection import Store
from observatory.store.schema import TABLES

_TRUNC = {"year": "year", "quarter": "quarter", "month": "month"}
_PARTS = {("month", "year"): 12, ("month", "quarter"): 3, ("quarter", "year"): 4}


def reference_codes(store: Store) -> dict[str, pd.DataFrame]:
    """Codes ingest checks files against: areas, indicators (unit, kind), axes, partners, objectives."""
    return {
        "areas": store.frame("SELECT code FROM areas"),
        "indicators": store.frame("SELECT code, unit, kind FROM indicators"),
        "axes": store.frame("SELECT code FROM axes"),
        "partners": store.frame("SELECT code FROM partners"),
        "objectives": store.frame("SELECT code FROM objectives"),
    }


def count_rows(store: Store, table: str) -> int:
    """Number of rows of a declared table (or batches / audit_log)."""
    if table not in TABLES and table not in {"batches", "audit_log", "users"}:
        raise KeyError(table)
    return int(store.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608 - name checked above


def table_contents(store: Store, table: str) -> pd.DataFrame:
    """Every row of a declared data table in key order (for exports and exactness checks)."""
    spec = TABLES[table]
    cols = ", ".join((*spec.columns, "batch_id"))
    return store.frame(f"SELECT {cols} FROM {spec.name} ORDER BY {', '.join(spec.keys)}")  # noqa: S608


def areas(store: Store, *, level: int | None = None) -> pd.DataFrame:
    """Areas without geometry: code, name, level, parent_code, area_km2."""
    return store.frame(
        "SELECT code, name, level, parent_code, area_km2 FROM areas "
        "WHERE ? IS NULL OR level = ? ORDER BY level, code",
        [level, level],
    )


def area_shapes(store: Store, *, level: int = 1, display: bool = True) -> pd.DataFrame:
    """code, name and GeoJSON geometry text of the areas of one level."""
    column = "coalesce(display_geometry, geometry)" if display else "geometry"
    return store.frame(
        f"SELECT code, name, {column} AS geometry FROM areas WHERE level = ? AND geometry IS NOT NULL "  # noqa: S608
        "ORDER BY code",
        [level],
    )


def indicators(store: Store) -> pd.DataFrame:
    """The indicator catalogue, with the texts in other languages (``name_pt`` …; None where not given).

    A release published before those texts existed has no such columns: they are read as None.
    """
    frame = store.frame("SELECT * FROM indicators ORDER BY kind, theme, code")
    for name in translation_columns():
        if name not in frame:
            frame[name] = None
    spec = TABLES["indicators"]
    return frame[[*spec.keys, *spec.values]]


def granularities(store: Store, indicator_code: str, *, level: int | None = None) -> list[str]:
    """Granularities stored for an indicator (for the areas of one level, or any), finest first.

    Levels may differ: a published release keeps the city's months but only the districts' years.
    Remembered until the next commit (:meth:`Store.memo`): every page asks it many times.
    """

    everything = store.remembered(_EVERY_GRANULARITY)
    if everything is not None:
        by_level = everything.get(indicator_code, {})
        found = {g for lvl, kinds in by_level.items() if level is None or lvl == level for g in kinds}
        return sorted(found, key=_FINEST_FIRST.index)

    def read() -> tuple[str, ...]:
        rows = store.rows(
            "SELECT DISTINCT o.granularity FROM observations o JOIN areas a ON a.code = o.area_code "
            "WHERE o.indicator_code = ? AND (? IS NULL OR a.level = ?)",
            [indicator_code, level, level],
        )
        return tuple(sorted((r[0] for r in rows), key=_FINEST_FIRST.index))

    return list(store.memo(("granularities", indicator_code, level), read))


_FINEST_FIRST = ["month", "quarter", "year"]
_EVERY_GRANULARITY = ("granularities_of_all",)


def granularities_of_all(store: Store) -> dict[str, dict[int, tuple[str, ...]]]:
    """Indicator code → level → granularities stored, finest first, for every indicator in one statement.

    For a page that reads every indicator (the district profile): once this is remembered,
    :func:`granularities` and :func:`granularities_by_level` answer from it instead of one statement each.
    """

    def read() -> dict[str, dict[int, tuple[str, ...]]]:
        rows = store.rows(
            "SELECT DISTINCT o.indicator_code, a.level, o.granularity "
            "FROM observations o JOIN areas a ON a.code = o.area_code"
        )
        found: dict[str, dict[int, list[str]]] = {}
        for code, level, granularity in rows:
            found.setdefault(str(code), {}).setdefault(int(level), []).append(str(granularity))
        return {
            code: {level: tuple(sorted(kinds, key=_FINEST_FIRST.index)) for level, kinds in levels.items()}
            for code, levels in found.items()
        }

    return store.memo(_EVERY_GRANULARITY, read)


def has_rows(store: Store, indicator_code: str, *, level: int) -> bool:
    """True when areas of ``level`` have observations of the indicator (e.g. the city its own totals)."""
    return bool(
        store.scalar(
            "SELECT count(*) > 0 FROM observations o JOIN areas a ON a.code = o.area_code "
            "WHERE o.indicator_code = ? AND a.level = ?",
            [indicator_code, level],
        )
    )


def can_aggregate(stored: str, target: str) -> bool:
    """True when periods of granularity ``stored`` add up to ``target`` periods."""
    return stored == target or (stored, target) in _PARTS


def aggregated(store: Store, indicator_code: str, *, stored: str, target: str, level: int) -> pd.DataFrame:
    """Values of one indicator for the areas of one level, summed from ``stored`` to ``target`` periods.

    Only meaningful for additive units (counts). A target period is complete when all its parts are
    present; it is withheld when any part is withheld.

    Returns:
        area_code, period_start, value (sum of the published parts), sample_size, parts, complete,
        withheld, withheld_parts (how many parts are withheld).
    """
    if not can_aggregate(stored, target):
        raise ValueError(f"cannot aggregate {stored} to {target}")
    parts = _PARTS.get((stored, target), 1)
    trunc = _TRUNC[target]
    return store.frame(
        f"SELECT o.area_code, date_trunc('{trunc}', o.period_start)::DATE AS period_start, "  # noqa: S608
        "sum(o.value) AS value, sum(o.sample_size) AS sample_size, count(*) AS parts, "
        "count(*) = ? AS complete, bool_or(o.value IS NULL) AS withheld, "
        "count(*) - count(o.value) AS withheld_parts "
        "FROM observations o JOIN areas a ON a.code = o.area_code "
        "WHERE o.indicator_code = ? AND o.granularity = ? AND a.level = ? "
        "GROUP BY ALL ORDER BY o.area_code, period_start",
        [parts, indicator_code, stored, level],
    )


def denominators(store: Store, kind: str) -> pd.DataFrame:
    """area_code, year, value of one denominator kind (residents, dwellings …)."""
    return store.frame(
        "SELECT area_code, year, value FROM denominators WHERE kind = ? ORDER BY area_code, year", [kind]
    )


def denominator_kinds(store: Store) -> list[str]:
    """Kinds of denominator stored (residents, dwellings …), in order."""
    return [str(r[0]) for r in store.rows("SELECT DISTINCT kind FROM denominators ORDER BY kind")]


def batches(
    store: Store, *, limit: int = 500, states: Sequence[str] = (), kinds: Sequence[str] = ()
) -> pd.DataFrame:
    """The batch log, newest first; only the given states and kinds when any are given."""
    # An empty list means "any": the filters stay parameters, the statement stays one fixed text.
    return store.frame(
        "SELECT id, kind, filename, sha256, rows_read, created, updated, unchanged, rejected, user_name, "
        "started_at, finished_at, state, rolls_back FROM batches "
        "WHERE (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], state)) "
        "AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], kind)) "
        "ORDER BY id DESC LIMIT ?",
        [list(states), list(states), list(kinds), list(kinds), limit],
    )


def batch_kinds(store: Store) -> list[str]:
    """Every kind found in the batch log, sorted."""
    return [str(row[0]) for row in store.rows("SELECT DISTINCT kind FROM batches ORDER BY kind")]


def batch(store: Store, batch_id: int) -> pd.DataFrame:
    """One batch row (empty frame if absent), with its stored report."""
    return store.frame("SELECT * FROM batches WHERE id = ?", [batch_id])


def strategy(store: Store) -> dict[str, pd.DataFrame]:
    """Axes, objectives, actions, partners and action-partner links."""
    return {
        "axes": store.frame("SELECT code, title, description FROM axes ORDER BY code"),
        "objectives": store.frame(
            "SELECT code, axis_code, title, indicator_code, area_code, baseline_period, baseline_value, "
            "target_value, target_period FROM objectives ORDER BY code"
        ),
        "actions": store.frame(
            "SELECT code, objective_code, title, lead_partner, status, start_date, end_date, budget, "
            "target_areas, result_indicators, comparison_areas FROM actions ORDER BY code"
        ),
        "partners": store.frame("SELECT code, name, sector FROM partners ORDER BY code"),
        "action_partners": store.frame(
            "SELECT action_code, partner_code FROM action_partners ORDER BY action_code, partner_code"
        ),
    }


def data_state(store: Store) -> tuple[object, ...]:
    """What changes whenever the stored data does: the batches' number, newest id and undone count.

    Every write (import, form edit, rollback) is a batch, so two equal states read the same data. A
    release has no batch log: its file's modification time and size name it (a new release replaces it).
    """
    if not store.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'batches'"):
        if store.path == ":memory:":
            return ()
        info = os.stat(store.path)
        return (info.st_mtime_ns, info.st_size)
    row = store.rows(
        "SELECT count(*), max(id), count(*) FILTER (WHERE state <> 'committed'), max(finished_at) "
        "FROM batches"
    )[0]
    return tuple(row)


def is_empty(store: Store) -> bool:
    """True when nothing has been imported yet."""
    return int(store.scalar("SELECT count(*) FROM batches WHERE state = 'committed'")) == 0


def series_breaks(store: Store, indicator_code: str) -> pd.DataFrame:
    """break_date and note of an indicator's series breaks, oldest first.

    A database written before the series_breaks table existed (an older published snapshot opened
    read-only, so never migrated) simply has no breaks: the frame is then empty, not an error.
    """
    present = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'series_breaks'"
    )
    if not present:
        return pd.DataFrame({"break_date": pd.Series(dtype="datetime64[us]"), "note": pd.Series(dtype=str)})
    return store.frame(
        "SELECT break_date, note FROM series_breaks WHERE indicator_code = ? ORDER BY break_date",
        [indicator_code],
    )


def coverage(store: Store) -> pd.DataFrame:
    """What is stored per indicator, granularity and calendar year (for the methodology catalogue).

    Returns:
        indicator_code, granularity, year, periods (distinct periods), districts (level-1 areas
        with a row), city (True when the city itself, level 0, has rows), withheld (rows not published).
    """
    return store.frame(
        "SELECT o.indicator_code, o.granularity, year(o.period_start)::INTEGER AS year, "
        "count(DISTINCT o.period_start) AS periods, "
        "count(DISTINCT o.area_code) FILTER (WHERE a.level = 1) AS districts, "
        "coalesce(bool_or(a.level = 0), false) AS city, "
        "count(*) FILTER (WHERE o.value IS NULL) AS withheld "
        "FROM observations o JOIN areas a ON a.code = o.area_code "
        "GROUP BY ALL ORDER BY o.indicator_code, o.granularity, year"
    )


def assessments(store: Store, objective_code: str | None = None) -> pd.DataFrame:
    """Written yearly assessments of objectives (all, or one objective's), newest year first.

    Returns:
        objective_code, year, text, author, created_at.
    """
    return store.frame(
        "SELECT objective_code, year, text, author, created_at FROM assessments "
        "WHERE ? IS NULL OR objective_code = ? ORDER BY objective_code, year DESC, created_at DESC",
        [objective_code, objective_code],
    )


def document_texts(store: Store, kind: str, year: int) -> pd.DataFrame:
    """The newest version of each text block of one document and year: block, text, author, created_at.

    A published release holds no staff texts: empty there.
    """
    if not store.rows("SELECT count(*) FROM information_schema.tables WHERE table_name = 'document_texts'")[
        0
    ][0]:
        return pd.DataFrame(columns=["block", "text", "author", "created_at"])
    return store.frame(
        "SELECT block, text, author, created_at FROM document_texts WHERE kind = ? AND year = ? "
        "QUALIFY row_number() OVER (PARTITION BY block ORDER BY created_at DESC) = 1 ORDER BY block",
        [kind, int(year)],
    )


def all_series_breaks(store: Store) -> pd.DataFrame:
    """indicator_code, break_date and note of every series break, by indicator then date.

    Like :func:`series_breaks`, a database without the series_breaks table gives an empty frame.
    """
    present = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'series_breaks'"
    )
    if not present:
        return pd.DataFrame(
            {
                "indicator_code": pd.Series(dtype=str),
                "break_date": pd.Series(dtype="datetime64[us]"),
                "note": pd.Series(dtype=str),
            }
        )
    return store.frame(
        "SELECT indicator_code, break_date, note FROM series_breaks ORDER BY indicator_code, break_date"
    )


def latest_complete_period(store: Store, indicator_code: str, granularity: str) -> date | None:
    """Start of the latest period of a granularity for which every district (or the city) has a row."""
    found = store.scalar(
        "WITH n AS (SELECT count(*) AS districts FROM areas WHERE level = 1), "
        "per AS (SELECT o.period_start, count(*) FILTER (WHERE a.level = 1) AS districts, "
        "count(*) FILTER (WHERE a.level = 0) AS city "
        "FROM observations o JOIN areas a ON a.code = o.area_code "
        "WHERE o.indicator_code = ? AND o.granularity = ? GROUP BY o.period_start) "
        "SELECT max(period_start) FROM per, n WHERE per.districts = n.districts OR per.city > 0",
        [indicator_code, granularity],
    )
    return None if found is None else pd.Timestamp(found).date()


def _window_sql(by_area: bool) -> str:
    area = "o.area_code, " if by_area else ""
    return (
        "WITH w AS (SELECT unnest(?::INTEGER[]) AS k, unnest(?::DATE[]) AS s) "  # noqa: S608
        f"SELECT {area}w.k, sum(o.value) AS value, sum(o.sample_size) AS sample_size, "
        "sum(CASE o.granularity WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 ELSE 12 END) AS months, "
        "count(DISTINCT o.area_code) AS areas, bool_or(o.value IS NULL) AS withheld "
        "FROM w JOIN observations o ON o.period_start >= w.s AND o.period_start < w.s + INTERVAL 12 MONTH "
        # A period counts only when it lies wholly inside the window (a year never fills a July–June one).
        "AND o.period_start + CASE o.granularity WHEN 'month' THEN INTERVAL 1 MONTH "
        "WHEN 'quarter' THEN INTERVAL 3 MONTH ELSE INTERVAL 12 MONTH END <= w.s + INTERVAL 12 MONTH "
        "JOIN areas a ON a.code = o.area_code "
        "WHERE o.indicator_code = ? AND a.level = ? AND o.period_start < ? "
        f"GROUP BY ALL ORDER BY {area}w.k"
    )


def window_totals(
    store: Store, indicator_code: str, starts: list[date], end: date, *, level: int
) -> pd.DataFrame:
    """Totals over 12-month windows starting at each date, summed over the areas of one level.

    Returns:
        k (window index), value, sample_size, months, areas, withheld, complete (every area has all
        12 months of the window).
    """
    frame = store.frame(_window_sql(False), [list(range(len(starts))), starts, indicator_code, level, end])
    expected = int(store.scalar("SELECT count(*) FROM areas WHERE level = ?", [level]))
    frame["complete"] = (frame["months"] == 12 * expected) & (frame["areas"] == expected)
    return frame


def window_totals_by_area(store: Store, indicator_code: str, starts: list[date], end: date) -> pd.DataFrame:
    """Like :func:`window_totals` but per district: area_code, k, value, …, complete."""
    frame = store.frame(_window_sql(True), [list(range(len(starts))), starts, indicator_code, 1, end])
    frame["complete"] = frame["months"] == 12
    return frame


def category_mappings(store: Store, source: str) -> pd.DataFrame:
    """The remembered category → indicator mapping of one source format.

    Returns:
        category, indicator_code (None: the category is not followed), by category.
    """
    return store.frame(
        "SELECT category, indicator_code FROM category_mappings WHERE source = ? ORDER BY category", [source]
    )


def city_facts(store: Store) -> tuple[str | None, int, bool]:
    """In one statement: the city's code (the level-0 area, None if none), how many districts there
    are, and whether the store is a published release (a snapshot file) rather than the staff database.
    Remembered until the next commit (:meth:`Store.memo`)."""

    def read() -> tuple[str | None, int, bool]:
        row = store.rows(
            "SELECT (SELECT min(code) FROM areas WHERE level = 0), "
            "(SELECT count(*) FROM areas WHERE level = 1), "
            "(SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'release')"
        )[0]
        return (None if row[0] is None else str(row[0])), int(row[1]), bool(row[2])

    return store.memo(("city_facts",), read)


def granularities_by_level(store: Store, indicator_code: str) -> dict[int, list[str]]:
    """:func:`granularities` of every level at once: level → granularities stored, finest first."""
    everything = store.remembered(_EVERY_GRANULARITY)
    if everything is not None:
        return {level: list(kinds) for level, kinds in everything.get(indicator_code, {}).items()}

    def read() -> dict[int, tuple[str, ...]]:
        rows = store.rows(
            "SELECT DISTINCT a.level, o.granularity FROM observations o JOIN areas a ON a.code = o.area_code "
            "WHERE o.indicator_code = ?",
            [indicator_code],
        )
        order = ["month", "quarter", "year"]
        found: dict[int, list[str]] = {}
        for level, granularity in rows:
            found.setdefault(int(level), []).append(str(granularity))
        return {level: tuple(sorted(kinds, key=order.index)) for level, kinds in found.items()}

    return {
        level: list(kinds)
        for level, kinds in store.memo(("granularities_by_level", indicator_code), read).items()
    }


def observation_years(store: Store) -> list[int]:
    """Calendar years with any observation, newest first."""
    return [
        int(r[0])
        for r in store.rows("SELECT DISTINCT year(period_start) AS y FROM observations ORDER BY y DESC")
    ]


def withheld_cells(store: Store, indicator_code: str, *, level: int, first: date, last: date) -> pd.DataFrame:
    """Cells of one indicator without a value for the areas of one level, starting between two dates.

    A published release's cells carry the text shown in their place (``< 5``, ``c``); a staff store's
    do not (``shown`` is NULL there).

    Returns:
        area_code, period_start, status, shown.
    """
    has_display = store.scalar(
        "SELECT count(*) > 0 FROM information_schema.columns "
        "WHERE table_name = 'observations' AND column_name = 'display'"
    )
    shown = "o.display" if has_display else "NULL::VARCHAR"
    return store.frame(
        f"SELECT o.area_code, o.period_start, o.status, {shown} AS shown "  # noqa: S608
        "FROM observations o JOIN areas a ON a.code = o.area_code "
        "WHERE o.indicator_code = ? AND a.level = ? AND o.value IS NULL "
        "AND o.period_start BETWEEN ? AND ? ORDER BY o.area_code, o.period_start",
        [indicator_code, level, first, last],
    )
