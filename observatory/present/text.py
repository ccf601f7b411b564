"""Text that users or files supplied, made safe to show: the one escaping rule, for Markdown and for plotly.

Names, sources, themes, titles, partner names, assessments, break notes, district names from boundary
files and upload file names are data. They are always shown as the characters they hold: never as a
link, an image, markup, a formula or a hover-template placeholder. Markdown is for text the project itself
writes (the catalogues), and user text goes into it only through :func:`markdown`; plotly renders a
subset of HTML (``<a href>``, ``<b>``, ``<br>``, ``<span style>``) in every label, hover and title, so
user text goes into a figure only through :func:`plotly` (or :func:`safe_figure`, which applies it to
every value a figure's traces carry).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from observatory.charts import escape_text
from observatory.i18n import t

# Characters with a meaning anywhere in a line of CommonMark, GitHub-flavoured Markdown or Streamlit's
# directives (:color[...], :material/icon:, $math$): escaped with a backslash, each stands for itself.
# ":" breaks the autolink literals (http://x, mailto:) and "@" the e-mail literal (a@b.org).
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>#|$~:&@")
# Characters that make Markdown only in one place: "." after www (autolink literal www.x.org); a list,
# quote or rule marker at the start of the text ("- x", "+ x", "1. x", "1) x").
_MARKDOWN_PLACED = re.compile(r"(?i)(?<=www)\.|^(\s*)([-+=])|^(\s*\d{1,9})([.)])")


# GitHub-flavoured autolinks (http://x, www.x, a@b.org) are found in the text after escapes are decoded,
# so a backslash does not stop them: an invisible word joiner inside the pattern does (the text looks the
# same). Measured in Chromium: 136 links on the overview from the corpus with backslashes alone.
_AUTOLINKS = re.compile(r"(?i)(?<=https)(?=\\:)|(?<=http)(?=\\:)|(?<=www)(?=\\\.)|(?<=\\@)")
_WORD_JOINER = "\u2060"


def _placed(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    if match.group(4):
        return f"{match.group(3)}\\{match.group(4)}"
    return "\\."


def markdown(text: object) -> str:
    """User or file text made safe to place inside Markdown: it shows as typed, and only as text.

    Line breaks become spaces (a newline could start a heading, list or table); every Markdown
    character is escaped with a backslash.
    """
    flat = " ".join(str(text).splitlines())
    escaped = "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in flat)
    return _AUTOLINKS.sub(_WORD_JOINER, _MARKDOWN_PLACED.sub(_placed, escaped))


def code_span(text: object) -> str:
    """User text as inline code (nothing inside is interpreted), or escaped text if it holds a backtick."""
    flat = " ".join(str(text).splitlines())
    return f"`{flat}`" if flat and "`" not in flat else markdown(flat)


def plotly(text: object, *, template: bool = False) -> str:
    """User or file text made safe for a plotly label, hover, title or annotation.

    ``&``, ``<`` and ``>`` become HTML entities (plotly draws entities as their character, tags as
    markup) and line breaks become spaces. With ``template``, for text placed inside a hover or text
    template, ``%{`` cannot open a placeholder either. The rule itself is the chart builders'
    (:func:`observatory.charts.escape_text`), so figures built below this room escape the same way.
    """
    return escape_text(text, template=template)


def _escaped(value: Any) -> Any:
    """Strings (also inside lists and nested lists) escaped for plotly; numbers and the rest unchanged."""
    if isinstance(value, str):
        return plotly(value)
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    if getattr(value, "dtype", None) is not None and value.dtype.kind in "OUS":
        return [_escaped(v) for v in value.tolist()]
    return value


def _needs_escape(value: Any) -> bool:
    """Whether a trace value holds a string that :func:`plotly` would change."""
    if isinstance(value, str):
        return plotly(value) != value
    if isinstance(value, list | tuple):
        return any(_needs_escape(v) for v in value)
    if getattr(value, "dtype", None) is not None and value.dtype.kind in "OUS":
        return any(_needs_escape(v) for v in value.tolist())
    return False


# Trace properties that can hold data text drawn by plotly (labels, categories, hover data, legend names).
TRACE_TEXT = ("x", "y", "text", "hovertext", "customdata", "name", "labels", "ids")
_ESCAPED = "_observatory_escaped"
# Annotation properties that are positions on a category axis (the same names as the categories).
_POSITIONS = ("x", "y")


def _escape_layout(layout: Any) -> None:
    """Category orders and category positions of annotations, escaped as the categories are."""
    for axis in (name for name in layout if name.startswith(("xaxis", "yaxis"))):
        order = layout[axis].categoryarray
        if order is not None and _needs_escape(order):
            layout[axis].categoryarray = _escaped(order)
    for note in layout.annotations or ():
        for prop in _POSITIONS:
            if isinstance(note[prop], str):
                note[prop] = plotly(note[prop])


def safe_figure(figure: Any) -> Any:
    """The figure with every string its traces carry escaped for plotly (see :func:`plotly`).

    Applied once, where every chart is shown, so no builder can forget it. Templates written by the
    project (``hovertemplate``) are left as they are; layout texts written from user data (titles, break
    notes, panel titles) are escaped where they are built. Category positions of annotations are escaped
    the same way as the categories, so a label stays beside its bar. A figure is escaped once (a cached
    figure shown again is not escaped twice).
    """
    if getattr(figure, _ESCAPED, False):
        return figure
    for trace in figure.data:
        for prop in TRACE_TEXT:
            if prop in trace and _needs_escape(trace[prop]):
                trace[prop] = _escaped(trace[prop])
    _escape_layout(figure.layout)
    setattr(figure, _ESCAPED, True)
    return figure


def joined(parts: Iterable[object], sep: str = " · ") -> str:
    """User texts joined for Markdown, each escaped."""
    return sep.join(markdown(p) for p in parts)


def message(key: str, /, **values: object) -> str:
    """A catalogue message (Markdown the project wrote) with user or file values placed in it as text."""
    return t(key, **{name: markdown(value) for name, value in values.items()})
