"""Area groupings staff define (wards, priority neighbourhoods, police sectors, a contract's districts).

A group is a code, a name and its member districts. Staff write groups three ways, each one batch
(history, audit line, batch log, exact rollback, as every edit): a form (:func:`save_group`: a picker on
the map's districts), a CSV of ``group,name,area`` rows (:func:`import_csv`, all or nothing), or a
boundary file's attribute (:func:`from_boundary_attribute`: one group per value of a field). A group's
members are replaced as a set by the batch that writes it. Groups are published with the release.

**The API other pages call** (the overview's "what changed, where" grid, documents, strategy target
areas): :func:`list_groups`, :func:`members`, :func:`totals` (a group's totals per period, the one total
rule of :mod:`services.totals`), :func:`rows` (the same in the shape of the districts' rows) and
:func:`figure` (one indicator × map period: value or bounds, denominator, rate). A group's figures are
its members' counts and denominators summed, rates and intervals computed on the sums; a withheld
member makes the total bounded (staff) or "at least" (a release), never a partial sum.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import shapely

from observatory import auth, geo
from observatory.domain import Actor, Indicator, Issue, Severity
from observatory.ingest.read import read_table
from observatory.services import mapview, totals
from observatory.store import Store, queries, writes
from observatory.store import groups as stored

BATCH_KIND = "groups"
#: The level a grouping takes beside the city (0) and the districts (1) where areas are listed together.
GROUP_LEVEL = 2
ACTION = "edit_strategy"
CSV_COLUMNS = ("group", "name", "area")
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@dataclass(frozen=True, slots=True)
class GroupResult:
    """What became of a write: the batch (0 when refused or unchanged), the groups it held, the issues."""

    batch_id: int = 0
    groups: int = 0
    issues: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


# -- reading: the API -------------------------------------------------------------------------------


def list_groups(store: Store) -> pd.DataFrame:
    """code, name, members (count), member_codes (sorted list) of every group, by code."""
    return stored.groups(store)


def members(store: Store, code: str) -> list[str]:
    """A group's member district codes, sorted (empty for an unknown group)."""
    return stored.members(store, code)


def sets(store: Store) -> dict[str, list[str]]:
    """Every grouping's member district codes, by group code (groupings without members left out)."""
    found = list_groups(store)
    return {str(r.code): [str(m) for m in r.member_codes] for r in found.itertuples() if int(r.members)}


def expand(codes: Sequence[str], known: dict[str, list[str]]) -> list[str]:
    """Area codes with each grouping's code replaced by its member districts (``known``: :func:`sets`),
    in order and without repeats; district and city codes are kept as they are."""
    out: list[str] = []
    for code in codes:
        for member in known.get(code, [code]):
            if member not in out:
                out.append(member)
    return out


def uses(store: Store, code: str) -> list[tuple[str, str]]:
    """What names the grouping as an area: ("action", code) for an action's target or comparison areas,
    ("objective", code) for an objective's area, ("contract", code) for a contract's comparison areas or
    a cohort's areas; by kind and code."""
    return sorted({(kind, named) for kind, named, _ in stored.named_by(store, [code])})


#: An undo that would remove groupings something names as an area (``groups``, ``used_by``).
GroupInUse = stored.GroupInUse
#: A rollback's check: an undo may not remove a grouping something still names, as :func:`delete_group`
#: refuses to delete one (:func:`observatory.store.groups.rollback_guard`).
rollback_guard = stored.rollback_guard


def totals_of(store: Store, info: Indicator, target: str, code: str) -> pd.DataFrame:
    """A group's totals for every ``target`` period (year, quarter, month): :func:`totals.area_totals`."""
    return totals.area_totals(store, info, target, members(store, code))


def rows(store: Store, info: Indicator, target: str, code: str) -> pd.DataFrame:
    """A group's totals as the rows pages put beside the districts' (:func:`totals.city_rows`' shape)."""
    return totals.as_rows(totals_of(store, info, target, code))


def figure(store: Store, info: Indicator, period: mapview.MapPeriod, code: str) -> mapview.CityFigure:
    """One indicator over one map period for a group: total (or bounds), summed denominator, rate."""
    return mapview.area_figure(store, info, period, members(store, code), code)


