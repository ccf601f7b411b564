"""Add a starter catalogue (every police.uk crime type, every SSMSI class) as one indicators batch.

The starter's rows are written as an indicators file and go through the indicators contract, then
through :func:`observatory.services.imports.finish`: one batch with its history, its audit line and
its rollback, like an uploaded file. Indicators whose code is already in the catalogue are left as
they are. A derived total (all crime) is declared in the same batch when the batch creates it, and
its figures are computed at once from the components' stored figures.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from observatory import auth
from observatory.domain import Actor, ImportKind, Issue, Severity, Unit, translation_columns
from observatory.ingest import ValidationReport, parse
from observatory.services import derived, imports
from observatory.services.starter_data import CATALOGUES, LOCALES, NOTES, THEMES, Starter, StarterCatalogue
from observatory.store import Store, queries

__all__ = ["CATALOGUES", "StarterResult", "add", "plan", "preview_rows"]

_HEADER = ("code", "name", "theme", "kind", "unit", "polarity", "denominator", "multiplier", "threshold")
_THRESHOLD = 5


@dataclass(frozen=True)
class StarterResult:
    """What adding a starter catalogue did (or, in a dry run, would do).

    Attributes:
        catalogue: The starter's name (``police_uk``, ``ssmsi``).
        report: The batch's validation report (batch id, counts, issues).
        created: Codes of the indicators created.
        unchanged: Codes already in the catalogue, left as they are.
        derived: Derived totals declared by this batch (code → components).
        not_derived: Derived totals whose code is already an ordinary indicator: left as it is.
    """

    catalogue: str
    report: ValidationReport
    created: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    derived: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_derived: tuple[str, ...] = ()


def _description(catalogue: StarterCatalogue, starter: Starter, index: int) -> str:
    text = catalogue.category_text[index].format(category=starter.category) if starter.category else ""
    note = NOTES[starter.note][index] if starter.note else ""
    return " ".join(part for part in (text, note) if part)


def preview_rows(name: str, locale: str = "en") -> pd.DataFrame:
    """A starter's indicators as they would be written, in one language (for a page or a dry run).

    Raises:
        KeyError: If there is no starter of that name or the locale is not en, pt or fr.
    """
    catalogue = CATALOGUES[name]
    index = LOCALES.index(locale)
    rows = []
    for starter in catalogue.indicators:
        rows.append(
            {
                "code": starter.code,
                "name": starter.names[index],
                "theme": THEMES[starter.theme][index],
                "kind": "result",
                "unit": Unit.COUNT.value,
                "polarity": starter.polarity.value,
                "denominator": starter.denominator,
                "multiplier": "1000",
                "threshold": str(_THRESHOLD),
                "description": _description(catalogue, starter, index),
                "source": catalogue.source[index],
                # Every language's version too, so readers of the others see their own words.
                **{f"name_{code}": starter.names[i] for i, code in enumerate(LOCALES)},
                **{f"theme_{code}": THEMES[starter.theme][i] for i, code in enumerate(LOCALES)},
                **{
                    f"description_{code}": _description(catalogue, starter, i)
                    for i, code in enumerate(LOCALES)
                },
            }
        )
    return pd.DataFrame(rows, columns=[*_HEADER, "description", "source", *translation_columns()])


def plan(store: Store, name: str, locale: str = "en") -> pd.DataFrame:
    """A starter's indicators in one language, with ``exists`` True for codes already in the catalogue
    (those are left as they are) and ``derived`` naming the components of a derived total ("" else)."""
    rows = preview_rows(name, locale)
    rows["exists"] = rows["code"].isin(set(queries.indicators(store)["code"].astype(str)))
    parts = CATALOGUES[name].derived
    rows["derived"] = [", ".join(parts.get(code, ())) for code in rows["code"]]
    return rows


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _derived_plan(
    catalogue: StarterCatalogue, stored: pd.DataFrame, declared: dict[str, tuple[str, ...]]
) -> tuple[dict[str, tuple[str, ...]], list[str], list[Issue]]:
    """Which derived totals to declare now, which to leave (their code is a plain indicator)."""
    units = dict(zip(stored["code"].astype(str), stored["unit"].astype(str), strict=True))
    plan: dict[str, tuple[str, ...]] = {}
    left: list[str] = []
    issues: list[Issue] = []
    for code, components in catalogue.derived.items():
        if code in declared:
            continue  # already derived: left as it is
        if code in units:
            left.append(code)
            continue
        not_counts = [c for c in components if units.get(c, Unit.COUNT.value) != Unit.COUNT.value]
        if not_counts:
            message = f"{code} is not made a sum: {', '.join(not_counts)} already exist and are not counts"
            issues.append(Issue("derived-indicator", Severity.WARNING, message, value=code))
            left.append(code)
            continue
        plan[code] = tuple(components)
    return plan, left, issues


def _declarations(plan: dict[str, tuple[str, ...]]) -> dict[str, pd.DataFrame]:
    """The ``derived_components`` rows declaring the planned totals (no table when there are none)."""
    if not plan:
        return {}
    rows = [(code, part) for code, parts in plan.items() for part in parts]
    return {"derived_components": pd.DataFrame(rows, columns=["indicator_code", "component_code"])}


def add(store: Store, name: str, *, actor: Actor, locale: str = "en", dry_run: bool = False) -> StarterResult:
    """Create a starter catalogue's indicators (those not yet there) as one indicators batch.

    Args:
        store: The staff store.
        name: ``police_uk`` or ``ssmsi`` (see :data:`CATALOGUES`).
        actor: Who adds it (needs ``edit_indicators``, and ``import`` for the batch).
        locale: Language of the names, themes and descriptions written (en, pt or fr).
        dry_run: Check and classify only; the batch log keeps the attempt.

    Raises:
        PermissionDenied: If the actor may not edit indicators.
        KeyError: If there is no such starter catalogue or locale.
    """
    auth.require(actor, "edit_indicators")
    started = datetime.now(UTC).replace(tzinfo=None)
    catalogue = CATALOGUES[name]
    rows = preview_rows(name, locale)
    stored = queries.indicators(store)
    existing = set(stored["code"].astype(str))
    new = rows[~rows["code"].isin(existing)].reset_index(drop=True)
    plan, left, plan_issues = _derived_plan(catalogue, stored, derived.declared(store, {}))
    filename = f"starter catalogue {name} ({locale})"
    unchanged = tuple(sorted(set(rows["code"]) & existing))
    if new.empty:  # everything is there already: nothing to write, no batch
        report = ValidationReport(
            ImportKind.INDICATORS, filename, "", rows_read=len(rows), issues=plan_issues
        )
        report.unchanged = len(unchanged)
        return StarterResult(name, report, (), unchanged, {}, tuple(left))
    parsed = parse(ImportKind.INDICATORS, _csv(new), filename, imports.build_reference(store))
    report = parsed.report
    report.issues.extend(plan_issues)
    if parsed.frame is None:
        return StarterResult(name, report, (), unchanged, {}, tuple(left))
    tables = {"indicators": parsed.frame, **_declarations(plan)}
    report = imports.finish(store, report, tables, actor=actor, started=started, dry_run=dry_run)
    report.unchanged = len(unchanged)
    created = tuple(new["code"]) if report.ok else ()
    return StarterResult(name, report, created, unchanged, plan if report.ok else {}, tuple(left))
