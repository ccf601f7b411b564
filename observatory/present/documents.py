"""One door to the council documents, for the pages and the command line alike.

A :class:`Request` names the document (``district``, ``city``, ``evaluation``, ``diagnosis``), its area
and year and its language; :func:`build` makes the :class:`~observatory.present.document.Document` from
the store it is given (staff database → internal, published release → public) and :func:`write` renders
it as PDF or one self-contained HTML file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from observatory.domain import NotFound, ObservatoryError
from observatory.present import briefings, diagnosis, evaluation, html, pdf
from observatory.present.doc_parts import FORMATS, KINDS
from observatory.present.document import Document
from observatory.services import groups
from observatory.store import Store

__all__ = ["FORMATS", "KINDS", "DocumentError", "Request", "build", "filename", "format_of", "write"]


class DocumentError(ObservatoryError):
    """A document that cannot be made as asked (unknown district, no data, unknown format)."""


@dataclass(frozen=True, slots=True)
class Request:
    """Which document: its kind, the district or area grouping (district briefings only), the year, the
    language."""

    kind: str
    area: str | None = None
    year: int | None = None
    lang: str = "en"


def format_of(name: str) -> str:
    """``pdf`` or ``html`` from a file name.

    Raises:
        DocumentError: For any other extension.
    """
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in FORMATS:
        raise DocumentError(f"{name}: a document is written as .pdf or .html, not {suffix or 'no extension'}")
    return suffix


def build(store: Store, request: Request, *, now: datetime | None = None) -> Document:
    """The document asked for, from ``store``.

    Raises:
        DocumentError: If the kind is unknown, a district briefing names no district or an unknown one,
            or the store holds nothing to make it from.
    """
    if request.kind not in KINDS:
        raise DocumentError(f"unknown document {request.kind!r}; one of {', '.join(KINDS)}")
    try:
        if request.kind == "district":
            if not request.area:
                raise DocumentError("a district briefing needs a district code")
            if request.area in set(groups.list_groups(store)["code"].astype(str)):
                # The district briefing made for an area grouping (its code names nothing else).
                return briefings.group_briefing(
                    store, request.area, year=request.year, lang=request.lang, now=now
                )
            return briefings.district_briefing(
                store, request.area, year=request.year, lang=request.lang, now=now
            )
        if request.kind == "city":
            return briefings.city_briefing(store, lang=request.lang, now=now)
        if request.kind == "evaluation":
            return evaluation.evaluation(store, year=request.year, lang=request.lang, now=now)
        return diagnosis.diagnosis(store, year=request.year, lang=request.lang, now=now)
    except NotFound as exc:
        raise DocumentError(f"nothing to make the {request.kind} document from: {exc}") from exc


def render(document: Document, fmt: str) -> bytes:
    """The document's bytes as ``pdf`` or ``html``."""
    return pdf.render(document) if fmt == "pdf" else html.render(document)


def write(store: Store, request: Request, fmt: str, *, now: datetime | None = None) -> bytes:
    """Build the document and render it (see :func:`build`)."""
    return render(build(store, request, now=now), fmt)


def filename(request: Request, fmt: str) -> str:
    """A file name that says what the document is: ``district-05-2025-pt.pdf``."""
    parts = [request.kind, request.area or "", str(request.year or ""), request.lang]
    return "-".join(p for p in parts if p) + f".{fmt}"
