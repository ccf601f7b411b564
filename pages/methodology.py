"""Methodology: every indicator as the observatory holds it, and the statistical methods in plain words."""

import streamlit as st

from observatory import ui
from observatory.i18n import format_number, t
from observatory.ui import methodology, widgets

ui.through_app()

st.title(t("methodology.title"))
st.markdown(t("methodology.intro"))

st.header(t("methodology.catalogue_heading"))
st.markdown(t("methodology.catalogue_intro"))
catalogue = methodology.catalogue_table()
left, right = st.columns([3, 2])
with left:
    kind = widgets.select(
        t("methodology.filter_kind"),
        [methodology.ALL, *methodology.KINDS],
        key="kind",
        radio=True,
        horizontal=True,
        format_func=lambda k: t("common.all") if k == methodology.ALL else t(f"kind.{k}"),
    )
with right:
    query = widgets.text(
        t("methodology.search"), key="search", placeholder=t("methodology.search_placeholder")
    )
shown = methodology.filter_catalogue(catalogue, kind, query)
st.caption(t("methodology.shown", shown=format_number(len(shown)), total=format_number(len(catalogue))))
if shown.empty:
    st.info(t("methodology.no_match"))
else:
    methodology.render_downloads(shown)
    methodology.render_catalogue(shown)

methodology.render_methods()
methodology.render_open_data()
