"""``python -m observatory catalogue add``: a starter catalogue from the command line."""

import io

import pytest

from observatory.cli import main


def run(*args):
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.duckdb")


def test_dry_run_says_what_would_be_created_and_writes_nothing(db):
    code, text = run("catalogue", "add", "police_uk", "--dry-run", "--db", db)
    assert code == 0
    assert "police_uk: 15 indicator(s) would be created, 0 unchanged" in text
    assert "derived: all_crime = sum of 13" in text
    code, text = run("catalogue", "add", "police_uk", "--dry-run", "--db", db)
    assert "15 indicator(s) would be created" in text


def test_add_then_add_again_reports_created_then_unchanged(db):
    code, text = run("catalogue", "add", "ssmsi", "--locale", "fr", "--db", db)
    assert code == 0 and "ssmsi: 18 indicator(s) created, 0 unchanged" in text
    code, text = run("catalogue", "add", "ssmsi", "--db", db)
    assert code == 0 and "0 indicator(s) created, 18 unchanged" in text
    code, text = run("batches", "--db", db)
    assert "starter catalogue ssmsi (fr)" in text


def test_an_unknown_starter_is_a_usage_error(db):
    with pytest.raises(SystemExit):
        run("catalogue", "add", "nowhere", "--db", db)
