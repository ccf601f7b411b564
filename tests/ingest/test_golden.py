"""Golden files in European dialects, each parsed to exactly the expected canonical rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from observatory.domain import ImportKind
from observatory.ingest import parse
from tests.ingest.reference import REFERENCE

GOLDEN = Path(__file__).parent.parent / "golden"
NAN = np.nan


def _parse(name: str, kind: ImportKind) -> tuple[pd.DataFrame, dict[str, object]]:
    parsed = parse(kind, (GOLDEN / name).read_bytes(), name, REFERENCE)
    assert parsed.frame is not None, parsed.report.to_text()
    report = parsed.report
    return parsed.frame, {
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "decimal": report.decimal,
    }


def _observations(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    columns = ["indicator_code", "area_code", "granularity", "period_start", "value", "sample_size", "status"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {
            "indicator_code": "str",
            "area_code": "str",
            "granularity": "str",
            "period_start": "datetime64[ns]",
            "value": "float64",
            "sample_size": "Int64",
            "status": "str",
        }
    )


def test_semicolon_decimal_comma_with_bom() -> None:
    frame, dialect = _parse("obs_semicolon_decimal_comma_bom.csv", ImportKind.OBSERVATIONS)
    assert dialect == {"encoding": "utf-8-sig", "delimiter": ";", "decimal": ","}
    expected = _observations(
        [
            ("feel_unsafe", "01", "year", "2024-01-01", 23.5, 412, "ok"),
            ("feel_unsafe", "02", "year", "2024-01-01", 18.25, 388, "provisional"),
            ("burglary", "07", "quarter", "2024-07-01", 1204.0, None, "ok"),
            ("burglary", "08", "quarter", "2024-07-01", NAN, None, "not_published"),
        ]
    )
    pd.testing.assert_frame_equal(frame, expected)


def test_cp1252_with_accented_names() -> None:
    frame, dialect = _parse("partners_cp1252_accents.csv", ImportKind.PARTNERS)
    assert dialect == {"encoding": "cp1252", "delimiter": ";", "decimal": "."}
    expected = pd.DataFrame(
        {
            "code": ["P01", "P02", "P03", "P04"],
            "name": [
                "Junta de Freguesia de São João",
                "Paróquia da Sé",
                "Association Château-Rouge – l’œuvre",
                "Fonds 1 000 €",
            ],
            "sector": ["public", "community", "community", "private"],
        }
    ).astype("str")
    pd.testing.assert_frame_equal(frame, expected)


def test_crlf_with_quoted_fields() -> None:
    frame, dialect = _parse("obs_crlf_quoted.csv", ImportKind.OBSERVATIONS)
    assert dialect == {"encoding": "utf-8", "delimiter": ",", "decimal": ","}
    expected = _observations(
        [
            ("outreach", "07", "month", "2024-07-01", 1204.0, None, "ok"),
            ("outreach", "10", "month", "2024-08-01", 0.0, None, "ok"),
            ("unemployment", "CITY", "year", "2024-01-01", 7.5, 1200, "ok"),
            ("burglary", "09", "month", "2024-12-01", NAN, None, "not_published"),
        ]
    )
    pd.testing.assert_frame_equal(frame, expected)


def test_tab_delimited_with_extra_denominator_kind() -> None:
    frame, dialect = _parse("den_tab_extra_kind.tsv", ImportKind.DENOMINATORS)
    assert dialect == {"encoding": "utf-8", "delimiter": "\t", "decimal": "."}
    expected = pd.DataFrame(
        [
            ("01", 2024, "residents", 15230.0),
            ("02", 2024, "residents", 9800.0),
            ("CITY", 2023, "residents", 250000.0),
            ("01", 2024, "dwellings", 7120.0),
            ("CITY", 2023, "dwellings", 121000.0),
            ("01", 2024, "respondents", 412.0),
            ("02", 2024, "respondents", 388.0),
        ],
        columns=["area_code", "year", "kind", "value"],
    ).astype({"area_code": "str", "year": "int64", "kind": "str", "value": "float64"})
    pd.testing.assert_frame_equal(frame, expected)
