"""Published-format imports end to end: counts, ignored rows, remembered mappings, dry run, rollback."""

import shutil

import pytest

from observatory.domain import Actor, ImportKind, PermissionDenied, Role, SourceFormat, WideLayout
from observatory.services import formats
from observatory.store import connect, queries
from tests.services.test_imports import everything

EDITOR = Actor("rita", Role.EDITOR)
# Representative points of demo districts 01, 02 and 03, and a point far outside the city.
IN_01, IN_02, IN_03, OUTSIDE = (-8.59019, 41.14033), (-8.57758, 41.13727), (-8.60765, 41.14335), (-1.55, 53.8)
POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)


def _crime(month, point, crime_type, crime_id="x1"):
    lon, lat = ("", "") if point is None else point
    place = f"{lon},{lat},On or near Street,E01,Area 1"
    return f"{crime_id},{month},Force,Force,{place},{crime_type},Under investigation,\n"


POLICE = (
    POLICE_HEADER
    + _crime("2030-01", IN_01, "Burglary")
    + _crime("2030-01", IN_01, "Burglary")
    + _crime("2030-01", IN_02, "Robbery")
    + _crime("2030-01", IN_03, "Anti-social behaviour", "")
    + _crime("2030-01", None, "Burglary")
    + _crime("2030-01", OUTSIDE, "Burglary")
    + _crime("2030-01", IN_01, "Bicycle theft")
).encode()

SSMSI = (
    "CODGEO_2024;annee;classe;unité.de.compte;valeur.publiée;faits;tauxpourmille;complementinfoval;"
    "complementinfotaux;POP;millPOP;LOG;millLOG\n"
    "01;30;Cambriolages de logement;Infraction;diff;12;1,2;NA;NA;10000;16;5000;16\n"
    "01;31;Cambriolages de logement;Infraction;ndiff;NA;NA;3,2;0,3;10000;16;5000;16\n"
    "75056;30;Cambriolages de logement;Infraction;diff;7000;1,2;NA;NA;10000;16;5000;16\n"
    "02;30;Vols de véhicules;Véhicule;diff;4;0,4;NA;NA;10000;16;5000;16\n"
).encode()


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def _value(store, indicator, area, start):
    return store.rows(
        "SELECT value, status FROM observations WHERE indicator_code = ? AND area_code = ? "
        "AND period_start = ?::DATE",
        [indicator, area, start],
    )


