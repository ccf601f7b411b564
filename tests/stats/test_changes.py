"""The one change test: the indicator's own, over exact or bounded figures."""

import math

import pytest

from observatory.domain import Indicator
from observatory.stats import compare
from observatory.stats.changes import Figure, change


def _info(unit, denominator=None):
    return Indicator.from_record(
        {
            "code": "x",
            "kind": "result",
            "unit": unit,
            "polarity": "lower_is_better",
            "denominator_kind": denominator,
        }
    )


def test_counts_use_the_rate_ratio():
    got = change(_info("count"), Figure.exact(100), Figure.exact(160))
    expected = compare.rate_ratio(100, 160)
    assert (got.estimate, got.lower, got.upper, got.significant) == pytest.approx(
        (expected.estimate, expected.lower, expected.upper, expected.significant)
    )


def test_counts_with_a_denominator_use_the_rates():
    got = change(
        _info("count", "residents"), Figure.exact(100, denominator=1000), Figure.exact(100, denominator=2000)
    )
    assert got.estimate == pytest.approx(0.5)
    assert got.significant


def test_an_amount_is_a_plain_difference_never_beyond_chance():
    got = change(_info("amount"), Figure.exact(100), Figure.exact(160))
    assert got.estimate == 60
    assert not got.tested and not got.significant
    assert compare.verdict(got, "lower_is_better") == "not_tested"


def test_an_index_is_not_tested_either():
    assert (
        compare.verdict(change(_info("index"), Figure.exact(1), Figure.exact(9)), "neutral") == "not_tested"
    )


def test_survey_shares_use_the_difference_of_proportions():
    got = change(_info("percent"), Figure.exact(20, sample_size=1000), Figure.exact(30, sample_size=1000))
    assert got.measure is compare.Measure.DIFFERENCE
    assert got.estimate == pytest.approx(10)
    assert got.significant


def test_a_bounded_change_is_beyond_chance_only_at_both_ends():
    clear = change(_info("count"), Figure(1000, 1010), Figure(1500, 1510))
    assert clear.significant and clear.direction is compare.Direction.UP
    unclear = change(_info("count"), Figure(100, 140), Figure(120, 160))
    assert not unclear.significant
    exact_only = change(_info("count"), Figure.exact(100), Figure.exact(160))
    wide = change(_info("count"), Figure(100, 100), Figure(140, 180))
    assert wide.lower <= exact_only.lower or not wide.significant


def test_an_unbounded_figure_cannot_be_compared():
    got = change(_info("count"), Figure(100, math.inf), Figure.exact(160))
    assert compare.verdict(got, "lower_is_better") == "not_computable"
