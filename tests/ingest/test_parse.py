"""parse() per kind, detect_kind() and template()."""

from __future__ import annotations

import math

import pytest

from observatory.domain import ImportKind, ObservatoryError, Severity
from observatory.ingest import Parsed, detect_kind, parse, template
from tests.ingest.reference import REFERENCE

K = ImportKind


def _parse(kind: ImportKind, text: str) -> Parsed:
    return parse(kind, text.encode(), "upload.csv", REFERENCE)


def _codes(parsed: Parsed) -> list[tuple[str, int | None, str | None]]:
    return [(i.code, i.row, i.column) for i in parsed.report.issues]


OBS = "indicator,area,period,value,sample_size,status\n"


def test_observation_status_blank_is_ok() -> None:
    frame = _parse(K.OBSERVATIONS, OBS + "burglary,01,2024,3,,\n").frame
    assert frame is not None and frame["status"].tolist() == ["ok"]


def test_observation_ndiff_status_stored_as_nan_not_zero() -> None:
    frame = _parse(K.OBSERVATIONS, OBS + "burglary,01,2024,,,ndiff\n").frame
    assert frame is not None and frame["status"].tolist() == ["not_published"]
    assert math.isnan(frame["value"].iloc[0])


def test_observation_ndiff_in_value_with_blank_status_is_withheld() -> None:
    frame = _parse(K.OBSERVATIONS, OBS + "burglary,01,2024,ndiff,,\n").frame
    assert frame is not None and frame["status"].tolist() == ["not_published"]


def test_observation_na_value_with_withheld_status_accepted() -> None:
    frame = _parse(K.OBSERVATIONS, OBS + "burglary,01,2024,NA,,withheld\n").frame
    assert frame is not None and frame["status"].tolist() == ["not_published"]


def test_observation_na_value_with_ok_status_is_missing_cell() -> None:
    assert _codes(_parse(K.OBSERVATIONS, OBS + "burglary,01,2024,NA,,\n")) == [("missing-cell", 1, "value")]


def test_observation_provisional_status() -> None:
    frame = _parse(K.OBSERVATIONS, OBS + "burglary,01,2024,3,,provisional\n").frame
    assert frame is not None and frame["status"].tolist() == ["provisional"]


def test_observation_percent_without_sample_size_is_warning() -> None:
    parsed = _parse(K.OBSERVATIONS, "indicator,area,period,value\nfeel_unsafe,01,2024,30\n")
    assert parsed.frame is not None
    assert [(i.code, i.severity) for i in parsed.report.issues] == [("missing-cell", Severity.WARNING)]


def test_observation_negative_sample_size_is_constraint_error() -> None:
    assert _codes(_parse(K.OBSERVATIONS, OBS + "feel_unsafe,01,2024,30,-4,\n")) == [
        ("constraint-error", 1, "sample_size")
    ]


def test_observation_fractional_sample_size_is_constraint_error() -> None:
    assert _codes(_parse(K.OBSERVATIONS, OBS + "feel_unsafe,01,2024,30,4.5,\n")) == [
        ("constraint-error", 1, "sample_size")
    ]


def test_observation_unknown_indicator_code_lost_zero_not_guessed() -> None:
    parsed = _parse(K.OBSERVATIONS, OBS + "burglary,1,2024,3,,\n")
    assert _codes(parsed) == [("code-lost-leading-zero", 1, "area")]
    assert parsed.frame is None


def test_observation_same_period_written_twice_differently_is_primary_key() -> None:
    parsed = _parse(K.OBSERVATIONS, OBS + "burglary,01,2024-Q3,3,,\nburglary,01, 2024-Q3 ,4,,\n")
    assert _codes(parsed) == [("primary-key", 2, "period")]


def test_observation_same_start_other_granularity_is_not_duplicate() -> None:
    frame = _parse(K.OBSERVATIONS, OBS + "burglary,01,2024-07,3,,\nburglary,01,2024-Q3,9,,\n").frame
    assert frame is not None and len(frame) == 2


def test_header_aliases_accents_case_and_spaces() -> None:
    text = "Indicador;ÁREA;Período;Valor\nburglary;01;2024;3\n"
    frame = _parse(K.OBSERVATIONS, text).frame
    assert frame is not None and frame["area_code"].tolist() == ["01"]


def test_unknown_column_is_warning_and_ignored() -> None:
    parsed = _parse(K.OBSERVATIONS, "indicator,area,period,value,comment\nburglary,01,2024,3,hi\n")
    assert parsed.frame is not None
    assert _codes(parsed) == [("extra-label", 0, "comment")]


def test_empty_nameless_trailing_column_is_only_warning() -> None:
    parsed = _parse(K.OBSERVATIONS, "indicator;area;period;value;\nburglary;01;2024;3;\n")
    assert parsed.frame is not None
    assert [(i.code, i.severity) for i in parsed.report.issues] == [("blank-header", Severity.WARNING)]


