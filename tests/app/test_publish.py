"""AppTest of the Publish page as an admin: the current release, the dry run beside it, publishing."""

import pytest

from tests.app.helpers import start

pytestmark = pytest.mark.usefixtures("buttons")

PAGE = "pages/publish.py"
MEASURES = [
    "Values in the release",
    "Published",
    "Small counts withheld (shown as < k)",
    "Further cells withheld so that small counts cannot be worked out",
    "Not published at source",
]


def _admin(**query):
    return start(PAGE, role="admin", query=query or None)


def _figures(at):
    return at.dataframe[0].value.set_index("Values")


def _publish(at):
    at.checkbox(key="publish-confirm").check().run()
    return at.button(key="publish-button").click().run()


def _number(text):
    return int(text.replace(",", ""))


def test_current_release_date_and_file_are_shown(demo_app):
    at = _admin()
    assert not at.exception
    assert at.subheader[0].value == "Current release"
    assert "Published on 15 Jan 2026, 09:30:00 (UTC)" in at.caption[1].value
    assert "public.duckdb" in at.caption[1].value


def test_current_release_figures_beside_the_dry_run(demo_app):
    table = _figures(_admin())
    assert list(table.index) == MEASURES
    assert list(table.columns) == ["Current release", "Publishing now"]
    # Nothing changed since the demo's release: publishing now would give the same figures.
    assert table["Current release"].tolist() == table["Publishing now"].tolist()
    assert _number(table.loc["Small counts withheld (shown as < k)", "Current release"]) > 0
    # Ten district months withheld at source: each withholds its district's year and the city's month.
    assert (
        _number(table.loc["Not published at source", "Current release"]) == 10
    )  # district years withheld at source; unknown city totals get no row


def test_publish_needs_the_confirmation(demo_app):
    at = _admin()
    assert at.button(key="publish-button").disabled
    at.checkbox(key="publish-confirm").check().run()
    assert not at.button(key="publish-button").disabled


def test_publishing_shows_the_new_release_and_keeps_the_previous(demo_app, tmp_path):
    before = _figures(_admin())["Publishing now"]
    at = _publish(_admin())
    assert not at.exception and not at.error
    done = at.success[0].value
    assert done.startswith("Published on ") and "15 Jan 2026" not in done
    assert f"{before['Published']} values published" in done
    assert f"{before['Small counts withheld (shown as < k)']} small counts" in done
    assert any(
        c.value == f"The previous release is kept as {tmp_path / 'public.previous.duckdb'}."
        for c in at.caption
    )
    assert (tmp_path / "public.previous.duckdb").exists()
    current = [c.value for c in at.caption if c.value.startswith("Published on ")]
    assert len(current) == 1 and "15 Jan 2026" not in current[0]  # the current release is the new one
    assert _figures(at)["Current release"].tolist() == before.tolist()


def test_confirmation_is_unticked_after_publishing(demo_app):
    at = _publish(_admin())
    assert not at.checkbox(key="publish-confirm").value
    assert at.button(key="publish-button").disabled


def test_publication_is_in_the_audit_log(demo_app):
    at = _publish(_admin())
    at.switch_page("pages/audit.py").run()
    at.selectbox(key="audit-action").select("publish").run()
    lines = at.dataframe[0].value
    assert lines["Who"].tolist()[0] == "admin"
    assert "values published" in lines["Detail"].tolist()[0]


def test_a_new_session_reads_the_new_release(demo_app):
    _publish(_admin())
    caption = _admin().caption[1].value
    assert caption.startswith("Published on ") and "15 Jan 2026" not in caption


def test_every_language_renders(demo_app):
    for lang, title in (("en", "Publish"), ("pt", "Publicar"), ("fr", "Publier")):
        at = _admin(lang=lang)
        assert not at.exception, lang
        assert at.title[0].value == title


def test_what_changes_for_the_public_is_listed_cell_by_cell(demo_app):
    from observatory.store import connect, open_snapshot

    at = _admin()
    assert not at.exception
    assert any(c.value == "Publishing now changes nothing the public sees." for c in at.caption)
    # A one-row correction in a district whose year the release withholds as "< k".
    public = open_snapshot(demo_app.parent / "public.duckdb")
    cell = public.frame(
        "SELECT indicator_code, area_code, year(period_start) AS year FROM observations "
        "WHERE display LIKE '<%' AND granularity = 'year' ORDER BY 1, 2, 3 LIMIT 1"
    ).iloc[0]
    public.close()
    store = connect(demo_app)
    with store.transaction() as cur:
        cur.execute(
            "UPDATE observations SET value = value + 2 WHERE indicator_code = ? AND area_code = ? "
            "AND period_start = make_date(?, 6, 1)",
            [cell["indicator_code"], cell["area_code"], int(cell["year"])],
        )
    store.close()
    at = _admin()
    changes = at.dataframe[1].value
    year = changes[changes["Period"].str.startswith(str(int(cell["year"])))]
    mine = year[year["Indicator"] == cell["indicator_code"]]
    # The whole indicator year keeps its current figures: nothing in it reads "changed".
    assert len(mine) > 1
    assert set(mine["Change"]) == {"correction held back"}
    assert (mine["Public now"] == mine["After publishing"]).all()
