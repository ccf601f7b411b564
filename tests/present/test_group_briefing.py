"""The district briefing made for an area grouping: from the staff store, the release, the command line,
and on every data shape."""

from __future__ import annotations

import io
import re
import shutil
from datetime import datetime

import pypdf
import pytest

from observatory.cli import main
from observatory.domain import Actor, ImportKind, Role
from observatory.present import briefings, documents
from observatory.present.document import Figure, Table
from observatory.services import group_profile, groups, imports, profile, profile_panel, publish
from observatory.store import connect
from tests.shapes.generator import SHAPES, build

ADMIN = Actor("ada", Role.ADMIN)
CENTRE = ["01", "02", "03", "04"]
OBJECTIVE = (
    "code,axis,title,indicator,area,baseline_period,baseline_value,target_value,target_period\n"
    "OB9,AX4,Cut burglary in the centre,burglary,centre,2022,300,250,2027\n"
)


@pytest.fixture(scope="module")
def grouped(demo_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("groupdoc")
    path = shutil.copy(demo_file, folder / "staff.duckdb")
    store = connect(path)
    assert groups.save_group(store, "centre", "City centre <b>", CENTRE, actor=ADMIN).ok
    assert imports.import_table(store, ImportKind.OBJECTIVES, OBJECTIVE.encode(), "o.csv", actor=ADMIN).ok
    publish.publish(store, actor=ADMIN, snapshot_path=folder / "public.duckdb", now=datetime(2026, 1, 15))
    store.close()
    return path, folder / "public.duckdb"


def _blocks(document, kind):
    return [b for b in document.blocks if isinstance(b, kind)]


def test_a_grouping_s_briefing_holds_its_profile_its_union_and_its_objectives(grouped):
    store = connect(grouped[0], read_only=True)
    try:
        made = documents.build(store, documents.Request("district", area="centre", year=2025))
        expected = group_profile.group_profile(store, "centre", 2025)
        outline = groups.outline(store, "centre")
    finally:
        store.close()
    assert made.title.endswith("City centre <b>")  # text, escaped by the renderers
    [drawn] = _blocks(made, Figure)
    # The members filled, the union drawn over them as the outlined shape.
    assert drawn.svg.count('fill="#F0E442"') == len(CENTRE)
    assert outline is not None and 'fill="none"' in drawn.svg
    profile_table, objectives = _blocks(made, Table)
    assert len(profile_table.rows) == len(expected)
    burglary = expected.set_index("indicator_code").loc["burglary"]
    row = next(r for r in profile_table.rows if r[0] == burglary["name"])
    assert row[1] == f"{int(burglary['value']):,}"
    assert objectives.rows[0][0].startswith("OB9 · ")


def test_the_public_briefing_of_a_grouping_prints_no_withheld_member_s_value(grouped):
    store = connect(grouped[1], read_only=True)
    try:
        made = briefings.group_briefing(store, "centre", year=2025)
        expected = group_profile.group_profile(store, "centre", 2025)
    finally:
        store.close()
    hidden = expected[expected["basis"] == "at_least"]
    assert len(hidden), "a centre district is withheld for some indicator in the 2025 release"
    profile_table = _blocks(made, Table)[0]
    for name in hidden["name"]:
        row = next(r for r in profile_table.rows if r[0] == name)
        assert row[1].startswith("at least"), row


def test_the_command_line_writes_a_grouping_s_briefing(grouped, tmp_path):
    target = tmp_path / "centre.pdf"
    out = io.StringIO()
    code = main(["report", "district", "centre", "--out", str(target), "--db", str(grouped[0])], out=out)
    assert code == 0, out.getvalue()
    text = pypdf.PdfReader(target).pages[0].extract_text()
    assert "City centre <b>" in re.sub(r"\s+", " ", text)


def test_an_unknown_code_is_refused_in_words(grouped):
    store = connect(grouped[0], read_only=True)
    try:
        with pytest.raises(documents.DocumentError, match="nowhere"):
            documents.build(store, documents.Request("district", area="nowhere"))
    finally:
        store.close()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_makes_a_grouping_s_briefing_or_refuses_it_in_words(shape, tmp_path):
    path = build(SHAPES[shape](), tmp_path / "staff.duckdb")
    store = connect(path)
    try:
        data = profile_panel.load(store)
        codes = [str(c) for c in profile.districts(data)["code"]][:2]
        assert groups.save_group(store, "pair", "Two districts", codes, actor=ADMIN).ok
        try:
            page = documents.write(store, documents.Request("district", area="pair"), "html").decode()
        except documents.DocumentError as exc:
            assert profile.years(data)[1] is None and "no complete year" in str(exc), (shape, exc)
            return
        assert "INTERNAL" in page and "Two districts" in page
    finally:
        store.close()
