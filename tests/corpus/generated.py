"""The generated part of the bad-file corpus: mutations of the demo files and the issue each gives.

Families: encoding, dialect, header, row structure, types, codes, constraints and spreadsheet
artefacts. Every case is a file a real export could produce; the expected (code, row, column) is
what a member of staff needs to find and fix it.
"""

from __future__ import annotations

from observatory.domain import ImportKind as K
from tests.corpus.mutations import (
    ROW,
    Case,
    Mutation,
    base_table,
    blank_header,
    cell,
    drop_column,
    duplicate_column,
    in_row,
    merged_title_row,
    raw_bytes,
    repeat_row,
    row_cells,
    semicolon_with_cell,
    then,
    totals_row,
)

REQUIRED: dict[K, tuple[str, ...]] = {
    K.OBSERVATIONS: ("indicator", "area", "period"),
    K.DENOMINATORS: ("area", "year", "residents"),
    K.INDICATORS: ("code", "name", "theme", "kind", "unit", "polarity"),
    K.AXES: ("code", "title"),
    K.PARTNERS: ("code", "name", "sector"),
    K.OBJECTIVES: (
        "code",
        "axis",
        "title",
        "indicator",
        "area",
        "baseline_period",
        "baseline_value",
        "target_value",
        "target_period",
    ),
    K.ACTIONS: ("code", "objective", "title", "lead_partner"),
}
LAST_KEY = {K.OBSERVATIONS: "period", K.DENOMINATORS: "year"}
NUMBER_COLUMN = {
    K.OBSERVATIONS: "value",
    K.DENOMINATORS: "residents",
    K.INDICATORS: "multiplier",
    K.OBJECTIVES: "baseline_value",
    K.ACTIONS: "budget",
}
Spec = tuple[str, Mutation, str, int, str | None]


def _bad_byte(line: bytes) -> bytes:
    return line + b"\xff"


def _bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def _common(kind: K) -> list[Spec]:
    """Cases every kind shares: header, row structure, encoding and file-level artefacts."""
    first = base_table(kind)[0][0]
    specs: list[Spec] = [
        (f"missing_column_{c}", drop_column(c), "missing-label", 0, c) for c in REQUIRED[kind]
    ]
    # A blank count of residents is allowed (a year not yet known); every other required cell is not.
    blank = [c for c in REQUIRED[kind] if (kind, c) != (K.DENOMINATORS, "residents")]
    specs += [(f"blank_{c}", cell(c, ""), "missing-cell", ROW, c) for c in blank]
    specs += [
        ("duplicate_column", duplicate_column(first), "duplicate-label", 0, first),
        ("blank_header", blank_header(first), "blank-header", 0, None),
        ("extra_cell", row_cells(1), "extra-cell", ROW, None),
        ("two_extra_cells", row_cells(2), "extra-cell", ROW, None),
        ("missing_last_cell", row_cells(-1), "missing-cell", ROW, None),
        ("repeated_key", repeat_row(), "primary-key", ROW, LAST_KEY.get(kind, first)),
        ("cp1252_undefined_byte", in_row(ROW, lambda b: b + b"\x81"), "encoding-error", ROW, None),
        ("utf8_bom_then_bad_byte", then(in_row(ROW, _bad_byte), _bom), "encoding-error", ROW, None),
        (
            "utf16_le",
            raw_bytes(lambda b: b"\xff\xfe" + b.decode().encode("utf-16-le")),
            "encoding-error",
            0,
            None,
        ),
        (
            "utf16_be",
            raw_bytes(lambda b: b"\xfe\xff" + b.decode().encode("utf-16-be")),
            "encoding-error",
            0,
            None,
        ),
        ("xlsx_saved_as_csv", raw_bytes(lambda b: b"PK\x03\x04" + bytes(64) + b), "source-error", 0, None),
        (
            "xls_saved_as_csv",
            raw_bytes(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)),
            "source-error",
            0,
            None,
        ),
        ("empty", raw_bytes(lambda b: b""), "source-error", 0, None),
        ("only_whitespace", raw_bytes(lambda b: b" \r\n\t\n"), "source-error", 0, None),
        ("only_bom", raw_bytes(lambda b: b"\xef\xbb\xbf"), "source-error", 0, None),
        ("merged_title_row", merged_title_row, "blank-header", 0, None),
        (
            "crlf_then_extra_cell",
            then(row_cells(1), lambda b: b.replace(b"\n", b"\r\n")),
            "extra-cell",
            ROW,
            None,
        ),
        (
            "cr_only_then_extra_cell",
            then(row_cells(1), lambda b: b.replace(b"\n", b"\r")),
            "extra-cell",
            ROW,
            None,
        ),
        (
            "mixed_eol_then_extra_cell",
            then(row_cells(1), lambda b: b.replace(b"\n", b"\r\n", 2)),
            "extra-cell",
            ROW,
            None,
        ),
        ("unclosed_quote", in_row(ROW, lambda b: b'"' + b), "missing-cell", ROW, None),
    ]
    if kind in NUMBER_COLUMN:
        col = NUMBER_COLUMN[kind]
        specs += [
            (f"{col}_excel_na", cell(col, "#N/A"), "type-error", ROW, col),
            (f"{col}_excel_value", cell(col, "#VALUE!"), "type-error", ROW, col),
            (f"{col}_formula", cell(col, "=SUM(A1:A3)"), "type-error", ROW, col),
            (f"{col}_nul_byte", cell(col, "7\x00"), "type-error", ROW, col),
            (f"{col}_text", cell(col, "twelve"), "type-error", ROW, col),
            (f"{col}_infinity", cell(col, "inf"), "type-error", ROW, col),
            (f"{col}_scientific_decimal_comma", semicolon_with_cell(col, "1,00E+03"), "type-error", ROW, col),
        ]
    return specs


