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
    observations, reasons = disclose_observations(
        tables["observations"], tables["indicators"], tables["areas"]
    )
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
