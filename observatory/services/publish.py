"""Publishing: a disclosure-safe public snapshot of the store, written as a new file (DESIGN §4, §6).

Disclosure control is applied to the observations before anything is written: for count indicators
a value 1 … k−1 (k the indicator's ``disclosure_threshold``) is withheld and shown "< k"; further
cells are withheld so that no withheld cell can be recovered by subtraction from a total that can be
derived — the city total of the districts of one period, and the yearly total of the months (or
quarters) of one area; values not published at source stay withheld; zeros are published. A withheld
value is stored NULL with status ``suppressed`` (or ``not_published``) and its display text.

:func:`preview` (the dry run) and :func:`publish` share that one computation (:func:`_public_tables`),
so what the dry run announces is what the release holds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from observatory import auth, domain
from observatory.domain import Actor, ObservationStatus, TotalBasis, Unit
from observatory.services import open_data as package
from observatory.services import public_strategy, publish_derived, release_changes, releases
from observatory.stats import disclosure
from observatory.stats import totals as stats_totals
from observatory.store import Store, derived, snapshot, writes

#: Status of an observation withheld by disclosure control in a snapshot.
SUPPRESSED = "suppressed"

#: Units whose values add up over areas and periods.
ADDITIVE_UNITS = tuple(sorted(unit.value for unit in domain.ADDITIVE_UNITS))

# Margins whose totals can be derived: districts of one city and period; periods of one area and year.
MARGINS = [["granularity", "period_start", "parent"], ["area_code", "granularity", "year"]]


@dataclass(frozen=True, slots=True)
class Figures:
    """What a release holds, or would hold: the disclosure applied to the observations, counted.

    Attributes:
        observations: Observation rows.
        published: Rows with a value shown.
        suppressed_primary: Small counts withheld ("< k").
        suppressed_secondary: Cells withheld so that a small count cannot be recovered.
        not_published: Rows withheld at source.
        areas: Areas in the release.
        indicators: Indicators in the release.
    """

    observations: int
    published: int
    suppressed_primary: int
    suppressed_secondary: int
    not_published: int
    areas: int
    indicators: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Figures:
        """The figures of a snapshot's ``release`` row (or any mapping with the same names)."""
        return cls(**{name: int(row[name]) for name in FIGURES})

    def as_row(self) -> dict[str, int]:
        """The figures as the ``release`` table's columns."""
        return {name: getattr(self, name) for name in FIGURES}


FIGURES: tuple[str, ...] = tuple(f.name for f in fields(Figures))


@dataclass(frozen=True, slots=True)
class Release:
    """One published snapshot and what it holds.

    Attributes:
        path: The snapshot file.
        previous: The kept copy of the release before, or None when there is none.
        published_at: When it was published.
        figures: What it holds.
    """

    path: Path
    previous: Path | None
    published_at: datetime
    figures: Figures

    @property
    def observations(self) -> int:
        """Observation rows in the snapshot."""
        return self.figures.observations

    @property
    def published(self) -> int:
        """Rows with a value shown."""
        return self.figures.published

    @property
    def suppressed_primary(self) -> int:
        """Small counts withheld."""
        return self.figures.suppressed_primary

    @property
    def suppressed_secondary(self) -> int:
        """Cells withheld so that a small count cannot be recovered."""
        return self.figures.suppressed_secondary

    @property
    def not_published(self) -> int:
        """Rows withheld at source."""
        return self.figures.not_published


def _suppress_indicator(
    rows: pd.DataFrame, threshold: int, margins: list[list[str]] | None = None
) -> pd.DataFrame:
    """Primary and secondary suppression of one count indicator's rows (both margins at once), or of
    a derived total with its components (``margins`` from :mod:`observatory.services.publish_derived`)."""
    group_cols = MARGINS if margins is None else margins
    done = disclosure.suppress_table(rows, value_col="value", group_cols=group_cols, threshold=threshold)
    withheld = done["reason"].isin([disclosure.PRIMARY, disclosure.SECONDARY])
    done["value"] = done["value_published"]
    done["status"] = done["status"].where(~withheld, SUPPRESSED)
    done["display"] = done["display"].where(done["withheld"].astype(bool), None)
    return done


