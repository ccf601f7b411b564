"""A :class:`~observatory.present.document.Document` as one self-contained HTML file.

Styles and figures are inline (SVG in the page), so the file opens offline, prints with the mark on every
page, and can be mailed or put on the city's website as it is. Every text is HTML-escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

from observatory.charts.palette import STATE_COLOURS, STATE_INK
from observatory.present.document import (
    Document,
    Figure,
    Heading,
    KeyFigures,
    Legend,
    PageBreak,
    Paragraph,
    Table,
)

_STYLE = (Path(__file__).parent / "templates" / "document.css").read_text(encoding="utf-8")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(block: Table) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in block.header)
    rows = []
    for r, row in enumerate(block.rows):
        cells = []
        for c, value in enumerate(row):
            state = block.states[r][c] if r < len(block.states) and c < len(block.states[r]) else ""
            style = f' style="background:{STATE_COLOURS[state]};color:{STATE_INK[state]}"' if state else ""
            numeric = c < len(block.numeric) and block.numeric[c]
            cls = ' class="n"' if numeric else ""
            cells.append(f"<td{cls}{style}>{_e(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{_e(block.caption)}</caption>" if block.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _block(block: object) -> str:
    if isinstance(block, Heading):
        tag = "h2" if block.level == 1 else "h3"
        return f"<{tag}>{_e(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        return f'<p class="note">{_e(block.text)}</p>' if block.note else f"<p>{_e(block.text)}</p>"
    if isinstance(block, KeyFigures):
        items = "".join(
            f'<div class="key"><b>{_e(i.label)}</b><span class="v">{_e(i.value)}</span>'
            + "".join(f"<small>{_e(line)}</small>" for line in i.lines)
            + "</div>"
            for i in block.items
        )
        return f'<div class="keys">{items}</div>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        # The SVG is built by observatory.present.svg, which escapes every text it holds.
        caption = f"<figcaption>{_e(block.caption)}</figcaption>"
        return f"<figure><h3>{_e(block.title)}</h3>{block.svg}{caption}</figure>"
    if isinstance(block, Legend):
        keys = "".join(
            f'<span><i style="background:{STATE_COLOURS[state]}"></i>{_e(words)}</span>'
            for state, words in block.items
        )
        return f'<p class="legend">{keys}</p>'
    if isinstance(block, PageBreak):
        return '<div class="break"></div>'
    raise TypeError(f"not a document block: {block!r}")


def render(document: Document) -> bytes:
    """The document as one UTF-8 HTML file."""
    body = "\n".join(_block(block) for block in document.blocks)
    page = f"""<!DOCTYPE html>
<html lang="{_e(document.lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(document.title)}</title><style>{_STYLE}</style></head>
<body>
<header class="running"><span class="mark {_e(document.audience)}">{_e(document.mark)}</span></header>
<main>
<h1>{_e(document.title)}</h1>
<p class="subtitle">{_e(document.subtitle)}</p>
{body}
</main>
<footer>{_e(document.source)} · {_e(document.made)}</footer>
</body>
</html>
"""
    return page.encode("utf-8")
