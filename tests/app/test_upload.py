"""AppTest of the upload page: check (dry run), preview, commit, refusals, boundaries, templates, roles."""

import io
from pathlib import Path

import pandas as pd
import pytest

from observatory.services import uploads
from observatory.store import connect, queries
from observatory.store.schema import TABLES
from tests.app.helpers import figures, start
from tests.geo.builders import file_bytes, squares_3763

PAGE = "pages/upload.py"
ROOT_DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
GOOD = (
    b"indicator,area,period,value\n"
    b"burglary,01,2016-01,99\n"  # the demo stores 7: an update
    b"burglary,01,2031-01,4\n"  # a new month: a creation
)
BROKEN = b"indicator,area,period,value\nburglary,01,2016-01,99\nburglary,99,2016-01,3\n"


def everything(path) -> dict[str, str]:
    """Every data table as CSV text (equal text: byte-for-byte equal tables), and the batch count."""
    store = connect(path)
    try:
        tables = {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}
        return {**tables, "batches": queries.count_rows(store, "batches")}
    finally:
        store.close()


def _tables(path) -> dict[str, str]:
    return {k: v for k, v in everything(path).items() if k != "batches"}


def _batches(path):
    store = connect(path)
    try:
        return queries.batches(store)
    finally:
        store.close()


def _stored_value(path, area="01", period="2016-01-01"):
    store = connect(path)
    try:
        frame = queries.table_contents(store, "observations")
    finally:
        store.close()
    mask = (frame["indicator_code"] == "burglary") & (frame["area_code"] == area)
    mask &= frame["period_start"].astype(str).str.startswith(period)
    return frame.loc[mask, "value"].tolist()


def _upload(at, name, data, kind=None):
    if kind is not None:
        at.selectbox(key="upload-kind").select(kind).run()
    at.file_uploader(key="upload-file").upload(name, data, "text/csv").run()
    return at


def _frame(at, column, *, without=None):
    """The first table shown with ``column`` (and without ``without``): AppTest tables carry no key."""
    for table in at.dataframe:
        frame = table.value
        if column in frame.columns and (without is None or without not in frame.columns):
            return frame
    raise AssertionError(f"no table with {column!r}")


def _metrics(at):
    return [m.value for m in at.metric]


def _texts(at):
    return [e.value for e in (*at.success, *at.error, *at.info, *at.warning)]


# Every test as an editor; as an admin too in the slow run (one admin commit runs by default, below).
@pytest.fixture(params=["editor", pytest.param("admin", marks=pytest.mark.slow)])
def staff(request, demo_app, buttons):
    """The page as each role that may import."""
    return start(PAGE, role=request.param)


def test_page_opens_for_staff_who_may_import(staff):
    assert not staff.exception
    assert staff.title[0].value == "Upload data"


def test_valid_file_is_recognised_and_checked_without_writing(staff, demo_app):
    before = _tables(demo_app)
    _upload(staff, "obs.csv", GOOD)
    assert not staff.exception
    assert any("recognised as: Observations" in text for text in _texts(staff))
    assert _metrics(staff) == ["2", "1", "1", "0", "0"]  # read, created, updated, unchanged, rejected
    assert any("encoding utf-8" in c.value and "“,”" in c.value for c in staff.caption)
    assert _tables(demo_app) == before
    assert _batches(demo_app)["state"].iloc[0] == "dry_run"


def test_rerun_does_not_check_the_file_again(staff, demo_app):
    _upload(staff, "obs.csv", GOOD)
    count = len(_batches(demo_app))
    staff.run()
    assert len(_batches(demo_app)) == count


def test_preview_shows_an_updated_row_with_its_stored_and_new_value(staff):
    _upload(staff, "obs.csv", GOOD)
    updated = _frame(staff, "value (stored)")
    row = updated.iloc[0]
    assert (row["area_code"], row["period"]) == ("01", "2016-01")
    assert (row["value"], row["value (stored)"]) == (99.0, 7.0)
    created = _frame(staff, "period", without="value (stored)")
    assert created["period"].tolist() == ["2031-01"]
    assert not any("(stored)" in column for column in created.columns)


def test_commit_writes_the_file_and_links_to_the_history(staff, demo_app):
    _upload(staff, "obs.csv", GOOD)
    staff.button(key="upload-commit").click().run()
    assert not staff.exception
    assert _stored_value(demo_app) == [99.0]
    batch = _batches(demo_app).iloc[0]
    assert (batch["state"], batch["kind"]) == ("committed", "observations")
    assert any(f"saved as batch {batch['id']}" in s.value for s in staff.success)
    assert "history" in [link.proto.page for link in staff.main.get("page_link")]
    count = len(_batches(demo_app))
    staff.run()  # the next run shows the outcome only: nothing left to commit, nothing checked again
    assert not [b for b in staff.button if b.key == "upload-commit"]
    assert any(f"saved as batch {batch['id']}" in s.value for s in staff.success)
    assert len(_batches(demo_app)) == count


