"""Council documents: made from the demo city and from real data, in three languages, as PDF and HTML.

Checked on the PDF itself (text extracted with pypdf): the same figures the pages show, the internal mark
on every page of a document made from the staff database, the public mark and no small count in one made
from the release, the stated page counts, and every font embedded. A few pages are rendered to PNG
(pypdfium2, test environment only) into tests/app/screenshots/documents/ to be looked at.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest

from observatory.domain import ImportKind
from observatory.i18n import locale_scope, t
from observatory.present import briefings, documents, headline_text, html, pdf, profile_table
from observatory.services import editing, headlines, profile, profile_panel, views
from observatory.services.demo import DEMO_ACTOR
from observatory.store import connect, open_snapshot, queries

pytestmark = pytest.mark.xdist_group("documents")

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
SHOTS = Path(__file__).resolve().parents[1] / "app" / "screenshots" / "documents"
#: Pages each document may take on the demo city (the issue's bounds where it gives them).
PAGES = {"district": (1, 2), "city": (2, 4), "evaluation": (2, 12), "diagnosis": (2, 8)}
LANGS = ("en", "pt", "fr")


def _pdf(data: bytes, tmp_path: Path, name: str) -> pypdf.PdfReader:
    path = tmp_path / name
    path.write_bytes(data)
    return pypdf.PdfReader(path)


def _flat(text: str) -> str:
    """Text with every run of white space (line breaks of the layout included) made one space."""
    return re.sub(r"\s+", " ", text).strip()


def _fonts_embedded(reader: pypdf.PdfReader) -> list[str]:
    """Names of the fonts used that carry no embedded font file (empty when all are embedded)."""
    missing = []
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font.get("/BaseFont")))
    return missing


@pytest.fixture(scope="module")
def staff(demo_file):
    store = connect(demo_file, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def release(demo_release, tmp_path_factory):
    store = open_snapshot(shutil.copy(demo_release, tmp_path_factory.mktemp("doc-release") / "public.duckdb"))
    yield store
    store.close()


def _request(kind: str, lang: str) -> documents.Request:
    return documents.Request(kind, area="05" if kind == "district" else None, lang=lang)


# Each document in one language by default (the languages taken in turn), in all three in the slow run.
@pytest.mark.parametrize(
    ("kind", "lang"),
    [
        (kind, lang) if lang == LANGS[i % len(LANGS)] else pytest.param(kind, lang, marks=pytest.mark.slow)
        for i, kind in enumerate(PAGES)
        for lang in LANGS
    ],
)
def test_each_document_in_each_language_is_marked_internal_on_every_page(staff, tmp_path, kind, lang):
    data = documents.write(staff, _request(kind, lang), "pdf", now=NOW)
    reader = _pdf(data, tmp_path, f"{kind}-{lang}.pdf")
    low, high = PAGES[kind]
    assert low <= len(reader.pages) <= high, f"{kind} {lang}: {len(reader.pages)} pages"
    with locale_scope(lang):
        mark = t("doc.mark_internal")
    for number, page in enumerate(reader.pages, 1):
        assert mark in _flat(page.extract_text()), f"{kind} {lang}: no internal mark on page {number}"
    assert _fonts_embedded(reader) == []
    if lang == "pt" and kind in ("district", "city"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        pdfium = pytest.importorskip("pypdfium2")
        rendered = pdfium.PdfDocument(data)
        for index in range(len(rendered)):
            rendered[index].render(scale=1.3).to_pil().save(SHOTS / f"{kind}-{lang}-page{index + 1}.png")


def test_the_district_briefing_prints_the_profile_pages_figures(staff, tmp_path):
    data = profile_panel.load(staff)
    _, year = profile.years(data)
    shown = profile.district_profile(data, "05", int(year))
    with locale_scope("fr"):
        table = profile_table.display_table(shown.table, shown.year)
    text = _flat(
        " ".join(
            p.extract_text()
            for p in _pdf(documents.write(staff, _request("district", "fr"), "pdf"), tmp_path, "d.pdf").pages
        )
    )
    values = [str(v) for column in table.columns[2:] for v in table[column] if str(v) not in ("", "–")]
    assert values, "the profile shows figures"
    missing = [v for v in values if _flat(v) not in text]
    assert missing == []


def test_the_city_briefing_prints_the_overviews_headline_figures(staff, tmp_path):
    catalogue = views.catalogue(staff)
    codes = catalogue.loc[catalogue["kind"] == "result", "code"]
    with locale_scope("pt"):
        shown = [headline_text.value_text(h) for h in (headlines.city_headline(staff, c) for c in codes) if h]
    reader = _pdf(documents.write(staff, _request("city", "pt"), "pdf"), tmp_path, "c.pdf")
    text = _flat(" ".join(p.extract_text() for p in reader.pages))
    assert shown and [v for v in shown if _flat(v) not in text] == []


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_document_from_the_release_says_so_and_shows_no_small_count(release, demo_release, tmp_path, kind):
    document = documents.build(release, _request(kind, "en"), now=NOW)
    assert document.audience == "public"
    with locale_scope("en"):
        assert document.mark.startswith("Public")
    reader = _pdf(pdf.render(document), tmp_path, f"{kind}.pdf")
    assert all("INTERNAL" not in p.extract_text() for p in reader.pages)
    assert all(document.mark.split(";")[0] in _flat(p.extract_text()) for p in reader.pages)
    if kind == "district":
        # The profile table's value column: a count is a withheld cell ("not published") or at least k.
        data = profile_panel.load(release)
        counts = {i.name: i.disclosure_threshold for i in data.indicators if i.unit == "count"}
        table = next(
            b for b in document.blocks if isinstance(b, briefings.Table) and b.header[0] == "Indicator"
        )
        for row in table.rows:
            if row[0] in counts and row[1] not in ("not published", "–"):
                assert float(row[1].replace(",", "")) >= counts[row[0]], row


def test_every_district_briefing_from_the_release_hides_counts_below_the_threshold(release):
    data = profile_panel.load(release)
    _, year = profile.years(data)
    small = 0
    for code in profile.districts(data)["code"]:
        table = profile.district_profile(data, str(code), int(year)).table
        counts = table[(table["unit"] == "count") & ~table["withheld"]]
        limits = counts["code"].map({i.code: i.disclosure_threshold for i in data.indicators})
        small += int(((counts["value"] > 0) & (counts["value"] < limits)).sum())
    assert small == 0


def test_text_from_users_prints_as_typed_never_as_markup(tmp_path, demo_file):
    store = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    hostile = "#set text(red) *bold* [link](http://evil.example) <b>x</b> $x^2$ <img src=x onerror=alert(1)>"
    row = queries.indicators(store).set_index("code").loc["robbery"]
    form = {
        "code": "robbery",
        "name": hostile,
        "theme": row["theme"],
        "kind": row["kind"],
        "unit": row["unit"],
        "polarity": row["polarity"],
        "denominator": row["denominator_kind"] or "",
        "multiplier": row["multiplier"],
        "threshold": int(row["disclosure_threshold"]),
        "description": row["description"],
        "source": row["source"],
    }
    result = editing.save(store, ImportKind.INDICATORS, form, actor=DEMO_ACTOR)
    assert not result.issues, result.issues
    document = documents.build(store, _request("district", "en"), now=NOW)
    text = "".join(p.extract_text() for p in _pdf(pdf.render(document), tmp_path, "h.pdf").pages)
    # A table cell wraps the name over lines: compared without white space.
    assert re.sub(r"\s+", "", hostile) in re.sub(r"\s+", "", text)
    page = html.render(document).decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>x</b>" not in page
    store.close()


def test_the_html_document_is_one_self_contained_file_in_the_documents_language(staff):
    page = documents.write(staff, _request("city", "fr"), "html").decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "<svg" in page or "<table" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing is fetched from elsewhere"


def test_a_request_that_cannot_be_met_is_said_in_words(staff):
    with pytest.raises(documents.DocumentError, match="district 99"):
        documents.build(staff, documents.Request("district", area="99"))
    with pytest.raises(documents.DocumentError, match="needs a district"):
        documents.build(staff, documents.Request("district"))
    with pytest.raises(documents.DocumentError, match=r"\.pdf or \.html"):
        documents.format_of("notes.docx")
