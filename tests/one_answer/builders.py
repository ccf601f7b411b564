"""Small cities written through the real import path, for the one-question-one-answer tests."""

from __future__ import annotations

from pathlib import Path

from observatory.domain import Actor, ImportKind, Role
from observatory.services import imports
from observatory.store import Store, connect
from tests.geo.builders import geojson_bytes, squares_3763

EDITOR = Actor("one-answer", Role.ADMIN)
CITY = "000"


def _load(store: Store, kind: ImportKind, text: str) -> None:
    report = imports.import_table(store, kind, text.encode(), f"{kind.value}.csv", actor=EDITOR)
    assert report.ok, report.to_text()


def city(path: Path, *, districts: int, indicators: str, observations: str, denominators: str = "") -> Store:
    """A store with ``districts`` square districts ("01", "02", …) and the given CSV contents."""
    store = connect(path)
    squares = squares_3763([f"{i + 1:02d}" for i in range(districts)])
    report = imports.import_boundaries(
        store,
        geojson_bytes(squares),
        "d.geojson",
        code_field="code",
        name_field="name",
        actor=EDITOR,
        city_code=CITY,
    )
    assert report.ok, report.to_text()
    _load(store, ImportKind.INDICATORS, indicators)
    if denominators:
        _load(store, ImportKind.DENOMINATORS, denominators)
    _load(store, ImportKind.OBSERVATIONS, observations)
    return store
