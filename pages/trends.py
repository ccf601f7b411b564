"""Trends: an indicator over time for the city, chosen districts and groups, and whether it is changing."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import components, data, embed, trends, widgets

ui.through_app()

embedded = embed.active()
if not embedded:
    st.title(t("trends.title"))
with embed.controls():
    code = components.indicator_picker()
    info = data.indicator(code)
    views = trends.view_options(code)
    if not views:
        st.info(t("map.no_data"))
        st.stop()
    areas = trends.area_names()
    districts = widgets.multiselect(
        t("trends.districts"),
        [area for area in areas if area != trends.city()],
        key="districts",
        format_func=areas.get,
        placeholder=t("trends.districts_placeholder"),
    )
    named = trends.group_names()
    chosen = (
        widgets.multiselect(
            t("trends.groups"),
            list(named),
            key="groups",
            format_func=named.get,
            placeholder=t("trends.groups_placeholder"),
        )
        if named
        else []
    )
    left, right = st.columns(2)
    with left:
        view = widgets.select(
            t("trends.view"), views, key="view", radio=True, horizontal=True, format_func=trends.view_label
        )
    with right:
        measure = widgets.select(
            t("overview.measure"),
            trends.measures(info),
            key="measure",
            radio=True,
            horizontal=True,
            format_func=lambda m: components.measure_label(info, m),
        )
heading = components.message("trends.chart_heading", indicator=info.name, view=trends.view_label(view))
st.header(heading)
trends.trend_chart(info, view, measure, districts, key="trend", download=not embedded, chosen=chosen)
if embedded:
    st.caption(embed.credit())
    st.stop()
embed.how_to("trends", heading)
st.header(t("trends.verdict_heading"))
trends.verdict_table(info, measure, districts, key="verdicts", chosen=chosen)
if trends.is_monthly(info):
    st.header(t("trends.change_heading"))
    trends.change_table(info, measure, districts, key="changes", chosen=chosen)
