"""Embedding one chart on another site: the ``?embed=true`` view and the words telling how to get it.

A page opened with ``embed=true`` in its address (Streamlit's own embed mode: no menu, header or
padding) shows one chart only: its title, the chart, its source line and the date of the release it
shows. The choices that made the chart (indicator, period, measure …) come from the same address
parameters as the full page, so the full page's address plus ``embed=true`` embeds what it shows; the
widgets stay available in a closed panel under the title.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator
from urllib.parse import urlencode

import streamlit as st

from observatory.i18n import LOCALES, format_date, get_locale, t
from observatory.services import publish
from observatory.ui.resources import reader, reads_published, settings

#: The address parameter Streamlit reads for its embed mode.
EMBED = "embed"


def active() -> bool:
    """True when the page was opened with ``embed=true`` (set by Streamlit from the address)."""
    return bool(st.context.is_embedded)


def language(default: str) -> str:
    """The language an embedded chart is shown in: the address's ``lang``, else the site's first one."""
    wanted = st.query_params.get("lang")
    return wanted if wanted in LOCALES else default


@contextlib.contextmanager
def controls() -> Iterator[None]:
    """Where a page draws its choices: in place, or in a closed panel when embedded."""
    if not active():
        yield
        return
    with st.expander(t("embed.controls")):
        yield


def credit() -> str:
    """Which release (or unpublished data) a chart shows: "Published 6 December 2026 · …"."""
    if not reads_published():
        return t("embed.unpublished")
    release = publish.current_release(reader(), settings().snapshot_path)
    if release is None:
        return t("embed.unpublished")
    return t("embed.credit", date=format_date(release.published_at))


def address(page: str) -> str:
    """The address of this page's chart as an embed: the page's address, its choices and ``embed=true``."""
    base = str(st.context.url or "").split("?", 1)[0] or f"/{page}"
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    params["lang"] = [get_locale()]
    params[EMBED] = ["true"]
    return f"{base}?{urlencode(params, doseq=True)}"


def snippet(page: str, title: str) -> str:
    """The HTML a website pastes to show this chart (the title is escaped: it may hold data text)."""
    return (
        f'<iframe src="{html.escape(address(page))}" title="{html.escape(title)}" '
        'width="100%" height="640" style="border:0" loading="lazy"></iframe>'
    )


def how_to(page: str, title: str) -> None:
    """The words and code telling a website how to embed the chart shown (not shown when embedded).

    An embedded chart is read by an anonymous visitor, so it always shows the published release.
    """
    if active():
        return
    with st.expander(t("embed.how_heading")):
        st.markdown(t("embed.how_text"))
        st.code(snippet(page, title), language="html", wrap_lines=True)
