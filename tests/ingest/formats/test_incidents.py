"""Incident lists: months, coordinates, places, counting with zeros."""

import numpy as np

from observatory.domain import SourceFormat
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
    assert _codes(_read("date,category,area\n31/07/2024,Burglary,01\n").issues) == [("type-error", 1, "date")]


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