# -- writing ------------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check(groups: pd.DataFrame, districts: set[str], areas: set[str], *, source: str) -> list[Issue]:
    """Problems of group rows (columns group, name, area, row), each naming its file, row and column.
    ``areas``: every area code (the city's too), which a group's code may not repeat."""

    def issue(code: str, message: str, row: object, column: str, value: object = None) -> Issue:
        text = None if value is None else str(value)
        return Issue(code, Severity.ERROR, message, row=int(str(row)), column=column, value=text, file=source)

    found: list[Issue] = []
    first = ~groups["group"].duplicated()
    for row in groups.itertuples():
        if str(row.group) in areas:
            if not first[row.Index]:
                continue
            found.append(
                issue(
                    "constraint-error",
                    "a group code may not be an area's code (an action or objective names either)",
                    row.row,
                    "group",
                    row.group,
                )
            )
        elif not _CODE.match(str(row.group)):
            found.append(
                issue(
                    "constraint-error",
                    "a group code is 1–40 letters, digits, _ . -",
                    row.row,
                    "group",
                    row.group,
                )
            )
        if not str(row.name).strip():
            found.append(issue("constraint-error", "a group needs a name", row.row, "name"))
        if str(row.area) not in districts:
            found.append(issue("unknown-area", "not one of the city's districts", row.row, "area", row.area))
    for row in groups[groups.duplicated(["group", "area"], keep="first")].itertuples():
        found.append(
            issue("primary-key", "the district is listed twice in the group", row.row, "area", row.area)
        )
    names = groups.groupby("group")["name"].nunique()
    for code in names[names > 1].index:
        second = groups[groups["group"] == code].iloc[1]
        found.append(
            issue("constraint-error", "one group has two names", second["row"], "name", second["name"])
        )
    return found


def _write(store: Store, groups: pd.DataFrame, actor: Actor, source: str, digest: str) -> GroupResult:
    """Check and write group rows as one batch (all or nothing)."""
    every = queries.areas(store)
    districts = set(every.loc[every["level"] == 1, "code"].astype(str))
    issues = _check(groups, districts, set(every["code"].astype(str)), source=source)
    codes = sorted(set(groups["group"].astype(str)))
    if issues or groups.empty:
        empty = [Issue("source-error", Severity.ERROR, "no group found", row=0, file=source)]
        return GroupResult(0, len(codes), tuple(issues or empty))
    heads = groups.drop_duplicates("group")
    tables = {
        "area_groups": pd.DataFrame({"code": heads["group"].astype(str), "name": heads["name"].str.strip()}),
        "area_group_members": pd.DataFrame(
            {"group_code": groups["group"].astype(str), "area_code": groups["area"].astype(str)}
        ),
    }
    record = writes.BatchRecord(
        kind=BATCH_KIND,
        filename=source,
        sha256=digest,
        rows_read=len(groups),
        rejected=0,
        user_name=actor.name,
        started_at=_now(),
        report=json.dumps({"groups": codes}),
        tables=tables,
        main_table="area_groups",
        audit_action="edit",
        skip_unchanged=True,
        scopes={"area_group_members": tuple(codes)},
    )
    batch_id, _ = writes.apply_batch(store, record, dry_run=False)
    return GroupResult(batch_id, len(codes), ())


def save_group(store: Store, code: str, name: str, chosen: Sequence[str], *, actor: Actor) -> GroupResult:
    """Write one group from a form (its members replace the stored ones).

    Raises:
        PermissionDenied: If the actor may not edit the strategy.
    """
    auth.require(actor, ACTION)
    frame = pd.DataFrame({"group": code.strip(), "name": name, "area": [str(c) for c in chosen]})
    frame["row"] = 1
    if frame.empty:
        issue = Issue(
            "constraint-error",
            Severity.ERROR,
            "a group needs at least one district",
            row=1,
            column="area",
            file="form",
        )
        return GroupResult(0, 0, (issue,))
    digest = hashlib.sha256(json.dumps([code, name, sorted(chosen)]).encode()).hexdigest()
    return _write(store, frame, actor, f"group {code.strip()}", digest)


