"""The size budgets of an upload: each file and all the files of one upload, checked before reading."""

import pytest

from observatory.domain import ImportRejected
from observatory.services.uploads import UploadTooLarge, check_sizes

MB = 1_000_000


def _check(files):
    check_sizes(files, max_file_bytes=100 * MB, max_request_bytes=200 * MB)


def test_files_within_both_budgets_pass():
    _check([("jan.csv", 60 * MB), ("feb.csv", 60 * MB), ("mar.csv", 60 * MB)])
    _check([("one.csv", 100 * MB)])


def test_a_190_mb_file_is_refused_by_name():
    with pytest.raises(UploadTooLarge) as raised:
        _check([("big.csv", 190 * MB)])
    assert (raised.value.filename, raised.value.count, raised.value.limit) == ("big.csv", 1, 100 * MB)
    assert "big.csv is 190.0 MB, over the budget of 100 MB" in str(raised.value)
    assert isinstance(raised.value, ImportRejected)


def test_three_police_uk_months_over_the_total_are_refused_together():
    with pytest.raises(UploadTooLarge) as raised:
        _check([("jan.csv", 99 * MB), ("feb.csv", 99 * MB), ("mar.csv", 99 * MB)])
    assert (raised.value.count, raised.value.size) == (3, 297 * MB)
    assert "the 3 files are together 297.0 MB, over the budget of 200 MB" in str(raised.value)


def test_the_first_file_over_its_own_budget_is_named_before_the_total():
    with pytest.raises(UploadTooLarge) as raised:
        _check([("jan.csv", 10 * MB), ("feb.csv", 199 * MB), ("mar.csv", 199 * MB)])
    assert raised.value.filename == "feb.csv" and raised.value.count == 1