def _observations() -> list[Spec]:
    value = [
        ("1E+03", "type-error"),
        ("1.2e1", "type-error"),
        ("#DIV/0!", "type-error"),
        ("#REF!", "type-error"),
        ("NaN", "type-error"),
        ("1e400", "type-error"),
        ("-inf", "type-error"),
        ("7 cases", "type-error"),
        ("(7)", "type-error"),
        ("--7", "type-error"),
        ("0x1F", "type-error"),
        ("-3", "constraint-error"),
        ("7.5", "constraint-error"),
        ("7,5", "constraint-error"),
    ]
    period = [
        "01/05/2016",
        "2016/05",
        "05/2016",
        "2016-13",
        "2016-00",
        "2016-Q5",
        "2016-Q0",
        "16",
        "May 2016",
    ]
    period += ["2016-05-01", "44682", "0000", "20160", "2016-5-1", "2016 05"]
    specs: list[Spec] = [(f"value_{v}", cell("value", v), code, ROW, "value") for v, code in value]
    specs += [(f"period_{p}", cell("period", p), "type-error", ROW, "period") for p in period]
    specs += [
        ("area_lost_zero", cell("area", "1"), "code-lost-leading-zero", ROW, "area"),
        ("area_unknown", cell("area", "99"), "unknown-area", ROW, "area"),
        ("area_bom_inside", cell("area", "\ufeff01"), "unknown-area", ROW, "area"),
        ("area_nbsp_inside", cell("area", "0\u00a01"), "unknown-area", ROW, "area"),
        ("indicator_unknown", cell("indicator", "burglery"), "unknown-indicator", ROW, "indicator"),
        ("indicator_bom_inside", cell("indicator", "\ufeffburglary"), "unknown-indicator", ROW, "indicator"),
        ("sample_size_text", cell("sample_size", "n/a"), "type-error", ROW, "sample_size"),
        ("sample_size_zero", cell("sample_size", "0"), "constraint-error", ROW, "sample_size"),
        ("sample_size_negative", cell("sample_size", "-4"), "constraint-error", ROW, "sample_size"),
        ("sample_size_fraction", cell("sample_size", "2.5"), "constraint-error", ROW, "sample_size"),
        ("status_unknown", cell("status", "maybe"), "constraint-error", ROW, "status"),
        ("totals_row", totals_row("value"), "missing-cell", 13, "area"),
    ]
    return specs


