"""Encoding, delimiter and row-shape detection."""

from __future__ import annotations

from observatory.ingest.read import decode, detect_delimiter, read_table


def test_utf8_without_bom_is_utf8() -> None:
    encoding, body, issues = decode("a,b\nSé,1\n".encode())
    assert (encoding, issues) == ("utf-8", [])
    assert body.decode() == "a,b\nSé,1\n"


def test_bom_is_utf8_sig_and_stripped() -> None:
    encoding, body, _ = decode(b"\xef\xbb\xbfa,b\n")
    assert encoding == "utf-8-sig"
    assert body == b"a,b\n"


def test_cp1252_turns_euro_and_quote_into_characters() -> None:
    encoding, body, _ = decode("a,b\n5 €,l’œuvre\n".encode("cp1252"))
    assert encoding == "cp1252"
    assert body.decode() == "a,b\n5 €,l’œuvre\n"


def test_byte_undefined_in_cp1252_is_encoding_error_on_its_row() -> None:
    encoding, _, issues = decode(b"a,b\n1,2\nx\x8d,3\n")
    assert encoding is None
    assert [(i.code, i.row, i.value) for i in issues] == [("encoding-error", 2, "0x8D")]


def test_empty_file_is_source_error() -> None:
    table = read_table(b"")
    assert [(i.code, i.row) for i in table.issues] == [("source-error", 0)]


def test_whitespace_only_file_is_source_error() -> None:
    assert [i.code for i in read_table(b"\r\n \n").issues] == ["source-error"]


def test_comma_delimiter_detected() -> None:
    assert detect_delimiter("a,b,c\n1,2,3\n") == ","


def test_semicolon_delimiter_detected_despite_decimal_commas() -> None:
    assert detect_delimiter("a;b;c\n1,5;2,5;3\n4;5;6\n") == ";"


def test_tab_delimiter_detected() -> None:
    assert detect_delimiter("a\tb\n1\t2\n") == "\t"


def test_delimiter_detection_is_quote_aware() -> None:
    assert detect_delimiter('a;b\n"x;y";2\n"p;q";3\n') == ";"


def test_crlf_line_endings_read() -> None:
    table = read_table(b"a,b\r\n1,2\r\n3,4\r\n")
    assert table.header == ["a", "b"]
    assert table.frame.to_numpy().tolist() == [["1", "2"], ["3", "4"]]


def test_quoted_newline_and_delimiter_kept_in_cell() -> None:
    table = read_table(b'a,b\n"x,\ny",2\n')
    assert table.frame.iloc[0].tolist() == ["x,\ny", "2"]


def test_leading_zeros_and_whitespace() -> None:
    table = read_table(b"a,b\n 007 , x \n")
    assert table.frame.iloc[0].tolist() == ["007", "x"]


def test_row_with_too_many_cells_is_extra_cell_with_row_number() -> None:
    table = read_table(b"a,b\n1,2\n3,4,5\n6,7\n")
    assert [(i.code, i.row) for i in table.issues] == [("extra-cell", 2)]
    assert table.rows.tolist() == [1, 3]


def test_row_with_too_few_cells_is_missing_cell_with_row_number() -> None:
    table = read_table(b"a,b,c\n1,2,3\n4,5,6\n7,8\n")
    assert [(i.code, i.row) for i in table.issues] == [("missing-cell", 3)]
    assert table.rows.tolist() == [1, 2]


def test_carriage_return_line_ends_are_read() -> None:
    raw = read_table(b"indicator,area,period,value\rburglary,01,2024,3\rburglary,02,2024,4\r")
    assert raw.delimiter == ","
    assert raw.header == ["indicator", "area", "period", "value"]
    assert len(raw.frame) == 2 and not raw.issues


def test_utf16_file_is_an_encoding_error_not_missing_columns() -> None:
    raw = read_table(b"\xff\xfe" + "indicator,area\nburglary,01\n".encode("utf-16-le"))
    assert [(i.code, i.row) for i in raw.issues] == [("encoding-error", 0)]
    assert "UTF-16" in raw.issues[0].message


def test_workbook_saved_as_csv_is_a_source_error() -> None:
    for magic in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raw = read_table(magic + bytes(32))
        assert [i.code for i in raw.issues] == ["source-error"]
        assert "workbook" in raw.issues[0].message
