"""Council documents: generation time and page count of each document, and the PDF libraries compared.

``PYTHONPATH=. python -m benchmarks.documents [--scales demo 10x] [--runs 3] [--libraries]``

For each scale (the demo city, and the benchmark cities of benchmarks/generate.py) and each document
(district briefing of the first district, city briefing, yearly evaluation, security diagnosis), the
median of ``--runs`` builds from the staff store (build + Typst PDF) and the page count. With
``--libraries``, the same small document (a title, Portuguese and French text with ≥ and –, a 15 × 8
table and an SVG chart) is written by Typst, fpdf2 and ReportLab where they are installed (the last two
are not in requirements.txt: they were candidates), with the time, the size and what each could not do
offline with no font file shipped. Appends records to benchmarks/results/documents.jsonl.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pypdf

from benchmarks import generate
from benchmarks.common import median, write_record
from benchmarks.generate import SCALES
from observatory.config import load_settings
from observatory.present import documents, pdf, svg
from observatory.present.document import Document, Figure, Heading, Paragraph, Table
from observatory.services import profile, profile_panel
from observatory.services.demo import load_demo
from observatory.store import connect

TEXT = "Taxa de roubos: 1 234 por 100 000 residentes (IC 95 %: 1 100 – 1 350) ≥ objetivo; évolution, ç, ã."


def _store_path(scale: str, work: Path) -> Path:
    target = work / f"{scale}.duckdb"
    if scale == "demo":
        store = connect(target)
        load_demo(store, load_settings().demo_dir)
        store.close()
    else:
        shutil.copy(generate.city(SCALES[scale]), target)
    return target


def document_times(scale: str, runs: int) -> dict[str, Any]:
    """Median build + PDF time and page count of every document at one scale."""
    work = Path(tempfile.mkdtemp(prefix="documents-"))
    try:
        store = connect(_store_path(scale, work))
        try:
            data = profile_panel.load(store)
            first = str(profile.districts(data)["code"].iloc[0])
            found: dict[str, Any] = {}
            for kind in documents.KINDS:
                request = documents.Request(kind, area=first if kind == "district" else None)
                seconds, pages = [], 0
                for _ in range(runs):
                    start = time.perf_counter()
                    made = documents.write(store, request, "pdf")
                    seconds.append(time.perf_counter() - start)
                    pages = len(pypdf.PdfReader(io.BytesIO(made)).pages)
                found[kind] = {"median_s": round(median(seconds), 2), "runs": seconds, "pages": pages}
                print(f"{scale} {kind}: {found[kind]['median_s']} s, {pages} pages", flush=True)
            return found
        finally:
            store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _sample() -> Document:
    rows = tuple(tuple(f"{TEXT[:12]} {r}.{c}" for c in range(8)) for r in range(15))
    chart = svg.bars(
        [svg.Bar(f"Bairro {i}", 10.0 + i, 8.0 + i, 12.0 + i, "similar", f"{10 + i},0") for i in range(12)],
        reference=15.0,
        reference_label="Cidade",
        alt="Roubos",
    )
    blocks = (
        Heading("Diagnóstico"),
        Paragraph(TEXT),
        Table(tuple(f"Coluna {c}" for c in range(8)), rows),
        Figure(chart, "Roubos por bairro", "por 1 000", "PSP", "2025", "hoje"),
    )
    return Document(
        "city", "Nota da cidade", "Portelva — 2025", "pt", "internal", "Interno", "hoje", "Fonte", blocks
    )


def _fpdf2(document: Document) -> tuple[bytes, str]:
    from fpdf import FPDF

    out = FPDF()
    out.add_page()
    out.set_font("helvetica", size=10)
    problems = []
    for block in document.blocks:
        try:
            if isinstance(block, Heading | Paragraph):
                out.multi_cell(0, 5, block.text)
            elif isinstance(block, Table):
                with out.table() as table:
                    for row in (block.header, *block.rows):
                        table.row(row)
            elif isinstance(block, Figure):
                out.image(io.BytesIO(block.svg.encode()), w=150)
        except Exception as exc:
            problems.append(f"{type(block).__name__}: {type(exc).__name__}: {str(exc)[:80]}")
    return bytes(out.output()), "; ".join(problems)


def _reportlab(document: Document) -> tuple[bytes, str]:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph as Para
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus import Table as Grid

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    story, problems = [], []
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            story.append(Para(block.text.replace("&", "&amp;").replace("<", "&lt;"), styles["Normal"]))
        elif isinstance(block, Table):
            story.append(Grid([list(block.header), *[list(r) for r in block.rows]]))
        elif isinstance(block, Figure):
            problems.append("Figure: no SVG without svglib")
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue(), "; ".join(problems)


def libraries(runs: int = 5) -> dict[str, Any]:
    """The same small document by each candidate library: median time, bytes, and what it could not do."""
    sample = _sample()
    makers = {"typst": lambda: (pdf.render(sample), ""), "fpdf2": lambda: _fpdf2(sample)}
    makers["reportlab"] = lambda: _reportlab(sample)
    found: dict[str, Any] = {}
    for name, make in makers.items():
        try:
            seconds, made, problems = [], b"", ""
            for _ in range(runs):
                start = time.perf_counter()
                made, problems = make()
                seconds.append(time.perf_counter() - start)
            text = pypdf.PdfReader(io.BytesIO(made)).pages[0].extract_text()
            unicode_ok = "≥" in text and "ç" in text
            found[name] = {
                "median_s": round(median(seconds), 4),
                "bytes": len(made),
                "unicode_text_kept": unicode_ok,
                "problems": problems,
            }
        except ImportError:
            found[name] = {"installed": False}
        except Exception as exc:
            found[name] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        print(name, found[name], flush=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", nargs="*", default=["demo"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--libraries", action="store_true")
    args = parser.parse_args()
    figures: dict[str, Any] = {"documents": {s: document_times(s, args.runs) for s in args.scales}}
    if args.libraries:
        figures["libraries"] = libraries()
    write_record("documents", figures, quick=False)


if __name__ == "__main__":
    main()
