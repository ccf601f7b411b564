"""The indicator's rules: one answer per question, by unit and denominator."""

import math

import pytest

from observatory.domain import ChangeTest, Indicator, IntervalMethod, Measure, Unit
from observatory.i18n import locale_scope, rate_label


def _indicator(
    unit: str, denominator: str | None = None, multiplier: float = 1000, threshold: int = 5
) -> Indicator:
    return Indicator.from_record(
        {
            "code": "x",
            "name": "X",
            "theme": "t",
            "kind": "result",
            "unit": unit,
            "polarity": "lower_is_better",
            "denominator_kind": denominator,
            "multiplier": multiplier,
            "disclosure_threshold": threshold,
        }
    )


@pytest.mark.parametrize(
    ("unit", "additive", "test", "interval"),
    [
        ("count", True, ChangeTest.RATE_RATIO, IntervalMethod.POISSON),
        ("amount", True, ChangeTest.NONE, IntervalMethod.NONE),
        ("percent", False, ChangeTest.PROPORTION, IntervalMethod.WILSON),
        ("rate", False, ChangeTest.NONE, IntervalMethod.NONE),
        ("index", False, ChangeTest.NONE, IntervalMethod.NONE),
    ],
)
def test_each_unit_has_one_answer(unit, additive, test, interval):
    info = _indicator(unit)
    assert info.additive is additive
    assert info.change_test is test
    assert info.interval_method is interval


@pytest.mark.parametrize(
    ("unit", "denominator", "comparable"),
    [
        ("count", None, False),
        ("amount", None, False),
        ("count", "residents", True),
        ("amount", "residents", True),
        ("percent", None, True),
        ("rate", None, True),
        ("index", None, True),
    ],
)
def test_a_plain_sum_is_never_compared_with_the_city(unit, denominator, comparable):
    assert _indicator(unit, denominator).comparable_with_city is comparable


def test_an_amount_is_never_tested_as_a_poisson_count():
    assert _indicator("amount").change_test is ChangeTest.NONE


def test_withheld_counts_hide_at_most_threshold_minus_one():
    assert _indicator("count", threshold=5).withheld_max == 4
    assert _indicator("count", threshold=11).withheld_max == 10
    assert math.isinf(_indicator("amount").withheld_max)


def test_measures_put_the_most_comparable_first():
    assert _indicator("count", "residents").measures() == [Measure.RATE, Measure.COUNT, Measure.BENCHMARK]
    assert _indicator("count").measures() == [Measure.COUNT]
    assert _indicator("percent").measures(has_sample_sizes=True) == [Measure.VALUE, Measure.BENCHMARK]
    assert _indicator("index").measures() == [Measure.VALUE]


@pytest.mark.parametrize(
    ("multiplier", "locale", "expected"),
    [
        (1000, "en", "rate per 1,000 residents"),
        (10000, "en", "rate per 10,000 residents"),
        (100000, "en", "rate per 100,000 residents"),
        (100000, "fr", "taux pour 100\u202f000 habitants"),
        (100000, "pt", "taxa por 100\u00a0000 residentes"),
    ],
)
def test_the_rate_label_says_its_multiplier_and_denominator(multiplier, locale, expected):
    with locale_scope(locale):
        assert rate_label(_indicator("count", "residents", multiplier)) == expected


def test_a_denominator_staff_named_themselves_reads_as_written():
    assert rate_label(_indicator("count", "person_years", 100000)) == "rate per 100,000 person years"


def test_missing_texts_and_numbers_take_their_defaults():
    info = Indicator.from_record({"code": "c", "kind": "context", "unit": "index", "polarity": "neutral"})
    assert (info.name, info.multiplier, info.disclosure_threshold, info.denominator_kind) == (
        "c",
        1000.0,
        5,
        None,
    )
    assert info.unit is Unit.INDEX
