"""What a new user gets from the default options: SSMSI on an empty database, and files that store nothing."""

import pytest

from observatory import geo
from observatory.domain import Actor, Role
from observatory.services import formats, imports
from observatory.store import connect, queries
from tests.services.test_formats import SSMSI

EDITOR = Actor("rita", Role.EDITOR)


@pytest.fixture
def empty(tmp_path):
    """A new observatory: two districts (01, 02) and no indicator at all."""
    store = connect(tmp_path / "new.duckdb")
    report = imports.import_boundaries(
        store, geo.template(), "districts.geojson", code_field="code", name_field="name", actor=EDITOR
    )
    assert report.ok, report.to_text()
    yield store
    store.close()


def test_ssmsi_defaults_create_the_missing_indicators_on_an_empty_database(empty):
    report = formats.import_ssmsi(empty, SSMSI, "delinquance.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    codes = set(queries.indicators(empty)["code"])
    assert codes == {"cambriolages_de_logement", "vols_de_vehicules"}
    assert report.created == 3  # 01 in 2030 and 2031 (withheld), 02 in 2030
    assert report.nothing_stored() is None


def test_ssmsi_without_creating_indicators_says_why_nothing_was_stored(empty):
    report = formats.import_ssmsi(
        empty, SSMSI, "delinquance.csv", actor=EDITOR, create_missing_indicators=False
    )
    assert report.ok and report.created == 0
    assert report.nothing_stored_text() == (
        "No row was stored: none of the 2 classes has an indicator and 'create missing indicators' is off."
    )
    assert report.nothing_stored_text() in report.to_text()


def test_a_dry_run_that_would_store_nothing_says_would(empty):
    report = formats.import_ssmsi(
        empty, SSMSI, "delinquance.csv", actor=EDITOR, create_missing_indicators=False, dry_run=True
    )
    assert report.nothing_stored_text().startswith("No row would be stored: none of the 2 classes")


def test_a_file_whose_rows_are_all_left_out_says_so(empty):
    data = b"date,category,area\n2030-01-05,Noise,01\n2030-01-06,Noise,02\n"
    report = formats.import_incidents(empty, data, "log.csv", actor=EDITOR)
    assert report.ok and report.created == 0
    assert report.nothing_stored() == ("ignored", {"n": 2, "reason": "category not followed: Noise"})


def test_reimporting_the_same_file_says_everything_is_already_stored(empty):
    formats.import_ssmsi(empty, SSMSI, "delinquance.csv", actor=EDITOR)
    again = formats.import_ssmsi(empty, SSMSI, "delinquance.csv", actor=EDITOR)
    assert again.nothing_stored_text() == "No row was stored: all 3 are already stored as they are."
