"""``python -m observatory report``: council documents from the staff database or the published release."""

from __future__ import annotations

import io
import shutil

import pypdf
import pytest

from observatory.cli import main


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


@pytest.fixture
def db(demo_file, tmp_path):
    return str(shutil.copy(demo_file, tmp_path / "staff.duckdb"))


def test_a_district_briefing_is_written_as_pdf_in_the_language_asked(db, tmp_path):
    target = tmp_path / "out" / "district-05.pdf"
    code, text = run("report", "district", "05", "--lang", "pt", "--out", str(target), "--db", db)
    assert code == 0, text
    assert f"district document written: {target}" in text
    first = pypdf.PdfReader(target).pages[0].extract_text()
    assert "INTERNO — NÃO PUBLICAR" in first and "Nota de bairro" in first


def test_a_document_from_the_release_is_public(demo_release, tmp_path):
    target = tmp_path / "city.html"
    code, text = run("report", "city", "--out", str(target), "--release", str(demo_release))
    assert code == 0, text
    page = target.read_text(encoding="utf-8")
    assert "Public — from the release of" in page and "INTERNAL" not in page


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("district", "99"), "district 99"),
        (("city",), "a document is written as .pdf or .html"),
    ],
)
def test_what_cannot_be_made_is_said_in_words_with_exit_2(db, tmp_path, args, said):
    out = tmp_path / ("x.pdf" if args[0] == "district" else "x.docx")
    code, text = run("report", *args, "--out", str(out), "--db", db)
    assert code == 2 and said in text and not out.exists()
