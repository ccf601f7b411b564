"""AppTest of the published formats on the upload page: SSMSI, police.uk with a mapping, wide tables."""

import pandas as pd
import pytest

from observatory.domain import SourceFormat
from observatory.services import mappings
from observatory.store import connect, queries
from tests.app.helpers import start

PAGE = "pages/upload.py"
# The ministry's dialect: UTF-8 with BOM, ";" between fields, text quoted, decimal comma, years "23".
SSMSI = (
    "\ufeff"
    '"CODGEO_2024";"annee";"classe";"unité.de.compte";"valeur.publiée";"faits";"tauxpourmille";'
    '"complementinfoval";"complementinfotaux";"POP";"millPOP";"LOG";"millLOG"\n'
    '"01";"23";"Cambriolages de logement";"Infraction";"diff";12;1,4;NA;NA;"8512";"23";4127,5;"23"\n'
    '"02";"23";"Cambriolages de logement";"Infraction";"ndiff";NA;NA;3,2;0,4;"7734";"23";3920,5;"23"\n'
    '"75056";"23";"Cambriolages de logement";"Infraction";"diff";9815;4,5;NA;NA;"2133111";"23";1,2;"23"\n'
    '"69123";"23";"Cambriolages de logement";"Infraction";"diff";4210;7,4;NA;NA;"522250";"23";1,2;"23"\n'
).encode("utf-8")
# A point inside demo district 01, and one inside 02.
IN_01, IN_02 = "-8.59019,41.14033", "-8.57758,41.13727"
POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)


def _crime(month, point, crime_type):
    return f"x,{month},Force,Force,{point},On or near Street,E01,Area 1,{crime_type},Under investigation,\n"


POLICE = (
    POLICE_HEADER
    + _crime("2031-01", IN_01, "Bicycle theft")
    + _crime("2031-01", IN_01, "Bicycle theft")
    + _crime("2031-01", IN_02, "Burglary")
).encode()
POLICE_FEB = (POLICE_HEADER + _crime("2031-02", IN_02, "Bicycle theft")).encode()


def _upload(at, name, data, kind=None):
    if kind is not None:
        at.selectbox(key="upload-kind").select(kind).run()
    at.file_uploader(key="upload-file").upload(name, data, "text/csv").run()
    return at


def _frame(at, column):
    for table in at.dataframe:
        if column in table.value.columns:
            return table.value
    raise AssertionError(f"no table with {column!r}")


def _stored(path, indicator, area=None):
    store = connect(path)
    try:
        frame = queries.table_contents(store, "observations")
    finally:
        store.close()
    frame = frame[frame["indicator_code"] == indicator]
    return frame if area is None else frame[frame["area_code"] == area]


def _open(path, fn):
    store = connect(path)
    try:
        return fn(store)
    finally:
        store.close()


@pytest.fixture
def editor(demo_app, buttons):
    return start(PAGE, role="editor")


def test_ssmsi_file_is_recognised_checked_committed_and_listed_in_the_history(editor, demo_app):
    _upload(editor, "delinquance.csv", SSMSI)
    assert not editor.exception
    assert any("recognised as: SSMSI communal file (France)" in i.value for i in editor.info)
    assert editor.toggle(key="upload-ssmsi-ours").value is True
    editor.toggle(key="upload-ssmsi-create").set_value(True).run()
    ignored = _frame(editor, "Reason")
    assert ignored.values.tolist() == [["Commune not one of our areas", "2"]]
    created = _frame(editor, "status")
    assert created[["area_code", "status"]].values.tolist() == [["01", "ok"], ["02", "not_published"]]
    assert pd.isna(created.loc[created["area_code"] == "02", "value"].iloc[0])  # withheld, never 0
    editor.button(key="upload-commit").click().run()
    assert not editor.exception
    stored = _stored(demo_app, "cambriolages_de_logement").sort_values("area_code")
    assert stored["status"].tolist() == ["ok", "not_published"]
    assert stored["value"].iloc[0] == 12.0
    history = start("pages/history.py", role="editor")
    listed = next(t.value for t in history.dataframe if "SHA-256" in t.value.columns)
    assert listed.iloc[0]["File"] == "delinquance.csv"


