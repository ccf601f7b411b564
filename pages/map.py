"""District map: any indicator and period as a count, a rate, a percent or a benchmark against the city."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import components, data
from observatory.ui import map as district_map

ui.through_app()

st.title(t("map.title"))
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
st.subheader(
    components.message("overview.map_heading", indicator=info.name, year=district_map.period_text(period))
)
district_map.district_map(info, period, measure, scheme, key="map")
st.subheader(t("map.table_heading"))
district_map.ranked_table(info, period, measure, key="table-csv")
district_map.footnotes(info, period, measure)
if info.unavailable_denominator:
    st.caption(t("map.no_denominators", kind=district_map.denominator_text(info.unavailable_denominator)))
