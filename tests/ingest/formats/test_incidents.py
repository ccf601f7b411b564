"""Incident lists: months, coordinates, places, counting with zeros."""

import numpy as np

from observatory.domain import SourceFormat
from observatory.ingest.dates import DateOrder
from observatory.ingest.formats.incidents import aggregate, read_incidents
from tests.ingest.reference import REFERENCE


def _read(text):
    return read_incidents(text.encode(), "log.csv", SourceFormat.INCIDENTS)


def _codes(issues):
    return [(i.code, i.row, i.column) for i in issues]


def test_month_from_date_datetime_or_month():
    incidents = _read(
        "date,category,area\n2024-07-31,Burglary,01\n2024-08-01 22:15,Burglary,01\n2024-09,B,01\n"
    )
    assert [str(m.date()) for m in incidents.month] == ["2024-07-01", "2024-08-01", "2024-09-01"]


def test_unreadable_date_is_type_error():
    assert _codes(_read("date,category,area\nJuly 2024,Burglary,01\n").issues) == [("type-error", 1, "date")]


def test_latitude_beyond_90_is_constraint_error():
    incidents = _read("date,category,latitude,longitude\n2024-07-01,Burglary,95,1\n")
    assert _codes(incidents.issues) == [("constraint-error", 1, "latitude")]


def test_list_without_place_columns_is_missing_label():
    assert _codes(_read("date,category\n2024-07-01,Burglary\n").issues) == [("missing-label", 0, "area")]


def test_unknown_area_code_is_reported():
    incidents = _read("date,category,area\n2024-07-01,Burglary,99\n")
    parsed = aggregate(incidents, located=None, areas=["01"], mapping={}, reference=REFERENCE)
    assert _codes(parsed.report.issues) == [("unknown-area", 1, "area")]


def test_every_area_and_month_covered_gets_a_count_zero_included():
    incidents = _read("date,category,area\n2024-07-01,Burglary,01\n2024-08-01,Outreach,02\n")
    parsed = aggregate(incidents, located=None, areas=["01", "02"], mapping={}, reference=REFERENCE)
    frame = parsed.observations
    assert frame is not None and len(frame) == 2 * 2 * 2
    assert frame["value"].sum() == 2


def test_located_points_outside_are_ignored():
    incidents = _read("date,category,latitude,longitude\n2024-07-01,Burglary,1,1\n2024-07-01,Burglary,2,2\n")
    located = np.array(["01", None], dtype=object)
    parsed = aggregate(incidents, located=located, areas=["01"], mapping={}, reference=REFERENCE)
    assert parsed.report.ignored_reasons == {"outside our districts": 1}


def test_category_mapped_to_a_percentage_indicator_is_refused():
    incidents = _read("date,category,area\n2024-07-01,Fear,01\n")
    mapping = {"Fear": "feel_unsafe"}
    parsed = aggregate(incidents, located=None, areas=["01"], mapping=mapping, reference=REFERENCE)
    assert _codes(parsed.report.issues) == [("constraint-error", 1, "category")]


def _aggregate(incidents, located=None, areas=("01", "02")):
    return aggregate(incidents, located=located, areas=list(areas), mapping={}, reference=REFERENCE)


COORDS_AND_DISTRICT = (
    "date,category,latitude,longitude,District\n"
    "2024-07-01,Burglary,41.1,-8.6,07\n"
    "2024-07-02,Burglary,41.2,-8.6,07\n"
    "2024-07-03,Burglary,41.3,-8.6,31\n"
)


def test_coordinates_and_a_district_column_are_not_guessed_between():
    incidents = _read(COORDS_AND_DISTRICT)
    located = np.array(["01", "02", None], dtype=object)
    parsed = _aggregate(incidents, located)
    (issue,) = parsed.report.errors
    assert (issue.code, issue.column) == ("area-ambiguous", "District")
    assert "coordinates → 2 rows placed in 2 areas [01: 1, 02: 1, 07: 0] (1 outside our districts)" in (
        issue.message
    )
    assert (
        "column 'District' → 2 rows matching our area codes in 1 area [01: 0, 02: 0, 07: 2], 1 not matching"
        in (issue.message)
    )
    assert "(e.g. '31')" in issue.message
    assert "area_from" in issue.message and parsed.observations is None


