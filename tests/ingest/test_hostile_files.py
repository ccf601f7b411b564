"""Absurd headers and mixed encodings: refused with an issue naming what is wrong, never an exception."""

import io

import pytest

from observatory import cli
from observatory.ingest.read import decode, read_table


def _codes(table):
    return [issue.code for issue in table.issues]


def test_a_header_over_64_kib_is_refused_without_reading_on():
    data = b"indicator,area,period," + b"v" * 70_000 + b"\nburglary,01,2024,3\n"
    table = read_table(data)
    assert _codes(table) == ["header-too-long"]
    assert "70,022 bytes" in table.issues[0].message and table.issues[0].row == 0
    assert table.frame.empty


def test_a_header_with_no_line_end_at_all_is_refused():
    table = read_table(b"x" * 200_000)
    assert _codes(table) == ["header-too-long"]
    assert "no line end" in table.issues[0].message


def test_a_million_columns_is_refused():
    header = ",".join(f"c{i}" for i in range(1_000_000)).encode()
    table = read_table(header + b"\n" + b"1," * 999_999 + b"1\n")
    assert _codes(table) == ["header-too-long"]


def test_more_columns_than_the_setting_allows_is_refused_by_count():
    data = (
        ",".join("a" for _ in range(20_000)) + "\n" + ",".join("1" for _ in range(20_000)) + "\n"
    ).encode()
    table = read_table(data)
    assert _codes(table) == ["too-many-columns"]
    assert "20,000 columns; at most 1,000" in table.issues[0].message


def test_the_column_setting_is_honoured(monkeypatch):
    monkeypatch.setenv("OBSERVATORY_UPLOAD_MAX_COLUMNS", "3")
    assert _codes(read_table(b"indicator,area,period,value\nburglary,01,2024,3\n")) == ["too-many-columns"]
    monkeypatch.setenv("OBSERVATORY_UPLOAD_MAX_COLUMNS", "4")
    assert _codes(read_table(b"indicator,area,period,value\nburglary,01,2024,3\n")) == []


def test_the_header_setting_is_honoured(monkeypatch):
    monkeypatch.setenv("OBSERVATORY_UPLOAD_MAX_HEADER_KIB", "1")
    data = b"indicator,area,period," + b"v" * 1100 + b"\n1,2,3,4\n"
    assert _codes(read_table(data)) == ["header-too-long"]


MIXED = (
    b"indicator,area,period,value\n"
    + "burglary,Sé,2024,3\n".encode()
    + b"burglary,01,2023,4\n"
    + "burglary,Sé,2023,3\n".encode("cp1252")
)


def test_a_file_mixing_utf8_and_windows_1252_is_refused_naming_both_rows():
    encoding, body, issues = decode(MIXED)
    assert encoding is None and body == b""
    assert [i.code for i in issues] == ["mixed-encoding"]
    assert issues[0].row == 3 and issues[0].value == "0xE9"
    assert "row 1 is UTF-8 ('é') but row 3 has byte 0xE9" in issues[0].message


@pytest.mark.parametrize(
    "text",
    ["indicator,area,period,value\nburglary,Sé,2024,3\n", "indicator,area,period,value\nœuvre,Sé,€,’\n"],
)
def test_one_encoding_throughout_is_still_read(text):
    for encoding in ("utf-8", "cp1252", "utf-8-sig"):
        found, body, issues = decode(text.encode(encoding))
        assert issues == [] and body.decode("utf-8") == text
        assert found == encoding


def test_the_command_line_says_it_in_words(tmp_path, demo_file):
    import shutil

    db = shutil.copy(demo_file, tmp_path / "staff.duckdb")
    cases = {
        "long.csv": (b"indicator,area,period," + b"v" * 70_000 + b"\n1,2,3,4\n", "header-too-long"),
        "wide.csv": (",".join(f"c{i}" for i in range(1_000_000)).encode() + b"\n", "header-too-long"),
        "mixed.csv": (MIXED, "mixed-encoding"),
    }
    for name, (data, code) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        out = io.StringIO()
        assert cli.main(["import", "observations", str(path), "--db", str(db), "--dry-run"], out=out) == 1
        assert code in out.getvalue() and "Traceback" not in out.getvalue()
        assert len(out.getvalue()) < 5_000  # the refused header is not echoed back