def test_ssmsi_options_are_shown_only_for_ssmsi(editor):
    _upload(editor, "obs.csv", b"indicator,area,period,value\nburglary,01,2031-01,4\n")
    assert not [t for t in editor.toggle if t.key.startswith("upload-ssmsi")]


def test_ssmsi_other_communes_are_errors_when_keep_only_ours_is_off(editor, demo_app):
    _upload(editor, "delinquance.csv", SSMSI)
    editor.toggle(key="upload-ssmsi-create").set_value(False)  # no rate checks: the classes are not followed
    editor.toggle(key="upload-ssmsi-ours").set_value(False).run()
    issues = _frame(editor, "Code")
    assert sorted(zip(issues["Code"], issues["Value"], strict=True)) == [
        ("unknown-area", "69123"),
        ("unknown-area", "75056"),
    ]
    assert not [b for b in editor.button if b.key == "upload-commit"]


def test_police_uk_category_mapped_in_the_editor_is_counted_and_remembered(editor, demo_app):
    _upload(editor, "2031-01-street.csv", POLICE)
    assert any("police.uk street-level crime" in i.value for i in editor.info)
    bikes = editor.selectbox(key="upload-map-Bicycle theft")
    assert bikes.value == ""  # no indicator is named like it: not followed until chosen
    assert editor.selectbox(key="upload-map-Burglary").value == "burglary"
    bikes.select("vehicle_theft").run()
    assert any(c.value == "No row was ignored." for c in editor.caption)
    editor.button(key="upload-commit").click().run()
    assert not editor.exception
    counted = _stored(demo_app, "vehicle_theft", "01")
    assert counted.loc[counted["period_start"] == pd.Timestamp("2031-01-01"), "value"].tolist() == [2.0]
    remembered = _open(demo_app, lambda s: mappings.remembered_mapping(s, SourceFormat.POLICE_UK))
    assert remembered["Bicycle theft"] == "vehicle_theft"
    again = start(PAGE, role="editor")  # a new session: the choice comes from the store, not the widget
    _upload(again, "2031-02-street.csv", POLICE_FEB)
    assert again.selectbox(key="upload-map-Bicycle theft").value == "vehicle_theft"


def test_police_uk_unmapped_category_is_listed_as_ignored(editor):
    _upload(editor, "2031-01-street.csv", POLICE)
    reasons = _frame(editor, "Reason")
    assert reasons.values.tolist() == [["Category not followed: Bicycle theft", "2"]]


def test_police_uk_anti_social_behaviour_in_a_crime_indicator_shows_the_refusal(editor, demo_app):
    data = (POLICE_HEADER + _crime("2031-01", IN_01, "Anti-social behaviour")).encode()
    _upload(editor, "asb.csv", data)
    editor.selectbox(key="upload-map-Anti-social behaviour").select("vandalism").run()
    assert "not crime" in editor.error[0].value
    assert not [b for b in editor.button if b.key == "upload-commit"]
    assert _stored(demo_app, "vandalism", "01").query("period_start == '2031-01-01'").empty


def test_several_police_uk_months_are_imported_as_one_batch(editor, demo_app):
    editor.selectbox(key="upload-kind").select("police_uk").run()
    assert any("one batch" in c.value for c in editor.caption)
    files = [("jan.csv", POLICE, "text/csv"), ("feb.csv", POLICE_FEB, "text/csv")]
    editor.file_uploader(key="upload-files").set_value(files).run()
    editor.selectbox(key="upload-map-Bicycle theft").select("vehicle_theft").run()
    editor.button(key="upload-commit").click().run()
    assert not editor.exception
    batches = _open(demo_app, queries.batches)
    assert (batches.iloc[0]["filename"], batches.iloc[0]["state"]) == ("jan.csv + feb.csv", "committed")
    counted = _stored(demo_app, "vehicle_theft", "02").set_index("period_start")["value"]
    assert (counted[pd.Timestamp("2031-01-01")], counted[pd.Timestamp("2031-02-01")]) == (0.0, 1.0)