def city_totals(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The city's own rows for every count or amount that has district rows and none of the city's.

    Made from the unsuppressed district values before anything is withheld, so the public keeps the
    city total even where small district counts are withheld. A period in which a district is
    missing or withheld at source gets no city row (the total is unknown), never a partial sum.

    Returns:
        Rows with the observation columns, one per indicator, granularity and period.
    """
    additive = indicators.loc[indicators["unit"].isin(ADDITIVE_UNITS), "code"]
    levels = areas.set_index("code")["level"]
    level = observations["area_code"].map(levels)
    has_city = set(observations.loc[level == 0, "indicator_code"])
    rows = observations[(level == 1) & observations["indicator_code"].isin(set(additive) - has_city)]
    if rows.empty:
        return observations.iloc[0:0]
    districts = int((areas["level"] == 1).sum())
    city = areas.loc[areas["level"] == 0, "code"].iloc[0]
    grouped = rows.groupby(["indicator_code", "granularity", "period_start"], sort=True)
    totals = grouped.agg(
        sample_size=("sample_size", lambda v: v.sum(min_count=1)),
        provisional=("status", lambda v: (v == ObservationStatus.PROVISIONAL.value).any()),
    ).reset_index()
    totals["value"] = _exact_city_values(rows, districts)
    # A total we do not know ourselves (a district missing or withheld at source) gets no row at all: a
    # withheld row would be "protected" by withholding one more month, though nothing can be worked out.
    totals = totals[totals["value"].notna()].copy()
    totals["status"] = np.where(
        totals["provisional"], ObservationStatus.PROVISIONAL.value, ObservationStatus.OK.value
    )
    totals["area_code"] = city
    return totals[list(observations.columns)]


def _exact_city_values(rows: pd.DataFrame, districts: int) -> np.ndarray:
    """The city total of each (indicator, granularity, period) of ``rows`` by the one city-total rule
    (:func:`observatory.stats.totals.area_total`), kept only where it is exact: a release publishes a
    number or nothing, never bounds that a withheld district's value could be worked out from."""
    parts = rows.assign(known=rows["value"], withheld_parts=rows["value"].isna().astype(int), complete=True)
    found = []
    for key, part in parts.groupby(["indicator_code", "granularity"], sort=True):
        summed = stats_totals.area_total(part, areas=districts, withheld_max=math.inf)
        found.append(summed.assign(indicator_code=key[0], granularity=key[1]))
    merged = pd.concat(found, ignore_index=True)
    exact = merged["basis"].map(lambda basis: TotalBasis(basis).exact).to_numpy(dtype=bool)
    return np.where(exact, merged["value"].astype(float), np.nan)


_PARTS = {"month": 12, "quarter": 4}


def district_years(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The observations with every district's months or quarters of a count replaced by calendar years.

    The public reads districts by year, as observatories publish them: most district-month counts
    are small and would nearly all be withheld, while a year is large enough to show. Only complete
    years are published; a year with a part withheld at source is withheld, never a partial sum.
    The city keeps its months (its totals are large). Other units keep their rows as stored.

    Returns:
        The observation rows to publish (before disclosure control).
    """
    additive = set(indicators.loc[indicators["unit"].isin(ADDITIVE_UNITS), "code"])
    level = observations["area_code"].map(areas.set_index("code")["level"])
    finer = observations["granularity"].isin(list(_PARTS)) & (level >= 1)
    roll = finer & observations["indicator_code"].isin(additive)
    parts = observations[roll]
    if parts.empty:
        return observations
    # Built-in aggregations only: a Python function per group took minutes at 10^6 district-years.
    grouped = parts.assign(
        year=pd.to_datetime(parts["period_start"]).dt.year,
        missing=parts["value"].isna(),
        provisional=parts["status"] == ObservationStatus.PROVISIONAL.value,
    ).groupby(["indicator_code", "area_code", "granularity", "year"], sort=True)
    years = grouped.agg(
        value=("value", "sum"),
        missing=("missing", "any"),
        parts=("value", "size"),
        provisional=("provisional", "any"),
    )
    years["value"] = years["value"].where(~years["missing"])
    years["sample_size"] = grouped["sample_size"].sum(min_count=1)
    years = years.reset_index()
    years = years[years["parts"] == years["granularity"].map(_PARTS)]
    years = years.assign(
        granularity="year",
        period_start=pd.to_datetime(years["year"].astype(str) + "-01-01").dt.date,
        status=np.where(
            years["value"].isna(),
            ObservationStatus.NOT_PUBLISHED.value,
            np.where(years["provisional"], ObservationStatus.PROVISIONAL.value, ObservationStatus.OK.value),
        ),
    )
    return pd.concat([observations[~roll], years[list(observations.columns)]], ignore_index=True)


def disclose_observations(
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    areas: pd.DataFrame,
    together: Sequence[tuple[str, ...]] = (),
) -> tuple[pd.DataFrame, pd.Series]:
    """Apply disclosure control to the observations of the staff store.

    Method: threshold rule and least-cell secondary suppression over the district (city total) and
    period (yearly total) margins, :func:`observatory.stats.disclosure.suppress_table`; a derived
    total and its components also over the margin across them (:mod:`publish_derived`), with the
    largest threshold of the group.

    Args:
        observations: Rows with the snapshot's observation columns (no ``display``).
        indicators: code, unit, disclosure_threshold.
        areas: code, parent_code.
        together: Sets of count indicators suppressed together (a derived total and its components).

    Returns:
        The observations with ``display`` added, withheld values NULL; and the reason of each row
        (``primary``, ``secondary``, ``not_published`` or ``""``) on the same index.
    """
    parents = areas.set_index("code")["parent_code"]
    work = observations.assign(
        parent=observations["area_code"].map(parents),
        year=pd.to_datetime(observations["period_start"]).dt.year,
        display=None,
    )
    not_published = work["status"] == ObservationStatus.NOT_PUBLISHED.value
    work["value"] = work["value"].where(~not_published)
    work["reason"] = np.where(not_published, disclosure.NOT_PUBLISHED, "")
    work["display"] = work["display"].where(~not_published, disclosure.CONFIDENTIAL_MARK)
    counts = indicators[indicators["unit"] == Unit.COUNT.value]
    parts = [work[~work["indicator_code"].isin(counts["code"])], *_suppress_counts(work, counts, together)]
    done = pd.concat(parts).sort_index()
    return done[snapshot.columns("observations")], done["reason"]


def _suppress_counts(
    work: pd.DataFrame, counts: pd.DataFrame, together: Sequence[tuple[str, ...]]
) -> list[pd.DataFrame]:
    """Each count indicator's rows suppressed, a derived total with its components as one table."""
    thresholds = dict(zip(counts["code"], counts["disclosure_threshold"].astype(int), strict=True))
    units = [group for group in together if set(group) <= set(thresholds)]
    grouped = {code for group in units for code in group}
    units += [(code,) for code in thresholds if code not in grouped]
    parts = []
    for unit in units:
        rows = work[work["indicator_code"].isin(unit)]
        margins = publish_derived.margins(MARGINS) if len(unit) > 1 else None
        if len(rows):
            parts.append(_suppress_indicator(rows, max(thresholds[c] for c in unit), margins))
    return parts


#: Staff observations processed at once when publishing (whole indicators, see :func:`_batches`).
BATCH_ROWS = 1_000_000


def _batches(counts: Mapping[str, int], limit: int | None = None) -> list[list[str]]:
    """Indicators grouped, in order, into batches of at most ``limit`` observations (or one indicator).

    Every step of a release (city totals, district years, disclosure) works within an indicator, so
    the staff rows are read and processed a batch at a time: holding all 14.4 million figures of a
    1,000-district city at once took 7 GB. A small city is one batch.
    """
    limit = BATCH_ROWS if limit is None else limit
    batches: list[list[str]] = []
    size = 0
    for code, count in counts.items():
        if not batches or size + count > limit:
            batches.append([])
            size = 0
        batches[-1].append(code)
        size += count
    return batches


def _public_tables(store: Store) -> tuple[dict[str, pd.DataFrame], Figures]:
    """The public tables and figures of a first release (nothing to compare with)."""
    tables, figures, _ = public_tables(store, None)
    return tables, figures


def public_tables(
    store: Store, current: pd.DataFrame | None, *, revise: bool = False
) -> tuple[dict[str, pd.DataFrame], Figures, tuple[str, ...]]:
    """The public tables with disclosure applied, their figures and the blocks whose corrections are held
    back against the *current* release's observations (:mod:`release_changes`; none when *revise*): the
    one computation behind both :func:`preview` and :func:`publish`, so a dry run says exactly what
    publishing would do."""
    chunks: list[pd.DataFrame] = []
    why: list[pd.Series] = []
    # Every table and batch is read while no import can commit: the release is one state of the store.
    with store.writes_held():
        tables = snapshot.read_public_sources(store)
        indicators, areas = tables["indicators"], tables["areas"]
        counted = set(indicators.loc[indicators["unit"] == Unit.COUNT.value, "code"].astype(str))
        together = publish_derived.groups(derived.components(store), counted)
        units = publish_derived.units(snapshot.source_observation_counts(store), together)
        for keys in _batches(units):
            codes = [code for key in keys for code in key.split("|")]
            staff = snapshot.read_source_observations(store, codes)
            with_city = pd.concat([staff, city_totals(staff, indicators, areas)], ignore_index=True)
            done, reason = disclose_observations(
                district_years(with_city, indicators, areas), indicators, areas, together
            )
            chunks.append(done.reset_index(drop=True))
            why.append(reason.reset_index(drop=True))
    if chunks:
        observations, reasons = pd.concat(chunks, ignore_index=True), pd.concat(why, ignore_index=True)
    else:
        observations = pd.DataFrame(columns=snapshot.columns("observations"))
        reasons = pd.Series([], dtype=object)
    held = release_changes.hold(observations, reasons, None if revise else current, indicators, together)
    observations, reasons = held.observations, held.reasons
    tables = public_strategy.disclose_strategy(tables, observations)
    tables["observations"] = observations
    figures = Figures(
        observations=len(observations),
        published=int(observations["value"].notna().sum()),
        suppressed_primary=int((reasons == disclosure.PRIMARY).sum()),
        suppressed_secondary=int((reasons == disclosure.SECONDARY).sum()),
        not_published=int((reasons == disclosure.NOT_PUBLISHED).sum()),
        areas=len(tables["areas"]),
        indicators=len(tables["indicators"]),
    )
    return tables, figures, held.blocks


def preview(store: Store, *, actor: Actor, published: Store | None = None) -> Figures:
    """What publishing now would hold: the disclosure of :func:`publish`, computed without writing
    (against the *published* release, whose corrections to withheld blocks are held back).

    Raises:
        PermissionDenied: If the actor may not publish.
    """
    auth.require(actor, "publish")
    return public_tables(store, release_changes.current_observations(published))[1]


def current_release(published: Store | None, snapshot_path: str | Path) -> Release | None:
    """The release public visitors read now, from its ``release`` table; None when nothing is published.

    Args:
        published: The open snapshot (None when there is no file).
        snapshot_path: Where it lives; the release before is looked for beside it.
    """
    row = None if published is None else snapshot.read_release(published)
    if row is None:
        return None
    kept = snapshot.previous_path(snapshot_path)
    return Release(
        path=Path(snapshot_path),
        previous=kept if kept.exists() else None,
        published_at=row["published_at"].to_pydatetime(),
        figures=Figures.from_row(row),
    )


def publish(
    store: Store, *, actor: Actor, snapshot_path: str | Path, now: datetime, revise: bool = False
) -> Release:
    """Publish a disclosure-safe snapshot of the store to *snapshot_path*.

    The file is written anew and swapped in atomically; the release before is kept as
    ``<stem>.previous<suffix>`` (see :func:`observatory.store.snapshot.write_snapshot`). The publication
    is recorded in the audit log.

    Args:
        store: The staff store.
        actor: Who publishes; must be an admin.
        snapshot_path: The snapshot file public instances open.
        now: Time of publication (naive UTC).
        revise: A scheduled revision: publish the corrections held back since the last one (see
            :func:`observatory.stats.disclosure.hold_revisions`); otherwise they wait.

    Returns:
        The release.

    Raises:
        PermissionDenied: If the actor may not publish.
        StoreError: If the snapshot could not be written (the old one is left as it was).
        BadRelease: If the written file failed the checks a release must pass (recorded in the audit
            log; the old one is left as it was).
    """
    auth.require(actor, "publish")
    current = release_changes.read_current(snapshot_path)
    tables, figures, held = public_tables(store, current, revise=revise)
    release = pd.DataFrame(
        [{"published_at": now, "format_version": snapshot.FORMAT_VERSION, **figures.as_row()}]
    )
    try:
        files = snapshot.write_snapshot(snapshot_path, {**tables, "release": release})
    except snapshot.BadRelease as exc:
        releases.record_refusal(store, exc, actor_name=actor.name)
        raise
    package.publish_package(files.path)  # CSV, Parquet and datapackage.json beside the release
    writes.audit(
        store,
        actor.name,
        "publish",
        f"{files.path}: {figures.published} values published, {figures.suppressed_primary} "
        f"small counts and {figures.suppressed_secondary} further cells withheld"
        + (f"; corrections held back in {len(held)} blocks" if held else "")
        + ("; scheduled revision" if revise else ""),
    )
    return Release(path=files.path, previous=files.previous, published_at=now, figures=figures)


def open_data(published: Store) -> pd.DataFrame:
    """The published values of a release, one row per indicator, area and period (open data).

    Only what the release holds: withheld values are empty, with the mark shown in their place.
    """
    return snapshot.open_data(published)
