"""A council document as data: blocks of text, key figures, tables and figures, and who may read it.

The same :class:`Document` is written as a PDF (:mod:`observatory.present.pdf`) and as one self-contained
HTML file (:mod:`observatory.present.html`). Every text in it is plain text — a renderer never reads it
as markup — so a name typed by staff or read from a file prints as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

#: Who may read a document: made from the staff database ("internal") or from the published release.
Audience = Literal["internal", "public"]

#: What a table cell's colour says (the grid's states); "" for no colour.
CELL_STATES = ("worse", "better", "higher", "lower", "similar", "not_comparable", "withheld", "")


@dataclass(frozen=True, slots=True)
class Heading:
    """A section (level 1) or sub-section (level 2) title."""

    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Plain text; ``note`` prints it small (a method note, a source line)."""

    text: str
    note: bool = False


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """One headline: a label, the figure as shown, and the lines under it (rate, interval, change)."""

    label: str
    value: str
    lines: tuple[str, ...] = ()
    state: str = ""


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """Headlines side by side."""

    items: tuple[KeyFigure, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of text under a header, optionally with a state per cell that colours it (``states``).

    ``widths`` are relative column widths; ``caption`` says what the table shows (unit, period, source).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()
    states: tuple[tuple[str, ...], ...] = ()
    numeric: tuple[bool, ...] = ()


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart or map as SVG with what every figure states: title, unit, source, period and date."""

    svg: str
    title: str
    unit: str
    source: str
    period: str
    made: str
    alt: str = ""
    width: float = 1.0

    @property
    def caption(self) -> str:
        """The line under the figure: unit · period · source · date."""
        return " · ".join(part for part in (self.unit, self.period, self.source, self.made) if part)


@dataclass(frozen=True, slots=True)
class Legend:
    """Coloured keys with their words (the grid's states)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start the next block on a new page."""


Block = Heading | Paragraph | KeyFigures | Table | Figure | Legend | PageBreak


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document.

    Attributes:
        kind: ``district``, ``city``, ``evaluation`` or ``diagnosis``.
        title: The title on the first page and in the header of the others.
        subtitle: The area and period.
        lang: ``en``, ``pt`` or ``fr``.
        audience: ``internal`` (staff database: marked on every page) or ``public`` (published release).
        mark: The words printed on every page (the internal mark, or the release and its disclosure rule).
        made: When it was made, as shown.
        source: The data it was made from, as shown.
        blocks: The content, in order.
    """

    kind: str
    title: str
    subtitle: str
    lang: str
    audience: Audience
    mark: str
    made: str
    source: str
    blocks: tuple[Block, ...] = field(default=())
    created: datetime | None = None

    def texts(self) -> list[str]:
        """Every text a reader sees, in order (for tests and search)."""
        found = [self.title, self.subtitle, self.mark, self.made, self.source]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                found.append(block.text)
            elif isinstance(block, KeyFigures):
                for item in block.items:
                    found += [item.label, item.value, *item.lines]
            elif isinstance(block, Table):
                found += [*block.header, *(cell for row in block.rows for cell in row), block.caption]
            elif isinstance(block, Figure):
                found += [block.title, block.caption]
            elif isinstance(block, Legend):
                found += [words for _, words in block.items]
        return found
