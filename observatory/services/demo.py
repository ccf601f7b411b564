"""The demo city, loaded through exactly the import path staff use."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from observatory.domain import Actor, ImportKind, ObservatoryError, Role
from observatory.ingest.report import ValidationReport
from observatory.services import publish
from observatory.services.imports import import_boundaries, import_table
from observatory.store import Store, queries

DEMO_ACTOR = Actor("demo", Role.ADMIN)

# Order matters: codes must exist before the files that refer to them.
DEMO_FILES: tuple[tuple[ImportKind, str], ...] = (
    (ImportKind.INDICATORS, "indicators.csv"),
    (ImportKind.DENOMINATORS, "denominators.csv"),
    (ImportKind.OBSERVATIONS, "observations.csv"),
    (ImportKind.AXES, "axes.csv"),
    (ImportKind.PARTNERS, "partners.csv"),
    (ImportKind.OBJECTIVES, "objectives.csv"),
    (ImportKind.ACTIONS, "actions.csv"),
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class DemoLoadError(ObservatoryError):
    """A demo file did not import cleanly (the committed demo files are broken)."""


def _city(folder: Path) -> tuple[str, str]:
    meta = json.loads((folder / "city.json").read_text(encoding="utf-8"))
    return str(meta["code"]), str(meta["name"])


def load_demo(store: Store, folder: str | Path) -> list[ValidationReport]:
    """Import the demo city's boundaries, catalogue, data and strategy; returns one report per file.

    Raises:
        DemoLoadError: If any file is rejected.
    """
    folder = Path(folder)
    code, name = _city(folder)
    boundaries = folder / "districts.geojson"
    reports = [
        import_boundaries(
            store,
            boundaries.read_bytes(),
            boundaries.name,
            code_field="code",
            name_field="name",
            actor=DEMO_ACTOR,
            city_code=code,
            city_name=name,
        )
    ]
    for kind, filename in DEMO_FILES:
        if not reports[-1].ok:
            break
        path = folder / filename
        reports.append(import_table(store, kind, path.read_bytes(), path.name, actor=DEMO_ACTOR))
    failed = [r for r in reports if not r.ok]
    if failed:
        raise DemoLoadError(f"demo file {failed[0].filename} was rejected:\n{failed[0].to_text()}")
    return reports


def ensure_demo(store: Store, folder: str | Path, *, snapshot_path: str | Path | None = None) -> bool:
    """Load the demo into an empty database; True when it was loaded now.

    Args:
        store: The staff database.
        folder: The demo city's files.
        snapshot_path: Where to publish the demo's first public release, so anonymous visitors have
            something to see; nothing is published when None.
    """
    if not queries.is_empty(store):
        return False
    load_demo(store, folder)
    if snapshot_path is not None:
        publish.publish(store, actor=DEMO_ACTOR, snapshot_path=snapshot_path, now=_now())
    return True
