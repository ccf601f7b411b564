"""Recognising files from their header."""

import pytest

from observatory.domain import ImportKind, SourceFormat, WideLayout
from observatory.ingest.formats.detect import recognise

POLICE = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type\n"
)


@pytest.mark.parametrize(
    ("header", "source"),
    [
        (POLICE, SourceFormat.POLICE_UK),
        ("CODGEO_2024;annee;classe;unité.de.compte;valeur.publiée;faits\n".encode(), SourceFormat.SSMSI),
        (b"CODGEO_2025;annee;indicateur;unite_de_compte;nombre;est_diffuse\n", SourceFormat.SSMSI),
        (b"date,category,area\n", SourceFormat.INCIDENTS),
        (b"Date;Cat\xc3\xa9gorie;Latitude;Longitude\n", SourceFormat.INCIDENTS),
        (b"indicator,area,2023,2024\n", SourceFormat.WIDE),
        (b"area,period,burglary,robbery\n", SourceFormat.WIDE),
    ],
    ids=["police_uk", "ssmsi_2024", "ssmsi_2025", "incidents_codes", "incidents_points", "wide_p", "wide_i"],
)
def test_published_formats_are_recognised(header, source):
    found = recognise(header)
    assert found is not None and found.source is source and found.kind is ImportKind.OBSERVATIONS


def test_wide_layout_is_named():
    found = recognise(b"area,period,burglary\n")
    assert found is not None and found.layout is WideLayout.INDICATORS
    assert found.name == "wide table (indicators across)"


def test_plain_contract_is_recognised_by_kind():
    found = recognise(b"indicator,area,period,value\n")
    assert found is not None and (found.kind, found.source) == (ImportKind.OBSERVATIONS, None)


def test_unknown_header_is_not_recognised():
    assert recognise(b"foo,bar\n") is None


def test_empty_file_is_not_recognised():
    assert recognise(b"") is None


def test_chicago_export_is_an_incident_list_whose_category_column_is_chosen_at_import():
    header = (
        b"ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,"
        b"Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,"
        b"Latitude,Longitude,Location\n"
    )
    found = recognise(header)
    assert found is not None and found.source is SourceFormat.INCIDENTS
