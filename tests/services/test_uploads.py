"""The upload registry: every kind has a template that its own import accepts, recognition, roles."""

import shutil

import pytest

from observatory.domain import Actor, ImportRejected, PermissionDenied, Role, SourceFormat
from observatory.services import uploads
from observatory.store import connect, queries
from observatory.store.schema import TABLES

EDITOR = Actor("rita", Role.EDITOR)
VIEWER = Actor("vera", Role.VIEWER)
ANONYMOUS = Actor("anonymous", Role.PUBLIC)


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def _template_upload(kind, actor=EDITOR, *, dry_run=True):
    fields = {"code_field": "code", "name_field": "name"} if kind.boundary else {}
    return uploads.Upload(kind.template(), kind.template_name, actor, dry_run=dry_run, **fields)


def test_every_kind_is_offered_once():
    assert list(uploads.KINDS) == [
        "observations",
        "indicators",
        "denominators",
        "boundaries",
        "objectives",
        "actions",
        "contracts",
        "partners",
        "axes",
        "ssmsi",
        "police_uk",
        "incidents",
        "wide",
    ]


@pytest.mark.parametrize("name", list(uploads.KINDS))
def test_template_passes_its_own_dry_run_against_the_demo_city(store, name):
    kind = uploads.KINDS[name]
    report = uploads.run(kind, store, _template_upload(kind))
    assert report.ok, report.to_text()
    assert report.rows_read >= 2


@pytest.mark.parametrize("name", list(uploads.KINDS))
def test_template_is_recognised_as_its_kind(name):
    kind = uploads.KINDS[name]
    assert uploads.recognise(kind.template(), kind.template_name) is kind


def test_unrecognisable_file_gives_none():
    assert uploads.recognise(b"foo,bar\n1,2\n", "x.csv") is None


@pytest.mark.parametrize("actor", [VIEWER, ANONYMOUS], ids=["viewer", "anonymous"])
@pytest.mark.parametrize("name", list(uploads.KINDS))
def test_roles_below_editor_may_not_run_any_kind(store, name, actor):
    kind = uploads.KINDS[name]
    before = queries.count_rows(store, "batches")
    with pytest.raises(PermissionDenied):
        uploads.run(kind, store, _template_upload(kind, actor))
    assert queries.count_rows(store, "batches") == before


def test_dry_run_report_carries_the_preview_of_changes(store):
    data = b"indicator,area,period,value\nburglary,01,2016-01,99\nburglary,01,2031-01,4\n"
    kind = uploads.KINDS["observations"]
    report = uploads.run(kind, store, uploads.Upload(data, "obs.csv", EDITOR))
    changes = report.changes
    assert changes["change"].tolist() == ["created", "updated"]
    assert changes.loc[1, "value"] == 99.0
    assert changes.loc[1, "stored_value"] == 7.0  # the demo's burglary count in 01, January 2016


def test_boundary_preview_leaves_out_geometry_texts(store):
    report = uploads.run(uploads.BOUNDARIES, store, _template_upload(uploads.BOUNDARIES))
    assert "geometry" not in report.changes.columns
    assert "stored_display_geometry" not in report.changes.columns
    assert set(report.changes["code"]) >= {"01", "02"}


def test_commit_of_a_template_writes_and_only_then(store):
    kind = uploads.KINDS["partners"]
    before = {name: queries.table_contents(store, name).to_csv() for name in TABLES}
    uploads.run(kind, store, _template_upload(kind))
    assert {name: queries.table_contents(store, name).to_csv() for name in TABLES} == before
    committed = uploads.run(kind, store, _template_upload(kind, dry_run=False))
    assert queries.batch(store, committed.batch_id)["state"].iloc[0] == "committed"
    assert "Home insurer" in set(queries.table_contents(store, "partners")["name"])


def test_accepted_extensions_cover_csv_and_boundary_files():
    assert {"csv", "geojson", "gpkg", "zip"} <= set(uploads.accepted_extensions())


def test_boundary_shapes_draw_every_district_of_the_file():
    from observatory.services import imports

    shapes = imports.boundary_shapes(
        uploads.BOUNDARIES.template(), "b.geojson", code_field="code", name_field="name"
    )
    assert [f["id"] for f in shapes["features"]] == ["01", "02"]


