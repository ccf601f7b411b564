from pathlib import Path

import pytest

from observatory.config import SETTINGS, load_settings, setting_names

DOCS = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_every_setting_is_declared_once_and_matches_the_dataclass():
    assert [s.name for s in SETTINGS] == setting_names()


def test_every_setting_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text or f"`{s.env}`" not in text]
    assert missing == []


def test_environment_overrides_default(tmp_path):
    conf = load_settings(
        environ={"OBSERVATORY_DB": str(tmp_path / "x.duckdb")}, secrets_path=tmp_path / "none"
    )
    assert conf.db_path == str(tmp_path / "x.duckdb")


def test_secrets_table_is_read_and_environment_wins(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[observatory]\ncity_name = "Portelva"\nthreads = "3"\n', encoding="utf-8")
    conf = load_settings(environ={"OBSERVATORY_THREADS": "1"}, secrets_path=secrets)
    assert conf.city_name == "Portelva"
    assert conf.threads == 1


def test_explicit_override_wins_over_environment(tmp_path):
    conf = load_settings(
        {"db_path": "a.duckdb"}, environ={"OBSERVATORY_DB": "b.duckdb"}, secrets_path=tmp_path / "n"
    )
    assert conf.db_path == "a.duckdb"


def test_unknown_mode_is_refused(tmp_path):
    with pytest.raises(ValueError, match="OBSERVATORY_MODE"):
        load_settings(environ={"OBSERVATORY_MODE": "open"}, secrets_path=tmp_path / "n")


def test_boolean_setting_parses_words(tmp_path):
    conf = load_settings(environ={"OBSERVATORY_LOAD_DEMO": "no"}, secrets_path=tmp_path / "n")
    assert conf.load_demo is False
