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

import html
import re
from collections.abc import Iterable
from typing import Any

from observatory.i18n import t

# Every character with a meaning in CommonMark, GitHub-flavoured Markdown or Streamlit's directives
# (:color[...], :material/icon:, $math$): escaped with a backslash, it stands for itself. ":" breaks
# the autolink literals http://x and mailto:, "@" the e-mail literal a@b.org.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-!|$~:&@")
# A "." is escaped only where it makes Markdown: an autolink literal (www.x.org) and an ordered list (1. x).
_MARKDOWN_DOTS = re.compile(r"(?i)(?<=www)\.|(?<=^\d)\.|(?<=^\d\d)\.|(?<=^\d\d\d)\.")


def markdown(text: object) -> str:
    """User or file text made safe to place inside Markdown: it shows as typed, and only as text.

    Line breaks become spaces (a newline could start a heading, list or table); every Markdown
    character is escaped with a backslash.
    """
    flat = " ".join(str(text).splitlines())
    escaped = "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in flat)
    return _MARKDOWN_DOTS.sub(r"\\.", escaped)


def plotly(text: object, *, template: bool = False) -> str:
    """User or file text made safe for a plotly label, hover, title or annotation.

    ``&``, ``<`` and ``>`` become HTML entities (plotly draws entities as their character, tags as
    markup) and line breaks become spaces. With ``template``, for text placed inside a hover or text
    template, ``%{`` cannot open a placeholder either.
    """
    flat = html.escape(" ".join(str(text).splitlines()), quote=False)
    return flat.replace("%{", "%%{") if template else flat


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
TRACE_TEXT = ("x", "y", "text", "hovertext", "customdata", "name", "labels", "ids", "legendgrouptitle")
_ESCAPED = "_observatory_escaped"
# Annotation properties that are positions on a category axis (the same names as the categories).
_POSITIONS = ("x", "y")


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
            if prop == "legendgrouptitle" or prop not in trace:
                continue
            value = trace[prop]
            if value is not None and _needs_escape(value):
                trace[prop] = _escaped(value)
    for note in figure.layout.annotations or ():
        for prop in _POSITIONS:
            if isinstance(note[prop], str):
                note[prop] = plotly(note[prop])
    setattr(figure, _ESCAPED, True)
    return figure


def joined(parts: Iterable[object], sep: str = " · ") -> str:
    """User texts joined for Markdown, each escaped."""
    return sep.join(markdown(p) for p in parts)


def message(key: str, /, **values: object) -> str:
    """A catalogue message (Markdown the project wrote) with user or file values placed in it as text."""
    return t(key, **{name: markdown(value) for name, value in values.items()})
