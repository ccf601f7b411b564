"""Starter catalogues: every police.uk crime type and SSMSI class created in one batch."""

import pytest

from observatory.domain import Actor, ImportKind, PermissionDenied, Polarity, Role
from observatory.ingest.formats.common import slug
from observatory.ingest.formats.incidents import ANTI_SOCIAL
from observatory.services import derived, imports, starters
from observatory.services.starter_data import CATALOGUES, POLICE_UK, SSMSI
from observatory.store import connect, queries

EDITOR = Actor("rita", Role.EDITOR)
POLICE_UK_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)


@pytest.fixture
def store(tmp_path):
    opened = connect(tmp_path / "empty.duckdb")
    yield opened
    opened.close()


def test_police_uk_has_the_fourteen_crime_types_and_a_total_without_anti_social_behaviour():
    categories = tuple(s.category for s in POLICE_UK.indicators if s.category)
    assert categories == POLICE_UK_TYPES
    assert ANTI_SOCIAL in categories
    total = POLICE_UK.derived["all_crime"]
    assert len(total) == 13 and "anti_social_behaviour" not in total


@pytest.mark.parametrize("catalogue", list(CATALOGUES.values()), ids=lambda c: c.name)
def test_codes_are_the_slugs_the_format_import_maps_to(catalogue):
    for starter in catalogue.indicators:
        if starter.category:
            assert starter.code == slug(starter.category)
        assert all(starter.names), starter.code


def test_ssmsi_rates_burglary_per_dwelling_and_the_rest_per_resident():
    denominators = {s.code: s.denominator for s in SSMSI.indicators}
    assert denominators.pop("cambriolages_de_logement") == "dwellings"
    assert set(denominators.values()) == {"residents"}


def test_offences_revealed_by_police_action_are_neutral():
    polarity = {s.code: s.polarity for s in (*POLICE_UK.indicators, *SSMSI.indicators)}
    assert polarity["drugs"] is Polarity.NEUTRAL and polarity["trafic_de_stupefiants"] is Polarity.NEUTRAL
    assert polarity["anti_social_behaviour"] is Polarity.LOWER_IS_BETTER
    assert polarity["all_crime"] is Polarity.LOWER_IS_BETTER


@pytest.mark.parametrize(("name", "count"), [("police_uk", 15), ("ssmsi", 18)])
def test_adding_a_starter_creates_its_indicators_in_one_batch(store, name, count):
    result = starters.add(store, name, actor=EDITOR)
    assert result.report.ok, result.report.to_text()
    assert (result.report.created, len(result.created), result.report.unchanged) == (count, count, 0)
    stored = queries.indicators(store)
    assert len(stored) == count
    logged = queries.batch(store, result.report.batch_id).iloc[0]
    assert (logged["kind"], logged["state"], int(logged["created"])) == ("indicators", "committed", count)


def test_adding_it_again_changes_nothing_and_writes_no_batch(store):
    starters.add(store, "police_uk", actor=EDITOR)
    batches = len(queries.batches(store, limit=100))
    again = starters.add(store, "police_uk", actor=EDITOR)
    assert (again.created, len(again.unchanged), again.report.batch_id) == ((), 15, None)
    assert len(queries.batches(store, limit=100)) == batches


def test_existing_indicators_are_left_as_they_are(store):
    data = (
        b"code,name,theme,kind,unit,polarity,denominator\n"
        b"burglary,Home burglary (ours),property,result,count,lower_is_better,dwellings\n"
    )
    assert imports.import_table(store, ImportKind.INDICATORS, data, "ours.csv", actor=EDITOR).ok
    result = starters.add(store, "police_uk", actor=EDITOR)
    assert result.unchanged == ("burglary",) and len(result.created) == 14
    row = queries.indicators(store).set_index("code").loc["burglary"]
    assert (row["name"], row["denominator_kind"]) == ("Home burglary (ours)", "dwellings")


def test_a_plain_indicator_named_like_the_total_is_not_made_a_sum(store):
    data = b"code,name,theme,kind,unit,polarity\nall_crime,All crime,crime,result,count,lower_is_better\n"
    assert imports.import_table(store, ImportKind.INDICATORS, data, "ours.csv", actor=EDITOR).ok
    result = starters.add(store, "police_uk", actor=EDITOR)
    assert result.not_derived == ("all_crime",) and result.derived == {}
    assert derived.declared(store, {}) == {}


def test_names_are_written_in_the_chosen_language(store):
    starters.add(store, "police_uk", actor=EDITOR, locale="fr")
    names = queries.indicators(store).set_index("code")["name"]
    assert names["shoplifting"] == "Vols à l'étalage"
    assert names["anti_social_behaviour"] == "Comportements antisociaux"


def test_dry_run_writes_nothing_but_its_log_line(store):
    result = starters.add(store, "ssmsi", actor=EDITOR, dry_run=True)
    assert result.report.created == 18
    assert queries.indicators(store).empty
    assert queries.batch(store, result.report.batch_id)["state"].iloc[0] == "dry_run"


def test_rollback_removes_the_catalogue_and_its_total(store):
    result = starters.add(store, "police_uk", actor=EDITOR)
    assert derived.declared(store, {})["all_crime"] == POLICE_UK.derived["all_crime"]
    imports.rollback(store, result.report.batch_id, actor=EDITOR)
    assert queries.indicators(store).empty
    assert derived.declared(store, {}) == {}


def test_a_viewer_may_not_add_a_starter(store):
    with pytest.raises(PermissionDenied):
        starters.add(store, "police_uk", actor=Actor("vera", Role.VIEWER))
