"""Every council document on every data shape (yearly only, one month, gaps, withheld, one district …).

Each document is made, or refused in words when the shape cannot give it (a district briefing needs a
complete year, as the profile page does); never a crash. Rendered as HTML to keep the run short; the PDF
renderer reads the same blocks (tests/present/test_documents.py).
"""

from __future__ import annotations

import pytest

from observatory.present import documents
from observatory.services import profile, profile_panel
from observatory.store import connect
from tests.shapes.generator import SHAPES, build

pytestmark = pytest.mark.xdist_group("documents-shapes")


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_document_is_made_or_refused_in_words(shape, tmp_path):
    store = connect(build(SHAPES[shape](), tmp_path / "staff.duckdb"), read_only=True)
    try:
        data = profile_panel.load(store)
        first = str(profile.districts(data)["code"].iloc[0])
        for kind in documents.KINDS:
            request = documents.Request(kind, area=first if kind == "district" else None)
            try:
                page = documents.write(store, request, "html").decode()
            except documents.DocumentError as exc:
                assert kind == "district" and profile.years(data)[1] is None, (shape, kind, exc)
                assert "no complete year" in str(exc)
                continue
            assert "INTERNAL" in page and "</html>" in page, (shape, kind)
    finally:
        store.close()
