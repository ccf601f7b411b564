"""A :class:`~observatory.present.document.Document` as PDF, typeset by Typst (PyPI ``typst``).

The document travels to the template as JSON in ``sys.inputs``: the template shows every string as text,
so nothing a user typed or a file held is ever read as Typst markup. Fonts are Typst's embedded ones
(Libertinus Serif, New Computer Modern, DejaVu Sans Mono), subset into the PDF; system fonts are not
read, so the output is the same on every machine and needs no system package.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typst

from observatory.charts.palette import STATE_COLOURS, STATE_INK
from observatory.present.document import Block, Document, Figure, PageBreak

TEMPLATE = Path(__file__).parent / "templates" / "document.typ"


def block_data(block: Block) -> dict[str, Any]:
    """One block as plain data, with its ``type`` named."""
    data = {f.name: getattr(block, f.name) for f in fields(block)} if is_dataclass(block) else {}
    if isinstance(block, PageBreak):
        data = {}
    data["type"] = type(block).__name__.lower()
    if isinstance(block, Figure):
        data["caption"] = block.caption
    if "items" in data and data["items"] and is_dataclass(data["items"][0]):
        data["items"] = [asdict(item) for item in data["items"]]
    return data


def document_data(document: Document) -> dict[str, Any]:
    """The whole document as JSON-ready data for the template."""
    head = {
        f.name: getattr(document, f.name) for f in fields(document) if f.name not in ("blocks", "created")
    }
    return {
        **head,
        "blocks": [block_data(block) for block in document.blocks],
        "colours": STATE_COLOURS,
        "ink": STATE_INK,
    }


def render(document: Document) -> bytes:
    """The PDF bytes of a document.

    Raises:
        typst.TypstError: If the template cannot be typeset (a defect, never the data's fault).
    """
    created = document.created or datetime.now(UTC)
    return typst.compile(
        str(TEMPLATE),
        font_paths=[],
        ignore_system_fonts=True,
        sys_inputs={"document": json.dumps(document_data(document), ensure_ascii=False, default=str)},
        timestamp=int(created.timestamp()),
    )
