"""Council documents on screen: the Documents page, the download buttons other pages carry, and the
diagnosis's text blocks staff write for the year.

A document is built when its button is clicked (Streamlit runs the callable then, on its own thread),
from the data this run reads: staff see the staff database (marked internal on every page) and may
choose the published release instead; the public gets the release only.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from observatory import auth
from observatory.i18n import LANGUAGE_NAMES, LOCALES, get_locale, t
from observatory.present import diagnosis, documents
from observatory.services import editing, groups, profile_panel, views, where
from observatory.store import Store, queries
from observatory.ui import session, widgets
from observatory.ui.resources import cached, published, reader, reads_published

MIME = {"pdf": "application/pdf", "html": "text/html"}
INTERNAL, PUBLIC = "internal", "public"


def _maker(source: Store, request: documents.Request, fmt: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return documents.write(source, request, fmt)

    return make


def download(request: documents.Request, *, key: str, fmt: str = "pdf", label: str | None = None) -> None:
    """A button that builds the document from this run's data when clicked and downloads it."""
    st.download_button(
        label or t(f"documents.download.{request.kind}"),
        data=_maker(reader(), request, fmt),
        file_name=documents.filename(request, fmt),
        mime=MIME[fmt],
        key=key,
        on_click="ignore",
        icon=":material/description:",
    )


@cached()
def years() -> list[int]:
    """Years with data, newest first."""
    return queries.observation_years(reader())


@cached()
def districts() -> dict[str, str]:
    """District code → name, then area grouping code → name (said to be a grouping): a district briefing
    is made for either."""
    areas = queries.areas(reader(), level=1)
    found = dict(zip(areas["code"].astype(str), areas["name"].astype(str), strict=True))
    listed = groups.list_groups(reader())
    for code, name in zip(listed["code"].astype(str), listed["name"].astype(str), strict=True):
        found[code] = t("groups.tagged", name=name)
    return found


def _source() -> Store | None:
    """The store the chosen document is made from: staff may pick the release; the public reads it."""
    if reads_published():
        return reader()
    choice = widgets.select(
        t("documents.source"),
        [INTERNAL, PUBLIC],
        key="doc_source",
        radio=True,
        horizontal=True,
        format_func=lambda s: t(f"documents.source.{s}"),
    )
    if choice == INTERNAL:
        return reader()
    found = published()
    if found is None:
        st.info(t("documents.nothing_published"))
    return found


def page() -> None:
    """The Documents page: what to make, from which data, in which language and format."""
    kind = widgets.select(
        t("documents.kind"),
        list(documents.KINDS),
        key="doc_kind",
        format_func=lambda k: t(f"documents.kind.{k}"),
    )
    st.caption(t(f"documents.about.{kind}"))
    area = None
    if kind == "district":
        names = districts()
        if not names:
            st.info(t("map.no_data"))
            return
        area = widgets.select(
            t("common.district"), list(names), key="district", format_func=lambda c: names.get(c, c)
        )
    year = None
    if kind != "city":
        offered = [0, *years()]
        chosen = widgets.select(
            t("common.year"),
            offered,
            key="doc_year",
            format_func=lambda y: t("documents.latest") if not y else str(y),
        )
        year = chosen or None
    left, right = st.columns(2)
    with left:
        lang = widgets.select(
            t("documents.language"),
            list(LOCALES),
            key="doc_lang",
            default=get_locale(),
            format_func=lambda code: LANGUAGE_NAMES.get(code, code),
        )
    with right:
        fmt = widgets.select(
            t("documents.format"),
            list(documents.FORMATS),
            key="doc_format",
            radio=True,
            horizontal=True,
            format_func=lambda f: t(f"documents.format.{f}"),
        )
    source = _source()
    if source is None:
        return
    request = documents.Request(kind, area=area, year=year, lang=lang)
    st.download_button(
        t("documents.make"),
        data=_maker(source, request, fmt),
        file_name=documents.filename(request, fmt),
        mime=MIME[fmt],
        key="doc_download",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
    st.caption(t("documents.marks"))
    if kind == "diagnosis" and not reads_published() and auth.allowed(session.role(), "edit_strategy"):
        texts_form(year or (years() or [0])[0])


@cached()
def _drafts(year: int) -> dict[str, str]:
    store = reader()
    data = profile_panel.load(store)
    return diagnosis.drafts(store, data, where.grid(store), year, views.city_name(store))


def texts_form(year: int) -> None:
    """The diagnosis's text blocks for the year: the saved text, or the automatic draft to start from."""
    st.subheader(t("documents.texts_heading", year=year))
    st.caption(t("documents.texts_intro"))
    written = diagnosis.texts(reader(), year)
    drafts = _drafts(year)
    with st.form(f"diagnosis-texts-{year}"):
        typed = {
            block: st.text_area(
                t(f"documents.block.{block}"),
                value=written[block] or drafts[block],
                key=f"doc_text_{year}_{block}",
                height=120,
            )
            for block in diagnosis.BLOCKS
        }
        if not st.form_submit_button(t("documents.save_texts")):
            return
    actor = session.require("edit_strategy")
    saved = 0
    for block, text in typed.items():
        if text.strip() == (written[block] or drafts[block]).strip():
            continue
        result = editing.save_document_text(
            reader(), diagnosis.KIND, year, block, text, blocks=frozenset(diagnosis.BLOCKS), actor=actor
        )
        if result.issues:
            for issue in result.issues:
                st.error(
                    t("documents.text_refused", block=t(f"documents.block.{block}"), reason=issue.message)
                )
            return
        saved += 1
    st.success(t("documents.texts_saved", count=saved))


def city_button() -> None:
    """The city briefing, for the Overview."""
    download(documents.Request("city", lang=get_locale()), key="doc-city")


def district_button(code: str, year: int | None) -> None:
    """The district briefing of the district and year on screen, for the Profile."""
    download(documents.Request("district", area=code, year=year, lang=get_locale()), key="doc-district")


def evaluation_button() -> None:
    """The yearly evaluation, for the Strategy page."""
    download(documents.Request("evaluation", lang=get_locale()), key="doc-evaluation")