def _other_kinds() -> list[tuple[K, Spec]]:
    den: list[Spec] = [
        ("year_text", cell("year", "20x6"), "type-error", ROW, "year"),
        ("year_two_digits", cell("year", "16"), "type-error", ROW, "year"),
        ("year_as_date", cell("year", "01/01/2016"), "type-error", ROW, "year"),
        ("residents_negative", cell("residents", "-5"), "constraint-error", ROW, "residents"),
        ("area_unknown", cell("area", "999"), "unknown-area", ROW, "area"),
        ("area_zero", cell("area", "0"), "unknown-area", ROW, "area"),
        ("area_lost_zeros", cell("area", "3"), "code-lost-leading-zero", ROW, "area"),
        ("dwellings_text", cell("dwellings", "many"), "type-error", ROW, "dwellings"),
    ]
    ind: list[Spec] = [
        ("kind_unknown", cell("kind", "outcome"), "constraint-error", ROW, "kind"),
        ("unit_unknown", cell("unit", "per cent"), "constraint-error", ROW, "unit"),
        ("polarity_unknown", cell("polarity", "up"), "constraint-error", ROW, "polarity"),
        ("multiplier_zero", cell("multiplier", "0"), "constraint-error", ROW, "multiplier"),
        ("threshold_zero", cell("threshold", "0"), "constraint-error", ROW, "threshold"),
        ("threshold_fraction", cell("threshold", "2.5"), "constraint-error", ROW, "threshold"),
    ]
    par: list[Spec] = [("sector_unknown", cell("sector", "government"), "constraint-error", ROW, "sector")]
    obj: list[Spec] = [
        ("axis_unknown", cell("axis", "AX9"), "foreign-key", ROW, "axis"),
        ("axis_bom_inside", cell("axis", "\ufeffAX4"), "foreign-key", ROW, "axis"),
        ("indicator_unknown", cell("indicator", "burglery"), "unknown-indicator", ROW, "indicator"),
        ("area_unknown", cell("area", "99"), "unknown-area", ROW, "area"),
        ("baseline_period_date", cell("baseline_period", "31/12/2022"), "type-error", ROW, "baseline_period"),
        ("target_value_excel_na", cell("target_value", "#N/A"), "type-error", ROW, "target_value"),
        ("target_before_baseline", cell("target_period", "2019"), "constraint-error", ROW, "target_period"),
    ]
    act: list[Spec] = [
        ("objective_unknown", cell("objective", "OB99"), "foreign-key", ROW, "objective"),
        ("lead_partner_unknown", cell("lead_partner", "P99"), "foreign-key", ROW, "lead_partner"),
        ("partners_unknown", cell("partners", "P01|P99"), "foreign-key", ROW, "partners"),
        ("status_unknown", cell("status", "done?"), "constraint-error", ROW, "status"),
        ("start_dd_mm_yyyy", cell("start", "31/12/2023"), "type-error", ROW, "start"),
        ("end_excel_serial", cell("end", "45291"), "type-error", ROW, "end"),
        ("end_before_start", cell("end", "2000-01-01"), "constraint-error", ROW, "end"),
        ("budget_negative", cell("budget", "-1"), "constraint-error", ROW, "budget"),
    ]
    groups = {K.DENOMINATORS: den, K.INDICATORS: ind, K.PARTNERS: par, K.OBJECTIVES: obj, K.ACTIONS: act}
    return [(kind, spec) for kind, specs in groups.items() for spec in specs]


def cases() -> list[Case]:
    """Every generated case, named ``<kind>_<mutation>``."""
    table = [(kind, spec) for kind in REQUIRED for spec in _common(kind)]
    table += [(K.OBSERVATIONS, spec) for spec in _observations()] + _other_kinds()
    out = []
    for kind, (name, mutate, code, row, column) in table:
        out.append(Case(f"{kind.value}_{name}", kind, mutate(base_table(kind)), code, row, column))
    return out
