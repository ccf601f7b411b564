"""Tests of observatory.i18n: catalogues complete and consistent, fallbacks, locale formats, isolation."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from observatory import i18n
from observatory.domain import Polarity

NNBSP = "\u202f"  # narrow no-break space: Babel's (CLDR's) French thousands separator
NBSP = "\u00a0"  # no-break space: Babel's (CLDR's) Portuguese (Portugal) thousands separator


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Each test starts and ends in English, whatever the previous test set."""
    i18n.set_locale("en")
    yield
    i18n.set_locale("en")


def _write_po(root: Path, code: str, entries: dict[str, str]) -> None:
    body = "".join(f'msgid "{key}"\nmsgstr "{text}"\n\n' for key, text in entries.items())
    path = root / code / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n{body}', "utf-8")


# --- catalogues -------------------------------------------------------------------------------------


def test_english_catalogue_has_the_seed_keys() -> None:
    keys = set(i18n.catalogue("en"))
    assert len(keys) >= 120
    for key in ("app.title", "nav.overview", "change.up", "issue.crs-missing", "footnote.published_on"):
        assert key in keys


def test_every_english_key_is_translated_in_pt_and_fr() -> None:
    assert i18n.missing_keys() == {"pt": set(), "fr": set()}


def test_no_translation_is_empty_or_left_in_english_for_long_texts() -> None:
    english = i18n.catalogue("en")
    for code in ("pt", "fr"):
        other = i18n.catalogue(code)
        # Words left in English; a pure format such as "{label}: {value}" holds none to translate.
        copied = {
            k
            for k, v in english.items()
            if len(v) > 12 and other[k] == v and re.search(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", v))
        }
        assert not copied, f"{code} keeps English text for {sorted(copied)}"


def test_placeholders_are_identical_across_locales() -> None:
    english = i18n.catalogue("en")
    for code in ("pt", "fr"):
        other = i18n.catalogue(code)
        for key, text in english.items():
            assert i18n.placeholders(other[key]) == i18n.placeholders(text), (code, key)


def test_missing_keys_detects_an_injected_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_po(tmp_path, "en", {"a.one": "One", "a.two": "Two", "a.three": "Three"})
    _write_po(tmp_path, "pt", {"a.one": "Um", "a.two": "Dois"})
    _write_po(tmp_path, "fr", {"a.one": "Un", "a.two": "", "a.three": "Trois"})
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    assert i18n.missing_keys() == {"pt": {"a.three"}, "fr": {"a.two"}}


def test_missing_keys_detects_a_key_removed_from_the_real_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for code in i18n.LOCALES:
        source = i18n.LOCALES_DIR / code / "LC_MESSAGES" / "messages.po"
        target = tmp_path / code / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        text = source.read_text("utf-8")
        if code == "fr":
            text = text.replace('msgid "nav.map"\nmsgstr "Carte"', "")
        target.write_text(text, "utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    assert i18n.missing_keys() == {"pt": set(), "fr": {"nav.map"}}


def test_missing_catalogue_file_counts_every_key_as_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_po(tmp_path, "en", {"a.one": "One"})
    _write_po(tmp_path, "pt", {"a.one": "Um"})
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    assert i18n.missing_keys() == {"pt": set(), "fr": {"a.one"}}


# --- t ----------------------------------------------------------------------------------------------


def test_t_translates_into_the_current_locale() -> None:
    i18n.set_locale("fr")
    assert i18n.t("nav.map") == "Carte"
    i18n.set_locale("pt")
    assert i18n.t("nav.map") == "Mapa"


def test_t_fills_placeholders() -> None:
    assert i18n.t("footnote.denominator", kind="residents", year=2023) == "Denominator: residents, 2023"


def test_t_falls_back_to_english_when_locale_lacks_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_po(tmp_path, "en", {"a.one": "One", "a.two": "Two"})
    _write_po(tmp_path, "fr", {"a.one": "Un"})
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.set_locale("fr")
    assert i18n.t("a.one") == "Un"
    assert i18n.t("a.two") == "Two"


def test_t_falls_back_to_the_key_itself() -> None:
    i18n.set_locale("pt")
    assert i18n.t("no.such.key") == "no.such.key"


def test_t_with_a_missing_placeholder_value_returns_the_template() -> None:
    assert i18n.t("change.up") == "up {pct} — beyond chance"
    assert i18n.t("change.up", other=1) == "up {pct} — beyond chance"


def test_set_locale_rejects_unknown_code() -> None:
    with pytest.raises(ValueError, match="unsupported locale"):
        i18n.set_locale("de")


def test_enum_label_uses_the_enum_prefix() -> None:
    i18n.set_locale("fr")
    assert i18n.enum_label(Polarity.LOWER_IS_BETTER) == "plus bas, c'est mieux"


def test_set_locale_in_one_thread_does_not_leak_to_another() -> None:
    seen: dict[str, str] = {}
    french_set = threading.Event()
    checked = threading.Event()

    def french() -> None:
        i18n.set_locale("fr")
        french_set.set()
        checked.wait(timeout=5)
        seen["french"] = i18n.get_locale()

    def other() -> None:
        french_set.wait(timeout=5)
        seen["other"] = i18n.get_locale()
        seen["other_text"] = i18n.t("nav.map")
        checked.set()

    threads = [threading.Thread(target=french), threading.Thread(target=other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert seen == {"french": "fr", "other": "en", "other_text": "Map"}
    assert i18n.get_locale() == "en"


# --- numbers ----------------------------------------------------------------------------------------


def test_format_number_english() -> None:
    assert i18n.format_number(1234.5, decimals=1) == "1,234.5"


def test_format_number_french_uses_narrow_no_break_space() -> None:
    i18n.set_locale("fr")
    assert i18n.format_number(1234.5, decimals=1) == f"1{NNBSP}234,5"


def test_format_number_portuguese_follows_babel_pt_pt() -> None:
    # Babel 2.18 groups four-digit numbers for pt_PT with a no-break space (it does not apply CLDR's
    # minimum grouping digits of 2), so 1234.5 is "1 234,5" with U+00A0, not "1234,5".
    i18n.set_locale("pt")
    assert i18n.format_number(1234.5, decimals=1) == f"1{NBSP}234,5"


def test_format_number_rounds_to_the_requested_decimals() -> None:
    assert i18n.format_number(2.0, decimals=2) == "2.00"
    assert i18n.format_number(1234.56) == "1,235"


def test_format_number_nan_and_none_give_a_dash() -> None:
    assert i18n.format_number(float("nan")) == "–"
    assert i18n.format_number(None) == "–"


def test_format_percent_english_and_french() -> None:
    assert i18n.format_percent(12.5) == "12.5%"
    i18n.set_locale("fr")
    assert i18n.format_percent(12.5) == f"12,5{NBSP}%"


def test_format_percent_nan_gives_a_dash() -> None:
    assert i18n.format_percent(float("nan")) == "–"


# --- dates and periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"), [("en", "July 2024"), ("pt", "julho de 2024"), ("fr", "juillet 2024")]
)
def test_format_month(code: str, expected: str) -> None:
    i18n.set_locale(code)
    assert i18n.format_month(date(2024, 7, 1)) == expected


@pytest.mark.parametrize(
    ("code", "expected"), [("en", "1 July 2024"), ("pt", "1 de julho de 2024"), ("fr", "1 juillet 2024")]
)
def test_format_date(code: str, expected: str) -> None:
    i18n.set_locale(code)
    assert i18n.format_date(date(2024, 7, 1)) == expected


def test_format_date_accepts_iso_text() -> None:
    assert i18n.format_date("2024-07-01") == "1 July 2024"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "2 Mar 2026, 09:05:07"), ("pt", "02/03/2026, 09:05:07"), ("fr", "2 mars 2026, 09:05:07")],
)
def test_format_datetime_keeps_the_time_as_given(code: str, expected: str) -> None:
    i18n.set_locale(code)
    assert i18n.format_datetime(datetime(2026, 3, 2, 9, 5, 7)) == expected


@pytest.mark.parametrize(
    ("code", "label", "expected"),
    [
        ("en", "2024", "2024"),
        ("en", "2024-Q3", "Q3 2024"),
        ("pt", "2024-Q3", "T3 2024"),
        ("fr", "2024-Q3", "T3 2024"),
        ("en", "2024-07", "July 2024"),
        ("fr", "2024-07", "juillet 2024"),
    ],
)
def test_format_period(code: str, label: str, expected: str) -> None:
    i18n.set_locale(code)
    assert i18n.format_period(label) == expected


def test_format_period_leaves_other_text_unchanged() -> None:
    assert i18n.format_period("rolling 12 months") == "rolling 12 months"