def test_wide_table_with_the_layout_chosen_by_hand(editor, demo_app):
    data = b"area,period,burglary,robbery\n01,2031,5,2\n02,2031,ndiff,1\n"
    _upload(editor, "wide.csv", data, kind="wide")
    layout = editor.radio(key="upload-wide-layout")
    assert layout.value == "indicators"  # recognised from the header, offered as the first choice
    layout.set_value("periods").run()
    assert editor.error  # read as periods across, the header does not fit
    editor.radio(key="upload-wide-layout").set_value("indicators").run()
    assert any("is valid" in s.value for s in editor.success)
    editor.button(key="upload-commit").click().run()
    robbery = _stored(demo_app, "robbery", "01")
    assert robbery.loc[robbery["period_start"] == pd.Timestamp("2031-01-01"), "value"].tolist() == [2.0]
    withheld = _stored(demo_app, "burglary", "02")
    assert withheld.loc[withheld["period_start"] == pd.Timestamp("2031-01-01"), "status"].tolist() == [
        "not_published"
    ]


def test_page_names_the_formats_in_french(demo_app, buttons):
    at = start(PAGE, role="editor", query={"lang": "fr"})
    _upload(at, "delinquance.csv", SSMSI)
    assert any("Base communale du SSMSI" in i.value for i in at.info)
    assert at.toggle(key="upload-ssmsi-ours").label == "Ne garder que nos communes"


# A police export: coordinates inside our districts 01 and 02, and the police's own District 07 on
# every row (which happens to be one of our codes); Chicago's column names and US dates.
CHICAGO = (
    "Date,Primary Type,Latitude,Longitude,District\n"
    f"01/05/2031 10:00:00 PM,BURGLARY,{IN_01.split(',')[1]},{IN_01.split(',')[0]},07\n"
    f"01/06/2031 11:00:00 AM,BURGLARY,{IN_02.split(',')[1]},{IN_02.split(',')[0]},07\n"
).encode()


def test_incident_list_with_coordinates_and_district_asks_then_stores_the_chosen_way(editor, demo_app):
    _upload(editor, "chicago.csv", CHICAGO, kind="incidents")
    assert not editor.exception
    editor.selectbox(key="upload-incidents-category").select("Primary Type").run()
    place = editor.selectbox(key="upload-incidents-place")
    labels = place.options
    assert "Coordinates: 2 rows placed in 2 area(s) (0 outside our districts)" in labels
    assert "Column “District”: 2 rows match our area codes in 1 area(s), 0 do not" in labels
    compared = _frame(editor, "Area")
    assert compared.values.tolist() == [["01", "1", "0"], ["02", "1", "0"], ["07", "0", "2"]]
    assert list(compared.columns) == ["Area", "Coordinates", "District"]
    issues = _frame(editor, "Code")
    assert issues["Code"].tolist() == ["area-ambiguous"]
    assert not [b for b in editor.button if b.key == "upload-commit"]
    editor.selectbox(key="upload-map-BURGLARY").select("burglary").run()
    editor.selectbox(key="upload-incidents-place").select("coordinates").run()
    assert not editor.error, [e.value for e in editor.error]
    editor.button(key="upload-commit").click().run()
    assert not editor.exception
    stored = _stored(demo_app, "burglary")
    january = stored[stored["period_start"] == pd.Timestamp("2031-01-01")].set_index("area_code")["value"]
    assert (january["01"], january["02"], january["07"]) == (1.0, 1.0, 0.0)


def test_ssmsi_creates_missing_indicators_by_default_and_says_why_nothing_is_stored_without(editor):
    _upload(editor, "delinquance.csv", SSMSI)
    assert editor.toggle(key="upload-ssmsi-create").value is True
    assert [b for b in editor.button if b.key == "upload-commit"]
    assert not editor.warning
    editor.toggle(key="upload-ssmsi-create").set_value(False).run()
    assert [w.value for w in editor.warning] == [
        "delinquance.csv: no row would be stored: none of the 1 classes has an indicator and "
        "“Create missing indicators” is off."
    ]
