"""CSV downloads are safe to open in a spreadsheet: formula-like text cells are neutralised."""

import io

import numpy as np
import pandas as pd
import pytest

from observatory.ui.components import csv_bytes, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-2+3", "@SUM(A1:A9)", "\tcmd", "\rcmd"])
def test_formula_start_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["burglary", "", " =1", "a=b", "'=already"])
def test_plain_text_is_left_alone(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-3, -2.5, 0, None, np.nan])
def test_numbers_and_blanks_are_left_alone(value):
    assert neutralise(value) is value


def test_csv_neutralises_text_cells_and_keeps_negative_numbers():
    frame = pd.DataFrame({"message": ["=HYPERLINK(x)", "fine"], "change": [-3, 4]})
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)))
    assert back["message"].tolist() == ["'=HYPERLINK(x)", "fine"]
    assert back["change"].tolist() == [-3, 4]


def test_csv_neutralises_text_in_pandas_string_columns():
    frame = pd.DataFrame({"value": pd.array(["-1+1", None], dtype="string"), "row": [1, 2]})
    assert csv_bytes(frame).decode().splitlines() == ["value,row", "'-1+1,1", ",2"]


def test_csv_neutralises_a_header_written_by_the_uploader():
    frame = pd.DataFrame({"=cmd": [1]})
    assert csv_bytes(frame).decode().splitlines()[0] == "'=cmd"


def test_csv_of_an_empty_table_is_its_header():
    assert csv_bytes(pd.DataFrame(columns=["row", "message"])).decode() == "row,message\n"
