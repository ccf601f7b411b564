"""District map: any indicator and period as a count, a rate, a percent or a benchmark against the city."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import compare, components, data, embed, map_panel
from observatory.ui import map as district_map

ui.through_app()

embedded = embed.active()
if not embedded:
    st.title(t("map.title"))
with embed.controls():
    code = components.indicator_picker()
    info = data.indicator(code)
    options = district_map.period_options(code)
    if not options.years and not options.months:
        st.info(t("map.no_data"))
        st.stop()
    left, middle, right = st.columns(3)
    with left:
        period = district_map.choose_period(options)
    with middle:
        measure = district_map.choose_measure(info, district_map.measures(code))
    with right:
        scheme = district_map.choose_scheme() if measure != "benchmark" else "quantiles"
    left, right = st.columns(2)
    with left:
        versus = compare.choose_versus(info) if measure == "benchmark" else compare.CITY
    with right:
        group = compare.choose_group()
heading = components.message(
    "overview.map_heading", indicator=info.name, year=district_map.period_text(period)
)
st.header(heading)
if embedded:
    district_map.district_map(info, period, measure, scheme, key="map", versus=versus)
    district_map.footnotes(info, period, measure)
    st.caption(embed.credit())
    st.stop()
# Side by side on a wide screen, one under the other on a phone (ui/assets/site.css).
on_map, beside = st.columns([3, 2])
with on_map:
    tapped = district_map.district_map(
        info, period, measure, scheme, key="map", versus=versus, layers=compare.overlays(group)
    )
with beside:
    map_panel.show(info, period.label, measure, tapped)
compare.group_caption(info, period, group)
if compare.is_peers(versus):
    compare.peers_note(info)
compare.funnel_section(info, period, key="funnel")
embed.how_to("map", heading)
st.header(t("map.table_heading"))
district_map.ranked_table(info, period, measure, key="table-csv", versus=versus)
district_map.footnotes(info, period, measure)
if info.unavailable_denominator:
    st.caption(t("map.no_denominators", kind=district_map.denominator_text(info.unavailable_denominator)))