def test_broken_file_names_row_and_column_and_writes_nothing(staff, demo_app):
    before = _tables(demo_app)
    _upload(staff, "broken.csv", BROKEN, kind="observations")
    assert not staff.exception
    message = staff.error[0].value
    assert "broken.csv" in message and "row 2" in message and "column area" in message
    issues = _frame(staff, "Row")
    assert (issues["Row"].iloc[0], issues["Column"].iloc[0]) == (2, "area")
    assert issues["Severity"].iloc[0] == "error"
    assert issues["Problem"].iloc[0] == "The area code is not one of the city's areas."
    assert not [b for b in staff.button if b.key == "upload-commit"]
    assert _tables(demo_app) == before
    batch = _batches(demo_app).iloc[0]
    assert (batch["state"], int(batch["rejected"])) == ("dry_run", 1)


def test_broken_file_issues_can_be_downloaded(staff):
    _upload(staff, "broken.csv", BROKEN, kind="observations")
    assert any("upload-issues-csv" in b.proto.id for b in staff.get("download_button"))


def test_unrecognisable_file_asks_for_the_kind(staff, demo_app):
    before = everything(demo_app)
    _upload(staff, "odd.csv", b"foo,bar\n1,2\n")
    assert any("could not be recognised" in e.value for e in staff.error)
    assert everything(demo_app) == before


