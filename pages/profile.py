"""District profile: every indicator of one district against the city, its trends and its context."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import compare, components, documents, embed, profile, widgets

ui.through_app()

# Embedded (?embed=true): the district's figures and charts alone, the choices in a closed panel.
embedded = embed.active()
if not embedded:
    st.title(t("profile.title"))
names = profile.district_names()
options, default_year = profile.year_options()
if not names or not options:
    st.info(t("map.no_data"))
    st.stop()
with embed.controls():
    left, middle, right = st.columns(3)
    with left:
        district = widgets.select(
            t("common.district"), list(names), key="district", format_func=lambda c: f"{c} · {names[c]}"
        )
    with middle:
        year = widgets.select(t("common.year"), options, key="year", default=default_year)
    with right:
        group = compare.choose_group()
if group:
    compare.group_profile_view(group, year)
    if embedded:
        st.caption(embed.credit())
    st.stop()
view = profile.district_profile(district, year)
heading = components.message("profile.heading", district=view.name, year=year)
st.header(heading)
if not embedded:
    documents.district_button(district, year)
profile.context_metrics(view)
profile.crime_section(view)
for kind in profile.KINDS:
    profile.kind_section(view, kind)
profile.table_download(view)
profile.trends_section(view)
if embedded:
    profile.footnotes(view)
    st.caption(embed.credit())
    st.stop()
compare.peers_section(district)
embed.how_to("profile", heading)
profile.footnotes(view)