def test_police_uk_counts_crimes_per_district_and_month_with_zeros(store):
    report = formats.import_police_uk(store, POLICE, "leeds.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    assert _value(store, "burglary", "01", "2030-01-01") == [(2.0, "ok")]
    assert _value(store, "robbery", "02", "2030-01-01") == [(1.0, "ok")]
    assert _value(store, "burglary", "02", "2030-01-01") == [(0.0, "ok")]
    assert report.created == 2 * 20  # burglary and robbery, 20 districts, one month


def test_police_uk_report_counts_ignored_rows_by_reason(store):
    report = formats.import_police_uk(store, POLICE, "leeds.csv", actor=EDITOR, dry_run=True)
    assert (report.rows_read, report.ignored) == (7, 4)
    assert report.ignored_reasons == {
        "category not followed: Anti-social behaviour": 1,
        "category not followed: Bicycle theft": 1,
        "no location": 1,
        "outside our districts": 1,
    }
    assert report.source_format == "police_uk"


def test_police_uk_mapping_is_remembered_for_the_next_file(store):
    mapping = {"Bicycle theft": "vehicle_theft", "Anti-social behaviour": None}
    formats.import_police_uk(store, POLICE, "leeds.csv", actor=EDITOR, mapping=mapping)
    assert formats.remembered_mapping(store, SourceFormat.POLICE_UK) == {
        "Anti-social behaviour": None,
        "Bicycle theft": "vehicle_theft",
        "Burglary": "burglary",
        "Robbery": "robbery",
    }
    again = formats.import_police_uk(store, POLICE, "leeds.csv", actor=EDITOR)
    assert again.unchanged == 3 * 20 and again.created == again.updated == 0


def test_police_uk_anti_social_behaviour_may_not_share_a_crime_indicator(store):
    mapping = {"Anti-social behaviour": "burglary"}
    report = formats.import_police_uk(store, POLICE, "leeds.csv", actor=EDITOR, mapping=mapping)
    assert {i.code for i in report.errors} == {"constraint-error"}


def test_police_uk_mapping_to_an_unknown_indicator_is_an_error(store):
    report = formats.import_police_uk(
        store, POLICE, "p.csv", actor=EDITOR, mapping={"Bicycle theft": "bikes"}
    )
    assert [(i.code, i.row) for i in report.errors] == [("unknown-indicator", 7)]


def test_police_uk_dry_run_gives_the_commit_report(store):
    before = everything(store)
    dry = formats.import_police_uk(store, POLICE, "p.csv", actor=EDITOR, dry_run=True)
    assert everything(store) == before
    real = formats.import_police_uk(store, POLICE, "p.csv", actor=EDITOR)
    dry_dict, real_dict = dry.to_dict(), real.to_dict()
    assert dry_dict == real_dict


def test_police_uk_import_and_rollback_restore_every_table_and_the_mapping(store):
    before = everything(store)
    report = formats.import_police_uk(store, POLICE, "p.csv", actor=EDITOR, mapping={"Bicycle theft": None})
    assert everything(store) != before
    from observatory.services import imports

    imports.rollback(store, report.batch_id, actor=EDITOR)
    assert everything(store) == before
    assert formats.remembered_mapping(store, SourceFormat.POLICE_UK) == {}


def test_ssmsi_keeps_only_our_communes_and_stores_ndiff_as_withheld(store):
    mapping = {"Cambriolages de logement": "burglary"}
    report = formats.import_ssmsi(
        store, SSMSI, "ssmsi.csv", actor=EDITOR, mapping=mapping, create_missing_indicators=False
    )
    assert report.ok, report.to_text()
    assert report.ignored_reasons == {
        "commune not one of our areas": 1,
        "class not followed: Vols de véhicules": 1,
    }
    assert _value(store, "burglary", "01", "2030-01-01") == [(12.0, "ok")]
    assert _value(store, "burglary", "01", "2031-01-01") == [(None, "not_published")]


def test_ssmsi_other_communes_are_errors_when_not_filtered(store):
    report = formats.import_ssmsi(
        store,
        SSMSI,
        "ssmsi.csv",
        actor=EDITOR,
        keep_only_our_communes=False,
        mapping={"Vols de véhicules": None},
    )
    assert [(i.code, i.row) for i in report.errors] == [("unknown-area", 3)]


def test_ssmsi_creates_missing_indicators_in_the_same_batch(store):
    report = formats.import_ssmsi(store, SSMSI, "ssmsi.csv", actor=EDITOR, create_missing_indicators=True)
    assert report.ok, report.to_text()
    catalogue = queries.indicators(store).set_index("code")
    assert catalogue.loc["cambriolages_de_logement", "denominator_kind"] == "dwellings"
    assert catalogue.loc["vols_de_vehicules", "denominator_kind"] == "residents"
    assert report.created == 3


def test_wide_table_with_periods_across(store):
    data = b"indicator;area;2030;2031\nburglary;01;3;\nburglary;02;ndiff;4\n"
    report = formats.import_wide(store, data, "wide.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    assert (report.created, report.ignored) == (3, 1)
    assert _value(store, "burglary", "02", "2030-01-01") == [(None, "not_published")]


def test_wide_table_layout_given_explicitly(store):
    data = b"area,period,burglary,robbery\n01,2030-01,3,4\n"
    report = formats.import_wide(store, data, "wide.csv", actor=EDITOR, layout=WideLayout.INDICATORS)
    assert (report.ok, report.created) == (True, 2)


def test_incident_list_with_area_codes(store):
    data = b"date,category,area\n2030-01-05,Burglary,01\n2030-01-20 22:15,Burglary,01\n2030-02-01,Noise,02\n"
    report = formats.import_incidents(store, data, "log.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    assert _value(store, "burglary", "01", "2030-01-01") == [(2.0, "ok")]
    assert _value(store, "burglary", "05", "2030-02-01") == [(0.0, "ok")]
    assert report.ignored_reasons == {"category not followed: Noise": 1}


def test_incident_list_with_coordinates(store):
    data = f"date;category;latitude;longitude\n2030-01-05;Burglary;{IN_02[1]};{IN_02[0]}\n".encode()
    report = formats.import_incidents(store, data, "log.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    assert _value(store, "burglary", "02", "2030-01-01") == [(1.0, "ok")]


def _metres(lon: float, lat: float) -> tuple[float, float]:
    """A point's x and y in the Portuguese grid (PT-TM06, EPSG:3763), computed independently of the app."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:3763", always_xy=True).transform(lon, lat)


def test_incident_list_with_x_y_and_a_crs_column(store):
    x, y = _metres(*IN_02)
    data = f"date;category;x;y;crs\n2030-01-05;Burglary;{x:.2f};{y:.2f};EPSG:3763\n".encode()
    report = formats.import_incidents(store, data, "log.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    assert _value(store, "burglary", "02", "2030-01-01") == [(1.0, "ok")]


def test_incident_list_with_x_y_and_the_crs_named_as_an_option(store):
    x, y = _metres(*IN_02)
    data = f"date;category;x;y\n2030-01-05;Burglary;{x:.2f};{y:.2f}\n".encode()
    report = formats.import_incidents(store, data, "log.csv", actor=EDITOR, crs="EPSG:3763")
    assert report.ok, report.to_text()
    assert _value(store, "burglary", "02", "2030-01-01") == [(1.0, "ok")]


@pytest.mark.parametrize(("crs", "code"), [(None, "crs-missing"), ("EPSG:999999", "crs-invalid")])
def test_incident_list_with_x_y_needs_a_known_crs_and_writes_nothing(store, crs, code):
    before = store.scalar("SELECT count(*) FROM observations")
    data = b"date;category;x;y\n2030-01-05;Burglary;-42000.5;165000.25\n"
    report = formats.import_incidents(store, data, "log.csv", actor=EDITOR, crs=crs)
    assert not report.ok
    assert code in {issue.code for issue in report.issues}
    assert store.scalar("SELECT count(*) FROM observations") == before


def test_import_file_recognises_and_dispatches(store):
    found, report = formats.import_file(
        store, SSMSI, "x.csv", actor=EDITOR, dry_run=True, create_missing_indicators=True, layout="ignored"
    )
    assert found is not None and found.source is SourceFormat.SSMSI
    assert report is not None and report.ok and report.created == 3


def test_import_file_plain_contract(store):
    found, report = formats.import_file(store, b"code,title\nAX9,New axis\n", "axes.csv", actor=EDITOR)
    assert found is not None and (found.kind, found.source) == (ImportKind.AXES, None)
    assert report is not None and report.created == 1


def test_import_file_unrecognised(store):
    assert formats.import_file(store, b"foo,bar\n1,2\n", "x.csv", actor=EDITOR) == (None, None)


def test_file_categories_for_the_mapping_form():
    assert formats.file_categories(POLICE, "p.csv", SourceFormat.POLICE_UK) == {
        "Anti-social behaviour": 1,
        "Bicycle theft": 1,
        "Burglary": 4,
        "Robbery": 1,
    }


@pytest.mark.parametrize(
    "call",
    [
        lambda s, a: formats.import_police_uk(s, POLICE, "p.csv", actor=a),
        lambda s, a: formats.import_ssmsi(s, SSMSI, "s.csv", actor=a),
        lambda s, a: formats.import_incidents(s, b"date,category,area\n", "i.csv", actor=a),
        lambda s, a: formats.import_wide(s, b"area,period,burglary\n", "w.csv", actor=a),
        lambda s, a: formats.import_file(s, POLICE, "p.csv", actor=a),
    ],
    ids=["police_uk", "ssmsi", "incidents", "wide", "file"],
)
def test_viewer_may_not_import_any_format(store, call):
    with pytest.raises(PermissionDenied):
        call(store, Actor("v", Role.VIEWER))


def test_suggested_mapping_uses_remembered_then_slug_then_nothing(store):
    formats.import_police_uk(store, POLICE, "p.csv", actor=EDITOR, mapping={"Bicycle theft": "vehicle_theft"})
    assert formats.suggested_mapping(store, POLICE, "p.csv", SourceFormat.POLICE_UK) == {
        "Anti-social behaviour": None,
        "Bicycle theft": "vehicle_theft",
        "Burglary": "burglary",
        "Robbery": "robbery",
    }


def test_options_name_each_entry_points_keywords():
    assert formats.OPTIONS[SourceFormat.SSMSI] == {
        "mapping",
        "keep_only_our_communes",
        "create_missing_indicators",
    }
    assert formats.OPTIONS[SourceFormat.WIDE] == {"layout"}


def test_ssmsi_dry_run_gives_the_commit_report_with_created_indicators(store):
    before = everything(store)
    dry = formats.import_ssmsi(
        store, SSMSI, "s.csv", actor=EDITOR, dry_run=True, create_missing_indicators=True
    )
    assert everything(store) == before
    real = formats.import_ssmsi(store, SSMSI, "s.csv", actor=EDITOR, create_missing_indicators=True)
    assert dry.to_dict() == real.to_dict()


def test_ssmsi_rollback_removes_created_indicators_and_the_mapping(store):
    before = everything(store)
    report = formats.import_ssmsi(store, SSMSI, "s.csv", actor=EDITOR, create_missing_indicators=True)
    from observatory.services import imports

    imports.rollback(store, report.batch_id, actor=EDITOR)
    assert everything(store) == before


def test_ssmsi_windows_1252_file_keeps_its_accents(store):
    data = SSMSI.decode("utf-8").encode("cp1252")
    report = formats.import_ssmsi(
        store, data, "s.csv", actor=EDITOR, mapping={"Vols de véhicules": "vehicle_theft"}
    )
    assert report.ok and report.encoding == "cp1252"
    assert _value(store, "vehicle_theft", "02", "2030-01-01") == [(4.0, "ok")]


def test_police_uk_lsoa_as_area_places_crimes_by_code(store):
    data = (
        POLICE_HEADER + "a,2030-01,F,F,-1.5,53.8,Street,05,Leeds 1,Burglary,x,\n"
        "b,2030-01,F,F,-1.5,53.8,Street,99,Leeds 2,Burglary,x,\n"
    ).encode()
    report = formats.import_police_uk(store, data, "p.csv", actor=EDITOR, lsoa_as_area=True, dry_run=True)
    assert [(i.code, i.row) for i in report.errors] == [("unknown-area", 2)]


def test_police_uk_anti_social_behaviour_alone_in_a_crime_indicator_is_refused(store):
    mapping = {"Anti-social behaviour": "vandalism", "Bicycle theft": None}
    before = everything(store)
    report = formats.import_police_uk(store, POLICE, "leeds.csv", actor=EDITOR, mapping=mapping)
    assert [(i.code, i.value) for i in report.errors] == [("constraint-error", "Anti-social behaviour")]
    assert "not crime" in report.errors[0].message
    assert everything(store) == before


def test_police_uk_anti_social_behaviour_may_go_to_an_activity_indicator(store):
    mapping = {"Anti-social behaviour": "outreach_contacts"}
    report = formats.import_police_uk(store, POLICE, "leeds.csv", actor=EDITOR, mapping=mapping, dry_run=True)
    assert report.ok, report.to_text()


def test_import_as_ignores_options_the_format_does_not_take(store):
    report = formats.import_as(
        SourceFormat.POLICE_UK, store, POLICE, "p.csv", actor=EDITOR, dry_run=True, layout=WideLayout.PERIODS
    )
    assert report.ok, report.to_text()


def test_preview_rows_fill_the_changes_of_a_published_format(store):
    report = formats.import_police_uk(store, POLICE, "p.csv", actor=EDITOR, dry_run=True, preview_rows=5)
    assert set(report.changes["change"]) == {"created"}
    assert len(report.changes) == 5  # 40 observations would be created; five are listed


def test_viewer_may_not_import_as_a_chosen_format(store):
    viewer = Actor("vera", Role.VIEWER)
    before = everything(store)
    with pytest.raises(PermissionDenied):
        formats.import_as(SourceFormat.POLICE_UK, store, POLICE, "p.csv", actor=viewer, dry_run=True)
    assert everything(store) == before