def test_area_from_coordinates_ignores_the_district_column():
    incidents = read_incidents(
        COORDS_AND_DISTRICT.encode(), "log.csv", SourceFormat.INCIDENTS, area_from="coordinates"
    )
    parsed = _aggregate(incidents, np.array(["01", "02", None], dtype=object))
    assert parsed.report.ok, parsed.report.to_text()
    assert parsed.observations.groupby("area_code")["value"].sum().to_dict() == {"01": 1, "02": 1}


def test_area_from_a_named_column_uses_its_codes_and_reports_the_others():
    incidents = read_incidents(
        COORDS_AND_DISTRICT.encode(), "log.csv", SourceFormat.INCIDENTS, area_from="District"
    )
    parsed = _aggregate(incidents)
    assert _codes(parsed.report.errors) == [("unknown-area", 3, "District")]


def test_area_from_a_column_that_is_not_there_is_missing_label():
    incidents = read_incidents(
        COORDS_AND_DISTRICT.encode(), "log.csv", SourceFormat.INCIDENTS, area_from="Beat"
    )
    assert _codes(incidents.issues) == [("missing-label", 0, "Beat")]


def test_an_only_area_column_matching_our_codes_in_part_asks_to_choose():
    rows = "".join(f"2024-07-01,Burglary,{code}\n" for code in ("01", "02", "15", "16", "17"))
    parsed = _aggregate(_read("date,category,District\n" + rows))
    (issue,) = parsed.report.errors
    assert (
        issue.code == "area-ambiguous"
        and "2 rows matching our area codes in 2 areas [01: 1, 02: 1]" in issue.message
    )
    assert "3 not matching (e.g. '15', '16', '17')" in issue.message


def test_one_row_with_area_0_is_an_unknown_area_for_that_row_only():
    rows = "".join(f"2024-07-01,Burglary,{n:02d}\n" for n in range(1, 13)) + "2024-07-01,Burglary,0\n"
    parsed = _aggregate(_read("date,category,area\n" + rows))
    assert _codes(parsed.report.errors) == [("unknown-area", 13, "area")]


def test_category_column_is_chosen_by_an_option():
    data = b"Date,Primary Type,Description,District\n2024-07-01,Burglary,FORCIBLE ENTRY,01\n"
    incidents = read_incidents(data, "chicago.csv", SourceFormat.INCIDENTS, category_column="Primary Type")
    assert incidents.sheet.text["category"].tolist() == ["Burglary"]
    assert _aggregate(incidents).report.ok


def test_a_file_without_a_category_column_names_its_columns_and_the_option():
    data = b"Date,Primary Type,District\n2024-07-01,Burglary,01\n"
    incidents = read_incidents(data, "chicago.csv", SourceFormat.INCIDENTS)
    (issue,) = incidents.issues
    assert issue.code == "missing-label" and "category_column" in issue.message
    assert "'Date', 'Primary Type', 'District'" in issue.message


def test_day_month_order_nothing_decides_is_refused_naming_column_and_rows():
    incidents = _read("Date,category,area\n03/05/2024,Burglary,01\n04/06/2024,Burglary,01\n")
    (issue,) = incidents.issues
    assert (issue.code, issue.row, issue.column) == ("date-ambiguous", 1, "Date")
    assert "row 1: '03/05/2024', row 2: '04/06/2024'" in issue.message and "date_order" in issue.message


def test_the_chosen_date_order_reads_the_dates():
    data = b"date,category,area\n03/05/2024,Burglary,01\n"
    incidents = read_incidents(data, "log.csv", SourceFormat.INCIDENTS, date_order=DateOrder.DAY_FIRST)
    assert not incidents.issues and str(incidents.month.iloc[0].date()) == "2024-05-01"


def test_us_dates_with_am_pm_are_read_month_first():
    incidents = _read("Date,category,area\n03/05/2024 10:00:00 AM,Burglary,01\n")
    assert not incidents.issues and str(incidents.month.iloc[0].date()) == "2024-03-01"