def test_header_only_file_gives_empty_valid_frame() -> None:
    parsed = _parse(K.OBSERVATIONS, "indicator,area,period,value\n")
    assert parsed.frame is not None and len(parsed.frame) == 0
    assert parsed.report.rows_read == 0


def test_report_records_sha256_and_rows_read() -> None:
    parsed = _parse(K.OBSERVATIONS, OBS + "burglary,01,2024,3,,\n")
    assert len(parsed.report.sha256) == 64 and parsed.report.rows_read == 1


def test_many_bad_rows_are_capped() -> None:
    text = "indicator,area,period,value\n" + "burglary,01,2024-01,x\n" * 600
    issues = [i for i in _parse(K.OBSERVATIONS, text).report.issues if i.code == "type-error"]
    assert len(issues) == 501 and issues[-1].message.startswith("100 more rows")


IND = "code,name,theme,kind,unit,polarity,denominator,multiplier,threshold\n"


def test_indicator_defaults_with_denominator() -> None:
    frame = _parse(K.INDICATORS, IND + "burglary,B,property,result,count,lower_is_better,Dwellings,,\n").frame
    assert frame is not None
    row = frame.iloc[0]
    assert (row["denominator_kind"], row["multiplier"], row["disclosure_threshold"]) == (
        "dwellings",
        1000.0,
        5,
    )
    assert row["description"] == "" and row["source"] == ""


def test_indicator_defaults_without_denominator() -> None:
    frame = _parse(K.INDICATORS, IND + "outreach,O,youth,activity,count,higher_is_better,,,\n").frame
    assert frame is not None
    assert frame["denominator_kind"].iloc[0] is None and frame["multiplier"].iloc[0] == 1.0


def test_indicator_enum_values_case_insensitive() -> None:
    frame = _parse(K.INDICATORS, IND + "x,X,t,Result,COUNT,Lower is better,,,\n").frame
    assert frame is not None and frame["polarity"].tolist() == ["lower_is_better"]


def test_indicator_zero_multiplier_is_constraint_error() -> None:
    assert _codes(_parse(K.INDICATORS, IND + "x,X,t,result,count,neutral,,0,\n")) == [
        ("constraint-error", 1, "multiplier")
    ]


def test_denominator_blank_cells_skipped() -> None:
    frame = _parse(K.DENOMINATORS, "area,year,residents,dwellings\n01,2024,100,\n").frame
    assert frame is not None and frame["kind"].tolist() == ["residents"]


def test_partner_sector_synonym() -> None:
    frame = _parse(K.PARTNERS, "code,nom,secteur\nP01,Ville,Publique\n").frame
    assert frame is not None and frame["sector"].tolist() == ["public"]


def test_objective_frame() -> None:
    text = "code,axis,title,indicator,area,baseline_period,baseline_value,target_value,target_period\n"
    frame = _parse(K.OBJECTIVES, text + "O1,A1,T,burglary,CITY,2023,1200,1000,2026-Q4\n").frame
    assert frame is not None
    assert frame.iloc[0][["baseline_period", "target_period", "target_value"]].tolist() == [
        "2023",
        "2026-Q4",
        1000,
    ]


def test_action_defaults_and_partner_pairs() -> None:
    parsed = _parse(K.ACTIONS, "code,objective,title,lead_partner,partners\nAC1,O1,T,P01,P02| P03\n")
    assert parsed.frame is not None
    row = parsed.frame.iloc[0]
    assert row["status"] == "planned" and math.isnan(row["budget"])
    assert parsed.extra["action_partners"].values.tolist() == [["AC1", "P02"], ["AC1", "P03"]]


def test_action_same_start_and_end_is_fine() -> None:
    text = "code,objective,title,lead_partner,start,end\nAC1,O1,T,P01,2024-01-01,2024-01-01\n"
    assert _parse(K.ACTIONS, text).frame is not None


def test_areas_are_not_parsed_here() -> None:
    parsed = _parse(K.AREAS, "code,name\n01,A\n")
    assert parsed.frame is None and _codes(parsed) == [("source-error", None, None)]


@pytest.mark.parametrize("kind", [k for k in ImportKind if k is not ImportKind.AREAS])
def test_template_parses_and_is_detected(kind: ImportKind) -> None:
    data = template(kind)
    parsed = parse(kind, data, "template.csv", REFERENCE)
    assert parsed.report.ok, parsed.report.to_text()
    assert detect_kind(data, "template.csv") is kind


def test_template_of_areas_refused() -> None:
    with pytest.raises(ObservatoryError):
        template(ImportKind.AREAS)


def test_detect_kind_minimal_headers() -> None:
    assert detect_kind(b"code;title\nA1;x\n", "a.csv") is K.AXES
    assert detect_kind("Indicateur;Zone;Période;Valeur\n".encode("cp1252"), "a.csv") is K.OBSERVATIONS


def test_detect_kind_unknown_header_is_none() -> None:
    assert detect_kind(b"foo,bar\n1,2\n", "a.csv") is None
    assert detect_kind(b"", "a.csv") is None
