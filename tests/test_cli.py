"""The command line: exit codes, printed reports, history and rollback."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

from observatory.cli import main

ROOT = Path(__file__).resolve().parent.parent
INDICATORS = (
    b"code,name,theme,kind,unit,polarity,denominator\n"
    b"burglary,Burglary,property crime,result,count,lower_is_better,dwellings\n"
)


def run(*args):
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.duckdb")


def test_init_creates_the_database(db):
    code, text = run("init", "--db", db)
    assert code == 0 and "database ready" in text
    assert Path(db).exists()


def test_dry_run_prints_the_report_and_writes_nothing(db, tmp_path):
    file = tmp_path / "indicators.csv"
    file.write_bytes(INDICATORS)
    code, text = run("import", "indicators", str(file), "--dry-run", "--db", db)
    assert code == 0
    assert "utf-8" in text.lower()
    code, text = run("batches", "--db", db)
    assert "dry_run" in text
    assert "committed" not in text


def test_rejected_file_exits_1_with_row_and_column(db, tmp_path):
    file = tmp_path / "obs.csv"
    file.write_bytes(b"indicator,area,period,value\nburglary,01,2024-13,3\n")
    code, text = run("import", "observations", str(file), "--db", db)
    assert code == 1
    assert "unknown-indicator" in text or "type-error" in text
    assert "obs.csv" in text


def test_auto_recognises_the_kind(db, tmp_path):
    file = tmp_path / "whatever.csv"
    file.write_bytes(INDICATORS)
    code, text = run("import", "auto", str(file), "--db", db)
    assert code == 0
    assert "recognised as indicators" in text


def test_rollback_undoes_a_batch_and_a_second_rollback_fails(db, tmp_path):
    file = tmp_path / "indicators.csv"
    file.write_bytes(INDICATORS)
    run("import", "indicators", str(file), "--db", db)
    code, text = run("rollback", "1", "--db", db)
    assert code == 0 and "rolled back" in text
    code, text = run("rollback", "1", "--db", db)
    assert code == 2 and "error:" in text


def test_boundaries_without_crs_fields_are_reported(db, tmp_path):
    file = tmp_path / "zones.geojson"
    file.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    code, text = run("boundaries", str(file), "--code-field", "CODE", "--name-field", "NAME", "--db", db)
    assert code == 1
    assert "zones.geojson" in text


def test_environment_variable_names_the_database(tmp_path):
    db = tmp_path / "env.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "observatory", "init"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"OBSERVATORY_DB": str(db), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert db.exists()


POLICE = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    b"Last outcome category,Context\n"
    b"a1,2024-07,Force,Force,,,No location,,,Burglary,Under investigation,\n"
)


def test_auto_names_a_published_format_and_reports_ignored_rows(db, tmp_path):
    file = tmp_path / "crimes.csv"
    file.write_bytes(POLICE)
    code, text = run("import", "auto", str(file), "--dry-run", "--db", db)
    assert "recognised as police.uk street-level crime" in text
    assert "ignored 1" in text and "category not followed: Burglary" in text
    assert code == 0


def test_import_map_option_must_be_category_equals_indicator(db, tmp_path):
    file = tmp_path / "crimes.csv"
    file.write_bytes(POLICE)
    code, text = run("import", "police_uk", str(file), "--map", "Burglary", "--db", db)
    assert code == 2 and "CATEGORY=INDICATOR" in text


def test_breaks_add_list_remove(db, tmp_path):
    file = tmp_path / "indicators.csv"
    file.write_bytes(INDICATORS)
    run("import", "indicators", str(file), "--db", db)
    code, text = run("breaks", "add", "burglary", "2025-07-01", "--note", "new rules", "--db", db)
    assert code == 0 and "added" in text
    code, text = run("breaks", "list", "--db", db)
    assert "burglary  2025-07-01  new rules" in text
    code, text = run("breaks", "edit", "burglary", "2025-07-01", "--new-date", "2025-08-01", "--db", db)
    assert code == 0
    code, text = run("breaks", "remove", "burglary", "2025-08-01", "--db", db)
    assert code == 0 and "removed" in text
    assert run("breaks", "list", "--db", db)[1] == "no series breaks\n"


def test_breaks_bad_date_is_an_error(db):
    code, text = run("breaks", "add", "burglary", "July", "--db", db)
    assert code == 2 and "not a date" in text


INCIDENTS_BOTH = (
    b"Date,Primary Type,Latitude,Longitude,District\n"
    b"03/05/2030 10:00:00 PM,Burglary,41.14033,-8.59019,07\n"
    b"03/06/2030 11:00:00 AM,Burglary,41.13727,-8.57758,07\n"
)


@pytest.fixture
def demo_db(demo_file, tmp_path):
    import shutil

    return str(shutil.copy(demo_file, tmp_path / "demo.duckdb"))


def test_import_incidents_refuses_to_guess_then_takes_the_chosen_options(demo_db, tmp_path):
    file = tmp_path / "chicago.csv"
    file.write_bytes(INCIDENTS_BOTH)
    code, text = run("import", "incidents", str(file), "--db", demo_db, "--category-column", "Primary Type")
    assert code == 1
    assert "area-ambiguous" in text and "'District'" in text and "coordinates → 2 rows" in text
    code, text = run(
        "import", "incidents", str(file), "--db", demo_db,
        "--category-column", "Primary Type", "--area-from", "coordinates",
    )  # fmt: skip
    assert code == 0, text


def test_import_incidents_date_order_option(demo_db, tmp_path):
    file = tmp_path / "log.csv"
    file.write_bytes(b"date,category,area\n03/05/2030,Burglary,01\n")
    code, text = run("import", "incidents", str(file), "--db", demo_db, "--dry-run")
    assert code == 1 and "date-ambiguous" in text and "row 1: '03/05/2030'" in text
    code, text = run("import", "incidents", str(file), "--db", demo_db, "--dry-run", "--date-order", "dmy")
    assert code == 0, text


def test_import_ssmsi_without_creating_indicators_says_why_nothing_was_stored(demo_db, tmp_path):
    from tests.services.test_formats import SSMSI

    file = tmp_path / "ssmsi.csv"
    file.write_bytes(SSMSI)
    code, text = run("import", "ssmsi", str(file), "--db", demo_db, "--no-create-missing-indicators")
    assert code == 0
    assert "No row was stored: none of the 2 classes has an indicator" in text
    code, text = run("import", "ssmsi", str(file), "--db", demo_db)
    assert code == 0 and "created 3" in text
