"""SSMSI files as published: INSEE figures as denominators, the rate check, Paris/Lyon/Marseille."""

import dataclasses

from observatory.domain import IndicatorKind, Unit
from observatory.ingest import IndicatorRef
from observatory.ingest.formats.ssmsi import parse_ssmsi
from tests.ingest.reference import REFERENCE as BASE

REFERENCE = dataclasses.replace(
    BASE, indicators={**BASE.indicators, "vehicle_theft": IndicatorRef(Unit.COUNT, IndicatorKind.RESULT)}
)
MAPPING = {"Cambriolages de logement": "burglary", "Vols de véhicules": "vehicle_theft"}
CURRENT = (
    '"CODGEO_2025";"annee";"indicateur";"unite_de_compte";"nombre";"taux_pour_mille";"est_diffuse";'
    '"insee_pop";"insee_pop_millesime";"insee_log";"insee_log_millesime";"complement_info_nombre";'
    '"complement_info_taux"\n'
)


def _row(commune, year, category, count, rate, diffuse, pop, log, complement="999999"):
    cells = [
        commune,
        year,
        category,
        "Infraction",
        count,
        rate,
        diffuse,
        pop,
        "2021",
        log,
        "2021",
        complement,
        "NA",
    ]
    return ";".join(f'"{c}"' for c in cells) + "\n"


def _parse(text: str, reference=REFERENCE):
    # The current dialect: UTF-8 with BOM, every field quoted, ';', decimal comma, NA for missing.
    return parse_ssmsi(text.encode("utf-8-sig"), "donnee-comm.csv", reference, mapping=MAPPING)


def _rows(parsed):
    return [(i.code, i.row, i.column) for i in parsed.report.issues]


def test_current_dialect_reads_counts_and_insee_figures_as_denominators():
    parsed = _parse(
        CURRENT
        + _row("01", "2024", "Cambriolages de logement", "12", "2,4", "diff", "9000", "5000")
        + _row("01", "2024", "Vols de véhicules", "NA", "NA", "ndiff", "9000", "5000")
    )
    assert parsed.report.ok, parsed.report.to_text()
    assert parsed.report.encoding == "utf-8-sig" and parsed.report.delimiter == ";"
    values = parsed.observations.set_index("indicator_code")
    assert values.loc["burglary", "value"] == 12.0
    assert values.loc["vehicle_theft", "status"] == "not_published"
    dens = parsed.denominators.sort_values("kind")[["area_code", "year", "kind", "value"]].values.tolist()
    assert dens == [["01", 2021, "dwellings", 5000.0], ["01", 2021, "residents", 9000.0]]
    assert set(parsed.tables()) >= {"observations", "denominators"}


def test_departmental_complement_columns_are_never_read():
    one = _parse(
        CURRENT + _row("01", "2024", "Cambriolages de logement", "12", "2,4", "diff", "9000", "5000", "7")
    )
    two = _parse(
        CURRENT + _row("01", "2024", "Cambriolages de logement", "12", "2,4", "diff", "9000", "5000", "8")
    )
    assert one.observations.equals(two.observations) and one.denominators.equals(two.denominators)


def test_rates_agree_with_the_insee_figures_to_one_millionth():
    # Burglary per 1,000 dwellings (12 / 5,000), the other classes per 1,000 inhabitants (27 / 9,000).
    parsed = _parse(
        CURRENT
        + _row("01", "2024", "Cambriolages de logement", "12", "2,4", "diff", "9000", "5000")
        + _row("01", "2024", "Vols de véhicules", "27", "3", "diff", "9000", "5000")
    )
    assert [i for i in parsed.report.issues if i.code == "rate-mismatch"] == []


def test_a_rate_that_disagrees_is_reported_with_its_row_and_column():
    parsed = _parse(CURRENT + _row("01", "2024", "Vols de véhicules", "27", "3,1", "diff", "9000", "5000"))
    assert ("rate-mismatch", 1, "taux_pour_mille") in _rows(parsed)
    assert parsed.report.ok  # a warning: the counts are still right


def test_two_populations_for_one_vintage_is_an_error():
    parsed = _parse(
        CURRENT
        + _row("01", "2024", "Cambriolages de logement", "12", "2,4", "diff", "9000", "5000")
        + _row("01", "2024", "Vols de véhicules", "27", "3", "diff", "9100", "5000")
    )
    assert not parsed.report.ok
    assert {(code, column) for code, _, column in _rows(parsed)} >= {("constraint-error", "insee_pop")}


def test_legacy_dialect_reads_pop_and_log():
    legacy = "CODGEO_2024;annee;classe;unité.de.compte;valeur.publiée;faits;tauxpourmille;"
    legacy += "complementinfoval;complementinfotaux;POP;millPOP;LOG;millLOG\n"
    legacy += "01;23;Cambriolages de logement;Logement;diff;10;2;NA;NA;9000;20;5000;20\n"
    parsed = _parse(legacy)
    assert parsed.report.ok, parsed.report.to_text()
    assert sorted(parsed.denominators["year"]) == [2020, 2020]
    assert parsed.observations["period_start"].dt.year.tolist() == [2023]


def test_paris_and_its_arrondissements_are_noted_and_kept_apart():
    ours = dataclasses.replace(REFERENCE, area_codes=frozenset({"75056", "75101", "75102"}))
    parsed = _parse(
        CURRENT
        + _row("75056", "2024", "Vols de véhicules", "2000", "NA", "diff", "2100000", "1400000")
        + _row("75101", "2024", "Vols de véhicules", "150", "NA", "diff", "16000", "12000"),
        ours,
    )
    assert parsed.report.ok
    assert ("city-and-arrondissements", None, "commune") in _rows(parsed)
    assert sorted(parsed.observations["area_code"]) == ["75056", "75101"]  # two areas, nothing summed
