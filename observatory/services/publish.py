"""Publishing: a disclosure-safe public snapshot of the store, written as a new file (DESIGN §4, §6).

Disclosure control is applied to the observations before anything is written: for count indicators
a value 1 … k−1 (k the indicator's ``disclosure_threshold``) is withheld and shown "< k"; further
cells are withheld so that no withheld cell can be recovered by subtraction from a total that can be
derived — the city total of the districts of one period, and the yearly total of the months (or
quarters) of one area; values not published at source stay withheld; zeros are published. A withheld
value is stored NULL with status ``suppressed`` (or ``not_published``) and its display text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from observatory import auth
from observatory.domain import Actor, ObservationStatus, Unit
from observatory.stats import disclosure
from observatory.store import Store, snapshot, writes

#: Status of an observation withheld by disclosure control in a snapshot.
SUPPRESSED = "suppressed"

#: Units whose values add up over areas and periods.
ADDITIVE_UNITS = (Unit.COUNT.value, Unit.AMOUNT.value)

# Margins whose totals can be derived: districts of one city and period; periods of one area and year.
MARGINS = [["granularity", "period_start", "parent"], ["area_code", "granularity", "year"]]


@dataclass(frozen=True, slots=True)
class Release:
    """One published snapshot and what it holds.

    Attributes:
        path: The snapshot file.
        previous: The kept copy of the release before, or None for a first release.
        published_at: When it was published.
        observations: Observation rows in the snapshot.
        published: Rows with a value shown.
        suppressed_primary: Small counts withheld ("< k").
        suppressed_secondary: Cells withheld so that a small count cannot be recovered.
        not_published: Rows withheld at source.
    """

    path: Path
    previous: Path | None
    published_at: datetime
    observations: int
    published: int
    suppressed_primary: int
    suppressed_secondary: int
    not_published: int


def _suppress_indicator(rows: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Primary and secondary suppression of one count indicator's rows (both margins at once)."""
    done = disclosure.suppress_table(rows, value_col="value", group_cols=MARGINS, threshold=threshold)
    withheld = done["reason"].isin([disclosure.PRIMARY, disclosure.SECONDARY])
    done["value"] = done["value_published"]
    done["status"] = done["status"].where(~withheld, SUPPRESSED)
    done["display"] = done["display"].where(done["withheld"].astype(bool), None)
    return done


def city_totals(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The city's own rows for every count or amount that has district rows and none of the city's.

    Made from the unsuppressed district values before anything is withheld, so the public keeps the
    city total even where small district counts are withheld. A period in which a district is
    missing or withheld at source gets a withheld city row (the total is unknown), never a partial sum.

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
        value=("value", lambda v: v.sum(min_count=1) if v.notna().all() else np.nan),
        sample_size=("sample_size", lambda v: v.sum(min_count=1)),
        areas=("area_code", "nunique"),
        provisional=("status", lambda v: (v == ObservationStatus.PROVISIONAL.value).any()),
    ).reset_index()
    totals.loc[totals["areas"] < districts, "value"] = np.nan
    totals["status"] = np.where(
        totals["value"].isna(),
        ObservationStatus.NOT_PUBLISHED.value,
        np.where(totals["provisional"], ObservationStatus.PROVISIONAL.value, ObservationStatus.OK.value),
    )
    totals["area_code"] = city
    return totals[list(observations.columns)]


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
    year = pd.to_datetime(parts["period_start"]).dt.year
    years = (
        parts.assign(year=year)
        .groupby(["indicator_code", "area_code", "granularity", "year"], sort=True)
        .agg(
            value=("value", lambda v: v.sum() if v.notna().all() else np.nan),
            sample_size=("sample_size", lambda v: v.sum(min_count=1)),
            parts=("value", "size"),
            provisional=("status", lambda v: (v == ObservationStatus.PROVISIONAL.value).any()),
        )
        .reset_index()
    )
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
    observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    """Apply disclosure control to the observations of the staff store.

    Method: threshold rule and least-cell secondary suppression over the district (city total) and
    period (yearly total) margins, :func:`observatory.stats.disclosure.suppress_table`.

    Args:
        observations: Rows with the snapshot's observation columns (no ``display``).
        indicators: code, unit, disclosure_threshold.
        areas: code, parent_code.

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
    parts = [work[~work["indicator_code"].isin(counts["code"])]]
    for code, threshold in zip(counts["code"], counts["disclosure_threshold"], strict=True):
        rows = work[work["indicator_code"] == code]
        if len(rows):
            parts.append(_suppress_indicator(rows, int(threshold)))
    done = pd.concat(parts).sort_index()
    return done[snapshot.columns("observations")], done["reason"]


def _public_tables(store: Store) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """The public tables with disclosure applied, and the counts the release records."""
    tables = snapshot.read_public_sources(store)
    staff = tables["observations"]
    with_city = pd.concat(
        [staff, city_totals(staff, tables["indicators"], tables["areas"])], ignore_index=True
    )
    public = district_years(with_city, tables["indicators"], tables["areas"])
    observations, reasons = disclose_observations(public, tables["indicators"], tables["areas"])
    tables["observations"] = observations
    counts = {
        "observations": len(observations),
        "published": int(observations["value"].notna().sum()),
        "suppressed_primary": int((reasons == disclosure.PRIMARY).sum()),
        "suppressed_secondary": int((reasons == disclosure.SECONDARY).sum()),
        "not_published": int((reasons == disclosure.NOT_PUBLISHED).sum()),
        "areas": len(tables["areas"]),
        "indicators": len(tables["indicators"]),
    }
    return tables, counts


def publish(store: Store, *, actor: Actor, snapshot_path: str | Path, now: datetime) -> Release:
    """Publish a disclosure-safe snapshot of the store to *snapshot_path*.

    The file is written anew and swapped in atomically; the release before is kept as
    ``<stem>.previous<suffix>`` (see :func:`observatory.store.snapshot.write_snapshot`). The publication
    is recorded in the audit log.

    Args:
        store: The staff store.
        actor: Who publishes; must be an admin.
        snapshot_path: The snapshot file public instances open.
        now: Time of publication (naive UTC).

    Returns:
        The release.

    Raises:
        PermissionDenied: If the actor may not publish.
        StoreError: If the snapshot could not be written (the old one is left as it was).
    """
    auth.require(actor, "publish")
    tables, counts = _public_tables(store)
    release = pd.DataFrame([{"published_at": now, "format_version": snapshot.FORMAT_VERSION, **counts}])
    files = snapshot.write_snapshot(snapshot_path, {**tables, "release": release})
    writes.audit(
        store,
        actor.name,
        "publish",
        f"{files.path}: {counts['published']} values published, {counts['suppressed_primary']} "
        f"small counts and {counts['suppressed_secondary']} further cells withheld",
    )
    return Release(
        path=files.path,
        previous=files.previous,
        published_at=now,
        observations=counts["observations"],
        published=counts["published"],
        suppressed_primary=counts["suppressed_primary"],
        suppressed_secondary=counts["suppressed_secondary"],
        not_published=counts["not_published"],
    )


def current_release(store: Store) -> dict[str, object] | None:
    """What the release read through ``store`` (a published snapshot) holds: its ``release`` row.

    Returns:
        published_at and the counts of :data:`observatory.store.snapshot.SNAPSHOT_TABLES` ``release``;
        None when the store is not a snapshot.
    """
    return snapshot.release_row(store)