def test_boundary_shapes_of_a_file_without_the_fields_is_empty():
    from observatory.services import imports

    shapes = imports.boundary_shapes(
        uploads.BOUNDARIES.template(), "b.geojson", code_field="x", name_field="y"
    )
    assert shapes["features"] == []


def test_templates_imported_in_order_fill_an_empty_database(tmp_path):
    empty = connect(tmp_path / "empty.duckdb")
    try:
        order = ["boundaries", "indicators", "denominators", "observations", "axes", "partners"]
        for name in [*order, "objectives", "actions"]:
            kind = uploads.KINDS[name]
            report = uploads.run(kind, empty, _template_upload(kind, dry_run=False))
            assert report.ok, report.to_text()
            assert report.created >= 2, name
    finally:
        empty.close()


PUBLISHED = ["ssmsi", "police_uk", "incidents", "wide"]


def test_published_formats_name_their_source_and_only_police_uk_takes_several_files():
    assert {name: uploads.KINDS[name].source for name in PUBLISHED} == {
        "ssmsi": SourceFormat.SSMSI,
        "police_uk": SourceFormat.POLICE_UK,
        "incidents": SourceFormat.INCIDENTS,
        "wide": SourceFormat.WIDE,
    }
    assert [name for name, kind in uploads.KINDS.items() if kind.multiple] == ["police_uk"]


def test_ssmsi_example_is_written_in_the_ministrys_dialect():
    data = uploads.KINDS["ssmsi"].template()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"CODGEO_2024";"annee";"classe";')
    assert ';"diff";12;1,4;' in text  # text quoted, numbers bare with a decimal comma
    assert '"ndiff";NA;NA;3,2;0,4;' in text


def test_ssmsi_example_dry_run_ignores_other_communes_and_withholds_ndiff(store):
    kind = uploads.KINDS["ssmsi"]
    upload = uploads.Upload(kind.template(), kind.template_name, EDITOR)
    mapping = {"Cambriolages de logement": "burglary", "Vols de véhicules": "vehicle_theft"}
    report = uploads.run(
        kind, store, uploads.Upload(upload.data, upload.filename, EDITOR, options={"mapping": mapping})
    )
    assert report.ok, report.to_text()
    assert report.ignored_reasons == {"commune not one of our areas": 1}
    withheld = report.changes[report.changes["status"] == "not_published"]
    assert withheld[["indicator_code", "area_code"]].values.tolist() == [["vehicle_theft", "01"]]


def test_format_options_reach_the_import(store):
    kind = uploads.KINDS["ssmsi"]
    kept = uploads.run(kind, store, uploads.Upload(kind.template(), "s.csv", EDITOR))
    strict = uploads.run(
        kind,
        store,
        uploads.Upload(kind.template(), "s.csv", EDITOR, options={"keep_only_our_communes": False}),
    )
    assert kept.ok and not strict.ok
    assert {i.code for i in strict.errors} == {"unknown-area"}


def test_options_a_format_does_not_take_are_ignored(store):
    kind = uploads.KINDS["wide"]
    report = uploads.run(
        kind, store, uploads.Upload(kind.template(), "w.csv", EDITOR, options={"lsoa_as_area": True})
    )
    assert report.ok, report.to_text()


def test_combine_keeps_one_header_and_every_row_in_order():
    a = b"\xef\xbb\xbfh1,h2\r\n1,2\r\n"
    b = b"h1,h2\r\n3,4"
    name, data = uploads.combine([("a.csv", a), ("b.csv", b)])
    assert name == "a.csv + b.csv"
    assert data == b"h1,h2\r\n1,2\r\n3,4\n"


def test_combine_of_one_file_gives_it_back_unchanged():
    assert uploads.combine([("a.csv", b"\xef\xbb\xbfh\n1\n")]) == ("a.csv", b"\xef\xbb\xbfh\n1\n")


def test_combine_refuses_files_with_different_headers():
    with pytest.raises(ImportRejected, match=r"b\.csv does not have the same header as a\.csv"):
        uploads.combine([("a.csv", b"h1,h2\n1,2\n"), ("b.csv", b"h1,h3\n3,4\n")])


def test_combine_refuses_no_file():
    with pytest.raises(ImportRejected):
        uploads.combine([])
