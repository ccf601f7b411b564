"""The boundary template reads back as two clean districts in EPSG:4326."""

from observatory import geo


def test_template_reads_back_without_issues() -> None:
    read = geo.read_boundaries(geo.template(), "template.geojson", code_field="code", name_field="name")
    assert read.ok and read.issues == []
    assert read.frame["code"].tolist() == ["01", "02"]
    assert read.source_crs == "EPSG:4326"


def test_template_districts_share_an_edge_and_do_not_overlap() -> None:
    read = geo.read_boundaries(geo.template(), "template.geojson", code_field="code", name_field="name")
    first, second = read.frame.geometry
    assert first.touches(second)
    assert first.intersection(second).area == 0


def test_template_offers_its_code_and_name_fields() -> None:
    assert geo.describe(geo.template(), "template.geojson").fields == ["code", "name"]
