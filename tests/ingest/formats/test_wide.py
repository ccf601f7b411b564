"""Wide tables: both layouts, issues placed on the file's own cell."""

from observatory.domain import WideLayout
from observatory.ingest.formats.wide import detect_layout, parse_wide
from tests.ingest.reference import REFERENCE


def _parse(text, layout=None):
    return parse_wide(text.encode(), "wide.csv", REFERENCE, layout=layout)


def test_periods_across_become_rows():
    parsed = _parse("indicator,area,2023,2024-Q1\nburglary,01,3,4\n")
    assert parsed.observations is not None
    assert parsed.observations["granularity"].tolist() == ["year", "quarter"]


def test_issue_points_at_the_files_row_and_period_column():
    parsed = _parse("indicator,area,2023,2024\nburglary,01,3,4\nburglary,02,-1,5\n")
    assert [(i.code, i.row, i.column) for i in parsed.report.errors] == [("constraint-error", 2, "2023")]


def test_unknown_indicator_column_points_at_its_header():
    parsed = _parse("area,period,burglary,robbery\n01,2024,3,4\n")
    assert [(i.code, i.row) for i in parsed.report.errors] == [("unknown-indicator", 1)]


def test_blank_cells_are_ignored_and_counted():
    parsed = _parse("indicator,area,2023,2024\nburglary,01,,4\n")
    assert parsed.report.ok and parsed.report.ignored_reasons == {"blank cell (no data)": 1}


def test_non_period_column_is_a_warning():
    parsed = _parse("indicator,area,2023,comment\nburglary,01,3,hi\n", WideLayout.PERIODS)
    assert [(i.code, i.column) for i in parsed.report.warnings] == [("extra-label", "comment")]


def test_header_fitting_no_layout_is_missing_label():
    assert [i.code for i in _parse("foo,bar\n1,2\n").report.errors] == ["missing-label"]


def test_long_observations_header_is_not_wide():
    assert detect_layout(["indicator", "area", "period", "value"]) is None
