"""Import issues in the reader's language: catalogue messages built from each check's key and parameters."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.i18n import catalogue, locale_scope, placeholders
from observatory.ingest import rules
from observatory.present.issues import issue_message
from tests.ingest.test_rules import _sheet


def _said(issue) -> dict[str, str]:
    return dict(issue.params)


def _text(issue, lang: str) -> str:
    with locale_scope(lang):
        return issue_message(issue.message, issue.key, _said(issue))


def _checks():
    sheet = _sheet(value=["1,5"], end=["2024-01-01"], area=["7"])
    yes = pd.Series([True])
    day = pd.Series(pd.to_datetime(["2024-01-01"]))
    return [
        *rules.missing_cells(_sheet(value=[""]), ["value"]),
        *rules.unsafe_codes(_sheet(code=["<b>"]), "code"),
        *(rules.type_errors(sheet, "value", yes, kind)[0] for kind in rules.EXPECTED),
        *rules.ambiguous_decimals(sheet, "value", yes, "."),
        *rules.bad_choices(sheet, "value", yes, ["a", "b"]),
        *rules.unknown_codes(_sheet(area=["99"]), "area", {"01"}, "unknown-area", "area"),
        *rules.unknown_codes(sheet, "area", {"07"}, "unknown-area", "area"),
        *rules.duplicate_keys(_sheet(code=["A", "A"]), _sheet(code=["A", "A"]).text[["code"]], "code"),
        *rules.negative(sheet, "value", pd.Series([-1.0]), yes),
        *rules.not_whole(sheet, "value", pd.Series([1.5]), yes),
        *rules.outside_percent(sheet, "value", pd.Series([120.0]), yes),
        *rules.below(sheet, "value", pd.Series([0.0]), 1),
        *rules.not_positive(sheet, "value", pd.Series([0.0])),
        *rules.not_after(sheet, "end", day, day, "start"),
        *rules.not_after(sheet, "end", day - pd.Timedelta(days=1), day, "start", same_ok=True),
    ]


def test_every_check_has_a_message_in_every_language_with_its_parameters() -> None:
    issues = _checks()
    assert len({i.key for i in issues}) >= 18
    for issue in issues:
        name = f"ingest.{issue.key}"
        for lang in ("en", "pt", "fr"):
            assert name in catalogue(lang), (lang, name)
            assert placeholders(catalogue(lang)[name]) <= set(_said(issue)), (lang, name)
            text = _text(issue, lang)
            assert "{" not in text and issue.value in text, (lang, name, text)


def test_a_message_says_the_value_and_the_check_s_words_in_the_reader_s_language() -> None:
    sheet = _sheet(value=["1,5"])
    (issue,) = rules.ambiguous_decimals(sheet, "value", pd.Series([True]), ".")
    assert (
        _text(issue, "en") == "“1,5” does not use the file’s decimal separator “.”; write it like the others"
    )
    assert _text(issue, "fr").startswith("« 1,5 » n’utilise pas le séparateur décimal du fichier « . »")
    assert _text(issue, "pt").startswith("«1,5» não usa o separador decimal")


@pytest.mark.parametrize("key", [None, "", "no_such_check"])
def test_an_issue_without_a_catalogue_message_keeps_its_english_words(key) -> None:
    with locale_scope("fr"):
        assert issue_message("'x' is odd", key, {"value": "x"}) == "'x' is odd"
