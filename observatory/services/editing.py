"""Editing the strategy and the indicator catalogue from forms: one checked row, one batch.

Every edit is a one-row file of its table: checked by the same contracts and rules as an import
(:func:`observatory.ingest.edits.check_rows`) and written by the same merge
(:func:`observatory.store.writes.apply_batch`, batch kind ``edit``). So each edit keeps the previous
state in the history twin, writes an audit line in the same transaction, appears in the batch log
with who and when, and can be rolled back exactly like an import. Every write checks the actor's
role itself, whatever page called it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from observatory import auth
from observatory.domain import Actor, ImportKind, Issue, Severity
from observatory.ingest.edits import check_assessment, check_document_text, check_rows
from observatory.ingest.reference import Reference
from observatory.services import groups
from observatory.services.imports import build_reference
from observatory.store import Store, history, queries, writes

BATCH_KIND = "edit"

#: Per kind of form: the table written first, the permission it needs, and the reference codes it keys.
_FORMS: dict[ImportKind, tuple[str, str]] = {
    ImportKind.AXES: ("axes", "edit_strategy"),
    ImportKind.PARTNERS: ("partners", "edit_strategy"),
    ImportKind.OBJECTIVES: ("objectives", "edit_strategy"),
    ImportKind.ACTIONS: ("actions", "edit_strategy"),
    ImportKind.INDICATORS: ("indicators", "edit_indicators"),
}


@dataclass(frozen=True, slots=True)
class EditResult:
    """What became of one edit.

    Attributes:
        batch_id: The batch that holds the edit; 0 when nothing was written (refused, or no change).
        issues: Why it was refused, each naming its field in ``column``.
    """

    batch_id: int = 0
    issues: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def changed(self) -> bool:
        """True when the edit was written (an unchanged form writes nothing)."""
        return self.batch_id > 0


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def cell(value: object) -> str:
    """A form value as the cell text an uploaded file would hold ("" for none, ``|`` between codes)."""
    if isinstance(value, list | tuple | set | frozenset):
        return "|".join(str(v) for v in value)
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | np.floating):
        return np.format_float_positional(float(value), trim="-")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _known(reference: Reference, kind: ImportKind) -> frozenset[str]:
    known: dict[ImportKind, frozenset[str]] = {
        ImportKind.AXES: reference.axis_codes,
        ImportKind.PARTNERS: reference.partner_codes,
        ImportKind.OBJECTIVES: reference.objective_codes,
        ImportKind.ACTIONS: frozenset(),
        ImportKind.INDICATORS: frozenset(reference.indicators),
    }
    return known[kind]


def _code_issue(
    store: Store, kind: ImportKind, code: str, reference: Reference, *, create: bool
) -> list[Issue]:
    """A new code must be free; an edited one must exist (an edit never creates by accident)."""
    table = _FORMS[kind][0]
    exists = code in _known(reference, kind) or (
        kind is ImportKind.ACTIONS and code in set(queries.strategy(store)["actions"]["code"])
    )
    if create and exists:
        return [Issue("primary-key", Severity.ERROR, f"code {code!r} already exists", 1, "code", code)]
    if not create and not exists:
        return [Issue("foreign-key", Severity.ERROR, f"no {table[:-1]} with code {code!r}", 1, "code", code)]
    return []


def _record(
    table: str, code: str, tables: Mapping[str, pd.DataFrame], actor: Actor, report: str
) -> writes.BatchRecord:
    return writes.BatchRecord(
        kind=BATCH_KIND,
        filename=f"{table} {code}",
        sha256=json.loads(report)["sha256"],
        rows_read=1,
        rejected=0,
        user_name=actor.name,
        started_at=_now(),
        report=report,
        tables=tables,
        main_table=table,
        audit_action="edit",
        skip_unchanged=True,
        scopes={"action_partners": (code,)} if table == "actions" else {},
    )


def save(
    store: Store, kind: ImportKind, values: Mapping[str, object], *, actor: Actor, create: bool = False
) -> EditResult:
    """Check one row typed in a form and write it as one batch.

    Args:
        store: The staff store.
        kind: Which table: axes, partners, objectives, actions (edit_strategy) or indicators
            (edit_indicators).
        values: The row under the import contract's column names (``code``, ``axis``, ``threshold``,
            ``partners`` as a list of codes …).
        actor: Who edits.
        create: A new row (its code must be free) rather than a change of an existing one.

    Returns:
        The batch written (0 when refused or nothing changed) and the issues found.

    Raises:
        PermissionDenied: If the actor's role may not edit this table.
    """
    table, action = _FORMS[kind]
    auth.require(actor, action)
    cells = {name: cell(value) for name, value in values.items()}
    reference = build_reference(store)
    issues = _code_issue(store, kind, cells.get("code", ""), reference, create=create)
    if issues:
        return EditResult(0, tuple(issues))
    parsed = check_rows(kind, [cells], reference)
    if parsed.frame is None:
        return EditResult(0, tuple(parsed.report.issues))
    tables = {table: parsed.frame, **parsed.extra}
    report = json.dumps(parsed.report.to_dict(), default=str)
    batch_id, _ = writes.apply_batch(
        store, _record(table, cells["code"], tables, actor, report), dry_run=False
    )
    return EditResult(batch_id, tuple(parsed.report.issues))


def add_assessment(
    store: Store, objective_code: str, year: int, text: str, *, actor: Actor, now: datetime | None = None
) -> EditResult:
    """Write a yearly assessment of an objective as a new version (earlier versions are kept).

    Args:
        store: The staff store.
        objective_code: The objective assessed.
        year: The year the assessment is about.
        text: The written assessment.
        actor: Who writes it (stored as its author).
        now: When it is written (default: now, UTC).

    Raises:
        PermissionDenied: If the actor may not edit the strategy.
    """
    auth.require(actor, "edit_strategy")
    issues = check_assessment(objective_code, year, text, build_reference(store).objective_codes)
    if issues:
        return EditResult(0, tuple(issues))
    keys = {"objective_code": objective_code, "year": int(year)}
    return _new_version(store, "assessments", keys, text, actor=actor, now=now)


def _new_version(
    store: Store, table: str, keys: Mapping[str, object], text: str, *, actor: Actor, now: datetime | None
) -> EditResult:
    """A written text kept by version (assessments, document texts): a new row, in a batch of its own.

    The row is ``keys`` with the time it is written, the text and its author (the actor).
    """
    written = now or _now()
    row = {**keys, "created_at": pd.Timestamp(written), "text": text.strip(), "author": actor.name}
    frame = pd.DataFrame({name: [value] for name, value in row.items()})
    label = " ".join(str(v) for v in keys.values())
    digest = json.dumps({"sha256": ":".join([*(str(v) for v in keys.values()), written.isoformat()])})
    record = _record(table, label, {table: frame}, actor, digest)
    batch_id, _ = writes.apply_batch(store, record, dry_run=False)
    return EditResult(batch_id, ())


def save_document_text(
    store: Store,
    kind: str,
    year: int,
    block: str,
    text: str,
    *,
    blocks: frozenset[str],
    actor: Actor,
    now: datetime | None = None,
) -> EditResult:
    """Write one text block of a council document (the diagnosis's commentary) as a new version.

    Args:
        kind: The document (``diagnosis``).
        year: The year it is about.
        block: Which block (one of ``blocks``).
        text: The text; blank puts the automatic draft back.
        blocks: The blocks the document has.
        actor: Who writes it (stored as its author).

    Raises:
        PermissionDenied: If the actor may not edit the strategy.
    """
    auth.require(actor, "edit_strategy")
    issues = check_document_text(kind, year, block, text, blocks)
    if issues:
        return EditResult(0, tuple(issues))
    keys = {"kind": kind, "year": int(year), "block": block}
    return _new_version(store, "document_texts", keys, text, actor=actor, now=now)


#: The level of an area grouping among the areas the forms offer.
GROUP_LEVEL = groups.GROUP_LEVEL


def form_choices(store: Store) -> dict[str, pd.DataFrame]:
    """What the forms show and offer: the strategy tables, the indicators, and the areas an objective or an
    action may name (the city, the districts and the area groupings: ``level`` 0, 1 and
    :data:`groups.GROUP_LEVEL`)."""
    areas = queries.areas(store)
    found = groups.list_groups(store)
    grouped = pd.DataFrame({"code": found["code"], "name": found["name"], "level": groups.GROUP_LEVEL})
    return {
        **queries.strategy(store),
        "indicators": queries.indicators(store),
        "areas": pd.concat(
            [areas.loc[areas["level"] <= 1, ["code", "name", "level"]], grouped], ignore_index=True
        ),
    }


def denominator_kinds(store: Store) -> list[str]:
    """Denominators an indicator may use: those stored and those indicators already name."""
    named = queries.indicators(store)["denominator_kind"].dropna()
    return sorted(set(queries.denominator_kinds(store)) | {str(k) for k in named if k})


def objective_history(store: Store, objective_code: str) -> pd.DataFrame:
    """Who changed an objective's baseline, target or deadline, when, in which batch, old → new."""
    return history.objective_history(store, objective_code)


def assessment_versions(store: Store, objective_code: str) -> pd.DataFrame:
    """Every version of an objective's assessments, newest year and newest version first."""
    return queries.assessments(store, objective_code)
