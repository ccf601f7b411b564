"""Indicator names, themes and descriptions in the reader's language, imported through the indicators file."""

import io
import shutil
import zipfile

import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, Role, translation_columns
from observatory.services import imports, open_data, publish, starters, views
from observatory.services.starter_data import POLICE_UK
from observatory.store import connect, open_snapshot, queries

EDITOR = Actor("rita", Role.EDITOR)
ADMIN = Actor("ana", Role.ADMIN)
HEADER = "code,name,theme,kind,unit,polarity,denominator,multiplier,threshold,description,source"
ROW = (
    "burglary,Burglary of dwellings,property crime,result,count,lower_is_better,dwellings,1000,5,Homes,Police"
)
WITH_LANGUAGES = (
    f"{HEADER},name_pt,name_fr,theme_pt,description_fr\n"
    f"{ROW},Assaltos a residências,Cambriolages,crimes contra o património,Logements cambriolés\n"
    "violence,Violence against persons,violence,result,count,lower_is_better,residents,1000,5,,Police,,,,\n"
).encode()


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
    yield opened
    opened.close()


def _row(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("code").loc[code]


def test_an_indicators_file_with_name_pt_and_name_fr_columns_stores_each_language(store):
    report = imports.import_table(
        store, ImportKind.INDICATORS, WITH_LANGUAGES, "indicators.csv", actor=EDITOR
    )
    assert report.ok, report.issues
    stored = _row(queries.indicators(store), "burglary")
    assert (stored["name_pt"], stored["name_fr"]) == ("Assaltos a residências", "Cambriolages")
    assert (
        stored["theme_pt"] == "crimes contra o património"
        and stored["description_fr"] == "Logements cambriolés"
    )
    assert pd.isna(stored["name_en"]) and pd.isna(stored["theme_fr"])
    violence = _row(queries.indicators(store), "violence")
    assert all(pd.isna(violence[name]) for name in translation_columns())  # blank cells are no version


def test_readers_get_their_language_and_the_marked_original_where_none_is_given(store):
    imports.import_table(store, ImportKind.INDICATORS, WITH_LANGUAGES, "indicators.csv", actor=EDITOR)
    pt = views.catalogue(store, locale="pt")
    assert _row(pt, "burglary")["name"] == "Assaltos a residências"
    assert _row(pt, "burglary")["theme"] == "crimes contra o património"
    assert _row(pt, "burglary")["description"] == "Homes [en]"  # no Portuguese description: marked
    assert _row(pt, "violence")["name"] == "Violence against persons [en]"
    fr = views.catalogue(store, locale="fr")
    assert (
        _row(fr, "burglary")["name"] == "Cambriolages"
        and _row(fr, "burglary")["theme"] == "property crime [en]"
    )
    en = views.catalogue(store, locale="en")
    assert _row(en, "burglary")["name"] == "Burglary of dwellings"  # the original's own language: unmarked
    assert _row(pt, "burglary")["name_original"] == "Burglary of dwellings"


def test_the_indicator_value_carries_the_readers_name(store):
    from observatory.i18n import locale_scope

    imports.import_table(store, ImportKind.INDICATORS, WITH_LANGUAGES, "indicators.csv", actor=EDITOR)
    with locale_scope("pt"):
        assert views.indicator(store, "burglary").name == "Assaltos a residências"
        assert views.indicator(store, "violence").name == "Violence against persons [en]"
    with locale_scope("en"):
        assert views.indicator(store, "burglary").name == "Burglary of dwellings"


def test_a_file_without_language_columns_still_imports_and_has_no_versions(store):
    data = f"{HEADER}\n{ROW}\n".encode()
    report = imports.import_table(store, ImportKind.INDICATORS, data, "indicators.csv", actor=EDITOR)
    assert report.ok, report.issues
    stored = _row(queries.indicators(store), "burglary")
    assert all(pd.isna(stored[name]) for name in translation_columns())
    assert _row(views.catalogue(store, locale="fr"), "burglary")["name"] == "Burglary of dwellings [en]"


def test_the_same_file_again_changes_nothing_and_a_rollback_restores_the_versions(store):
    first = imports.import_table(store, ImportKind.INDICATORS, WITH_LANGUAGES, "a.csv", actor=EDITOR)
    again = imports.import_table(store, ImportKind.INDICATORS, WITH_LANGUAGES, "b.csv", actor=EDITOR)
    assert first.ok and again.ok and again.updated == 0 and again.created == 0
    changed = WITH_LANGUAGES.replace(b"Cambriolages", b"Vols dans les logements")
    third = imports.import_table(store, ImportKind.INDICATORS, changed, "c.csv", actor=EDITOR)
    assert third.updated == 1
    assert _row(queries.indicators(store), "burglary")["name_fr"] == "Vols dans les logements"
    imports.rollback(store, third.batch_id, actor=ADMIN)
    assert _row(queries.indicators(store), "burglary")["name_fr"] == "Cambriolages"


def test_starter_catalogues_ship_all_three_languages(tmp_path):
    store = connect(tmp_path / "empty.duckdb")
    try:
        result = starters.add(store, "police_uk", actor=EDITOR, locale="en")
        assert result.report.ok
        stored = queries.indicators(store)
    finally:
        store.close()
    for starter in POLICE_UK.indicators:
        row = _row(stored, starter.code)
        assert (row["name_en"], row["name_pt"], row["name_fr"]) == starter.names
        assert row["name"] == starter.names[0]
        assert row["theme_pt"] and row["theme_fr"] and row["description_fr"] is not None


def test_the_release_and_its_open_data_carry_the_versions(store, tmp_path):
    imports.import_table(store, ImportKind.INDICATORS, WITH_LANGUAGES, "indicators.csv", actor=EDITOR)
    release = publish.publish(
        store, actor=ADMIN, snapshot_path=tmp_path / "public.duckdb", now=pd.Timestamp(2026, 3, 1)
    )
    published = open_snapshot(release.path)
    try:
        assert _row(views.catalogue(published, locale="pt"), "burglary")["name"] == "Assaltos a residências"
    finally:
        published.close()
    with zipfile.ZipFile(open_data.package_path(release.path)) as archive:
        indicators = pd.read_csv(io.BytesIO(archive.read("data/indicators.csv")))
    assert _row(indicators, "burglary")["name_pt"] == "Assaltos a residências"
