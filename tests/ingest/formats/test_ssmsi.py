"""SSMSI communal files: both layouts, ndiff, years, classes, communes."""

import math

from observatory.ingest.formats.ssmsi import parse_ssmsi
from tests.ingest.reference import REFERENCE

OLD = "CODGEO_2024;annee;classe;unité.de.compte;valeur.publiée;faits;tauxpourmille\n"
NEW = "CODGEO_2025;annee;indicateur;unite_de_compte;nombre;taux_pour_mille;est_diffuse\n"
BURGLARY = {"Cambriolages de logement": "burglary"}


def _parse(text, **options):
    options.setdefault("mapping", BURGLARY)
    return parse_ssmsi(text.encode(), "ssmsi.csv", REFERENCE, **options)


def _codes(parsed):
    return [(i.code, i.row, i.column) for i in parsed.report.issues]


def test_2024_layout_two_digit_year():
    parsed = _parse(OLD + "01;16;Cambriolages de logement;Infraction;diff;12;1,2\n")
    assert parsed.observations is not None
    assert parsed.observations["period_start"].dt.year.tolist() == [2016]
    assert parsed.observations["value"].tolist() == [12.0]


def test_2025_layout_four_digit_year():
    parsed = _parse(NEW + "01;2024;Cambriolages de logement;Infraction;12;1,2;diff\n")
    assert parsed.observations is not None
    assert parsed.observations["period_start"].dt.year.tolist() == [2024]


def test_ndiff_is_withheld_never_zero():
    parsed = _parse(OLD + "01;16;Cambriolages de logement;Infraction;ndiff;NA;NA\n")
    assert parsed.observations is not None
    assert parsed.observations["status"].tolist() == ["not_published"]
    assert math.isnan(parsed.observations["value"].iloc[0])


def test_published_count_blank_is_missing_cell():
    assert _codes(_parse(OLD + "01;16;Cambriolages de logement;Infraction;diff;NA;NA\n")) == [
        ("missing-cell", 1, "faits")
    ]


def test_bad_published_flag_is_constraint_error():
    assert _codes(_parse(OLD + "01;16;Cambriolages de logement;Infraction;maybe;3;1\n")) == [
        ("constraint-error", 1, "valeur.publiée")
    ]


def test_bad_year_is_type_error():
    assert _codes(_parse(OLD + "01;2O16;Cambriolages de logement;Infraction;diff;3;1\n")) == [
        ("type-error", 1, "annee")
    ]


def test_same_commune_year_and_class_twice_is_primary_key():
    row = "01;16;Cambriolages de logement;Infraction;diff;3;1\n"
    assert _codes(_parse(OLD + row + row)) == [("primary-key", 2, "classe")]


def test_two_classes_mapped_to_one_indicator_are_summed():
    rows = "01;16;A;Infraction;diff;3;1\n01;16;B;Infraction;diff;4;1\n"
    parsed = _parse(OLD + rows, mapping={"A": "burglary", "B": "burglary"})
    assert parsed.observations is not None and parsed.observations["value"].tolist() == [7.0]


def test_other_communes_ignored_by_default():
    parsed = _parse(OLD + "75056;16;Cambriolages de logement;Infraction;diff;3;1\n")
    assert parsed.report.ok and parsed.report.ignored_reasons == {"commune not one of our areas": 1}


def test_class_slug_matching_a_known_indicator_needs_no_mapping():
    parsed = _parse(OLD + "01;16;Burglary;Infraction;diff;3;1\n", mapping={})
    assert parsed.observations is not None and parsed.observations["indicator_code"].tolist() == ["burglary"]


def test_missing_count_column_is_missing_label():
    parsed = _parse("CODGEO_2024;annee;classe;valeur.publiée\n01;16;A;diff\n")
    assert _codes(parsed) == [("missing-label", 0, "count")]