def import_csv(store: Store, data: bytes, filename: str, *, actor: Actor) -> GroupResult:
    """Write the groups of a CSV (``group,name,area``, one row per member) as one batch, or nothing.

    Encoding, delimiter and header case are read as for every upload; each problem names the file,
    the row and the column.

    Raises:
        PermissionDenied: If the actor may not edit the strategy.
    """
    auth.require(actor, ACTION)
    raw = read_table(data)
    issues = [dataclasses.replace(i, file=filename) for i in raw.issues]
    header = [h.strip().lower() for h in raw.header]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing or any(i.severity is Severity.ERROR for i in issues):
        issues += [
            Issue(
                "missing-label",
                Severity.ERROR,
                f"the column {c!r} is missing",
                row=0,
                column=c,
                file=filename,
            )
            for c in missing
        ]
        return GroupResult(0, 0, tuple(issues))
    frame = pd.DataFrame({c: raw.frame[str(header.index(c))].astype(str).str.strip() for c in CSV_COLUMNS})
    frame["row"] = raw.rows
    return _write(store, frame, actor, filename, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True, slots=True)
class Deletion:
    """What became of a deletion: its batch (0 when refused or unknown), what refused it."""

    batch_id: int = 0
    used_by: tuple[tuple[str, str], ...] = ()
    unknown: bool = False


def delete_group(store: Store, code: str, *, actor: Actor) -> Deletion:
    """Delete a grouping and its members as one batch (history, audit line, exact rollback), unless an
    action, an objective or a contract names it (:func:`uses`): then nothing is written and ``used_by``
    says which.

    Raises:
        PermissionDenied: If the actor may not edit the strategy.
    """
    auth.require(actor, ACTION)
    if code not in set(list_groups(store)["code"].astype(str)):
        return Deletion(unknown=True)
    found = uses(store, code)
    if found:
        return Deletion(used_by=tuple(found))
    record = writes.BatchRecord(
        kind=BATCH_KIND,
        filename=f"delete group {code}",
        sha256=hashlib.sha256(json.dumps(["delete", code]).encode()).hexdigest(),
        rows_read=0,
        rejected=0,
        user_name=actor.name,
        started_at=_now(),
        report=json.dumps({"deleted": [code]}),
        tables={
            "area_groups": pd.DataFrame({"code": pd.Series([], dtype=str), "name": pd.Series([], dtype=str)}),
            "area_group_members": pd.DataFrame(
                {"group_code": pd.Series([], dtype=str), "area_code": pd.Series([], dtype=str)}
            ),
        },
        main_table="area_groups",
        audit_action="delete",
        skip_unchanged=True,
        scopes={"area_groups": (code,), "area_group_members": (code,)},
    )
    batch_id, _ = writes.apply_batch(store, record, dry_run=False)
    return Deletion(batch_id)


def from_boundary_attribute(
    store: Store,
    data: bytes,
    filename: str,
    *,
    code_field: str,
    attribute: str,
    actor: Actor,
    crs: str | None = None,
) -> GroupResult:
    """One group per value of a boundary file's attribute (a ward, a police sector), members the
    districts whose code the file's ``code_field`` holds; group code and name are the value.

    Raises:
        PermissionDenied: If the actor may not edit the strategy.
    """
    auth.require(actor, ACTION)
    read = geo.read_boundaries(data, filename, code_field=code_field, name_field=attribute, crs=crs)
    errors = [i for i in read.issues if i.severity is Severity.ERROR]
    if errors:
        return GroupResult(0, 0, tuple(read.issues))
    values = read.frame["name"].astype(str).str.strip()
    frame = pd.DataFrame(
        {
            "group": values.map(_as_code),
            "name": values,
            "area": read.frame["code"].astype(str),
            "row": range(1, len(values) + 1),
        }
    )
    frame = frame[values != ""]
    return _write(store, frame, actor, filename, hashlib.sha256(data).hexdigest())


def _as_code(value: str) -> str:
    """A group code from an attribute's value: letters and digits kept, other runs become ``_``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", value.strip())[:40] or "group"


def outline(store: Store, code: str) -> dict | None:
    """A group drawn as one area: the union of its members' display shapes, as a GeoJSON Feature whose
    ``id`` is the group's code (None when no member has a shape)."""
    chosen = set(members(store, code))
    shapes = queries.area_shapes(store, level=1, display=True)
    shapes = shapes[shapes["code"].isin(chosen)]
    if shapes.empty:
        return None
    union = shapely.union_all([geo.geometry_from_text(text) for text in shapes["geometry"]])
    return {
        "type": "Feature",
        "id": code,
        "properties": {"code": code},
        "geometry": json.loads(geo.geometry_to_text(union)),
    }


def boundary_fields(data: bytes, filename: str) -> list[str]:
    """The attribute fields of a boundary file (empty when it cannot be read)."""
    try:
        return geo.list_fields(data, filename)
    except geo.BoundarySourceError:
        return []
