"""SSMSI withholds small commune counts ("ndiff"): the intercommunal total is bounded, never withheld."""

from __future__ import annotations

from observatory.domain import SourceFormat
from observatory.services import formats, headlines, totals, views
from tests.one_answer.builders import EDITOR, city

HEADER = (
    '"CODGEO_2024";"annee";"classe";"unité.de.compte";"valeur.publiée";"faits";"tauxpourmille";'
    '"complementinfoval";"complementinfotaux";"POP";"millPOP";"LOG";"millLOG"'
)


def _row(commune: str, year: str, published: bool, facts: int | None) -> str:
    flag, value = ("diff", str(facts)) if published else ("ndiff", "NA")
    cells = [f'"{commune}"', f'"{year}"', '"Cambriolages de logement"', '"Infraction"', f'"{flag}"', value]
    return ";".join([*cells, "NA", "NA", "NA", "5000", f'"{year}"', "2000", f'"{year}"'])


def _ssmsi() -> bytes:
    rows = [
        _row("01", "23", True, 40),
        _row("02", "23", True, 25),
        _row("03", "23", True, 12),
        _row("01", "24", True, 52),
        _row("02", "24", True, 31),
        _row("03", "24", False, None),
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_an_ndiff_commune_bounds_the_intercommunal_total(tmp_path):
    store = city(
        tmp_path / "c.duckdb",
        districts=3,
        indicators="code,name,theme,kind,unit,polarity\nkeep,Keep,t,context,index,neutral\n",
        observations="indicator,area,period,value\nkeep,01,2023,1\n",
    )
    try:
        report = formats.import_as(SourceFormat.SSMSI, store, _ssmsi(), "ssmsi.csv", actor=EDITOR)
        assert report.ok, report.to_text()
        code = views.catalogue(store).query("code != 'keep'")["code"].iloc[0]
        info = views.indicator(store, code)
        assert info.withheld_max == 5  # SSMSI withholds 5 or fewer facts
        yearly = totals.city_totals(store, info, "year").set_index("period_start")
        latest = yearly.iloc[-1]
        assert (str(latest["basis"]), latest["lower"], latest["upper"]) == ("bounded", 83, 88)
        head = headlines.city_headline(store, code)
        assert (head.window.label, head.lower_bound, head.upper_bound) == ("2024", 83, 88)
        assert str(head.basis) == "bounded"
    finally:
        store.close()