def test_unexpected_error_is_shown_in_words_not_as_a_traceback(staff, demo_app, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(uploads, "run", explode)
    _upload(staff, "obs.csv", GOOD)
    assert not staff.exception
    assert any("unexpected error" in e.value for e in staff.error)
    assert not any("disk on fire" in e.value for e in staff.error)


def _geojson(tmp_path):
    frame = squares_3763(["01", "02"]).rename(columns={"code": "CODIGO", "name": "NOME"})
    frame["pop"] = [10, 20]
    return file_bytes(frame.to_crs("EPSG:4326"), "geojson", tmp_path)[0]


def test_boundary_upload_asks_for_fields_draws_the_map_and_commits(staff, demo_app, tmp_path):
    _upload(staff, "districts.geojson", _geojson(tmp_path))
    assert staff.selectbox(key="upload-code-field").options == ["CODIGO", "NOME", "pop"]
    assert staff.selectbox(key="upload-code-field").value == "CODIGO"
    assert staff.selectbox(key="upload-name-field").value == "NOME"
    assert not figures(staff)  # nothing is checked before the fields are confirmed
    staff.button(key="upload-check").click().run()
    assert not staff.exception
    drawn = figures(staff)[0]
    assert drawn["layout"]["geo"]["visible"] is False  # no base map fetched from anywhere
    assert sorted(loc for trace in drawn["data"] for loc in trace.get("locations", [])) == ["01", "02"]
    staff.button(key="upload-commit").click().run()
    store = connect(demo_app)
    try:
        districts = queries.areas(store, level=1)
    finally:
        store.close()
    assert set(districts.loc[districts["code"].isin(["01", "02"]), "name"]) == {"District 1", "District 2"}


def test_boundary_file_without_crs_asks_for_one(staff, tmp_path):
    data, name = file_bytes(squares_3763(["01"]), "zip", tmp_path, keep_prj=False)
    _upload(staff, name, data)
    assert any("does not say which coordinate" in w.value for w in staff.warning)
    staff.text_input(key="upload-crs").input("EPSG:3763").run()
    staff.button(key="upload-check").click().run()
    assert not staff.exception
    assert len(figures(staff)) == 1


#: Templates checked through the page by default; every kind's in the slow run (the service test
#: tests/services/test_uploads.py checks every template by default).
TEMPLATES_BY_DEFAULT = {"observations", "contracts", "boundaries"}


@pytest.mark.parametrize(
    "name",
    [k if k in TEMPLATES_BY_DEFAULT else pytest.param(k, marks=pytest.mark.slow) for k in uploads.KINDS],
)
def test_template_download_checks_clean_through_the_page(demo_app, buttons, downloads, name):
    at = start(PAGE, role="editor")
    at.selectbox(key="upload-kind").select(name).run()
    kind = uploads.KINDS[name]
    data = downloads[kind.template_name]
    if kind.multiple:
        at.file_uploader(key="upload-files").upload(kind.template_name, data, "text/csv").run()
    else:
        _upload(at, kind.template_name, data)
    if kind.boundary:
        at.button(key="upload-check").click().run()
    assert not at.exception
    assert len(at.error) == 0
    assert any("is valid" in s.value for s in at.success)


@pytest.mark.parametrize("role", [None, "viewer"])
def test_page_is_not_routable_below_editor(demo_app, role):
    at = start(role=role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_page_speaks_the_visitors_language(demo_app, buttons):
    at = start(PAGE, role="editor", query={"lang": "fr"})
    _upload(at, "broken.csv", BROKEN, kind="observations")
    assert not at.exception
    assert at.title[0].value == "Importer des données"
    assert "a été refusé" in at.error[0].value
    assert "Problème" in _frame(at, "Ligne").columns
    # The check's own message too, naming the value, the file, row and column in French.
    issues = _frame(at, "Ligne")
    assert issues["Message"].iloc[0].startswith("code inconnu « ")
    assert "ligne 2" in at.error[0].value and "code inconnu" in at.error[0].value


def test_issue_messages_in_portuguese_name_the_value(demo_app, buttons):
    at = start(PAGE, role="editor", query={"lang": "pt"})
    data = b"indicator,area,period,value\nburglary,01,2016-01,abc\nburglary,01,2016-02,-3\n"
    _upload(at, "numeros.csv", data, kind="observations")
    assert not at.exception
    messages = list(_frame(at, "Linha")["Mensagem"])
    assert "«abc» não é um número" in messages
    assert "«-3» é negativo" in messages


def test_issue_download_neutralises_a_formula_from_the_file(demo_app, buttons, downloads):
    at = start(PAGE, role="editor")
    data = b'indicator,area,period,value\nburglary,"=HYPERLINK(""http://x"")",2016-01,3\n'
    _upload(at, "evil.csv", data, kind="observations")
    assert not at.exception
    cells = pd.read_csv(io.BytesIO(downloads["evil.csv-issues.csv"]), dtype=str).fillna("").to_numpy().ravel()
    assert '\'=HYPERLINK("http://x")' in cells
    assert not [cell for cell in cells if cell.startswith("=")]


def test_chosen_kind_that_does_not_fit_the_file_is_warned_about_and_refused(staff, demo_app):
    before = _tables(demo_app)
    _upload(staff, "obs.csv", GOOD, kind="partners")
    assert any("looks like another kind of file: Observations" in w.value for w in staff.warning)
    assert "required column" in staff.error[0].value
    assert _tables(demo_app) == before


def test_chosen_kind_that_fits_gives_no_warning(staff):
    _upload(staff, "obs.csv", GOOD, kind="observations")
    assert len(staff.warning) == 0


def _national_around_demo(tmp_path):
    """A grid of squares over the demo city and beyond it, in longitude/latitude."""
    import geopandas as gpd
    from shapely.geometry import box

    city = gpd.read_file(ROOT_DEMO / "districts.geojson").to_crs("EPSG:4326")
    west, south, east, north = city.total_bounds
    step_x, step_y = (east - west) / 6, (north - south) / 6
    cells = [(r, c) for r in range(-3, 9) for c in range(-3, 9)]
    frame = gpd.GeoDataFrame(
        {"CODE": [f"L{r + 3:02d}{c + 3:02d}" for r, c in cells], "NAME": [f"Cell {r} {c}" for r, c in cells]},
        geometry=[
            box(west + c * step_x, south + r * step_y, west + (c + 1) * step_x, south + (r + 1) * step_y)
            for r, c in cells
        ],
        crs="EPSG:4326",
    )
    return file_bytes(frame, "geojson", tmp_path)[0], len(frame)


def test_boundary_upload_keeps_only_the_areas_inside_the_city(staff, demo_app, tmp_path):
    data, total = _national_around_demo(tmp_path)
    _upload(staff, "national.geojson", data)
    staff.checkbox(key="upload-keep-inside").check().run()
    staff.button(key="upload-check").click().run()
    assert not staff.exception
    outcome = next(i.value for i in staff.info if "areas of the file are kept" in i.value)
    kept, dropped = (int(word) for word in outcome.split() if word.isdigit())
    assert kept + dropped == total and 0 < kept < 36 and dropped > 100
    drawn = figures(staff)[0]
    assert len([loc for trace in drawn["data"] for loc in trace.get("locations", [])]) == kept
    assert any("Area outside the city" in table.value.to_string() for table in staff.dataframe)


def test_boundary_upload_keeps_the_areas_matching_a_field(staff, demo_app, tmp_path):
    frame = squares_3763(["01", "02", "03", "04"]).to_crs("EPSG:4326")
    frame["grp"] = ["A", "A", "B", "B"]
    data = file_bytes(frame, "geojson", tmp_path)[0]
    before = _stored_names(demo_app)
    _upload(staff, "districts.geojson", data)
    staff.selectbox(key="upload-keep-field").set_value("grp").run()
    staff.text_input(key="upload-keep-values").input("a").run()
    staff.button(key="upload-check").click().run()
    assert not staff.exception
    assert any("2 areas of the file are kept, 2 left out" in i.value for i in staff.info)
    staff.button(key="upload-commit").click().run()
    after = _stored_names(demo_app)
    assert (after["01"], after["02"]) == ("District 1", "District 2")
    assert after["03"] == before["03"]


def _stored_names(path):
    store = connect(path)
    try:
        return queries.areas(store, level=1).set_index("code")["name"].to_dict()
    finally:
        store.close()


def test_an_admin_imports_like_an_editor(demo_app, buttons):
    test_commit_writes_the_file_and_links_to_the_history(start(PAGE, role="admin"), demo_app)
