"""The command line while another process (the running app) holds the database file."""

import io
import subprocess
import sys

import pytest

from observatory.cli import main

HOLDER = (
    "import sys, time, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('holding', flush=True)\n"
    "time.sleep(120)\n"
)


def run(*args):
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


@pytest.fixture
def held(tmp_path):
    """A database file held read-write by a second process, as the app holds it while it runs."""
    path = str(tmp_path / "app.duckdb")
    assert run("init", "--db", path)[0] == 0
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield path, holder.pid
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_an_import_while_the_app_holds_the_database_says_what_to_do(held, tmp_path):
    path, pid = held
    file = tmp_path / "obs.csv"
    file.write_bytes(b"indicator,area,period,value\nburglary,01,2024-01,3\n")
    code, text = run("import", "observations", str(file), "--db", path)
    assert code == 2
    assert text == (
        f"The app (process {pid}) is using {path}; import through the Upload page, "
        "or stop the app and run this again.\n"
    )
    assert "Could not set lock" not in text


def test_a_read_while_the_app_holds_the_database_says_plainly_it_cannot(held):
    path, pid = held
    code, text = run("batches", "--db", path)
    assert code == 2
    assert f"The app (process {pid}) is using {path}" in text
    assert "not even to read it" in text and "Import history page" in text
    assert "IO Error" not in text


def test_reads_open_read_only_so_two_can_run_side_by_side(tmp_path):
    path = str(tmp_path / "db.duckdb")
    run("init", "--db", path)
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLDER.replace("sys.argv[1])", "sys.argv[1], read_only=True)"), path],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "holding"
        assert run("batches", "--db", path) == (0, "no batches\n")
    finally:
        reader.kill()
        reader.wait(timeout=10)
