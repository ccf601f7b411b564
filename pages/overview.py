"""City overview: one indicator by district on a map, and the city's trend."""

import streamlit as st

from observatory.i18n import t
from observatory.ui import components, data, widgets

st.title(t("overview.title"))
catalogue = data.catalogue()
names = dict(zip(catalogue["code"], catalogue["name"], strict=True))
results = catalogue.loc[catalogue["kind"] == "result", "code"]
code = widgets.select(
    t("common.indicator"),
    list(names),
    key="indicator",
    format_func=names.get,
    default=results.iloc[0] if len(results) else None,
)
info = data.indicator(code)
years = data.years(code)
if not years:
    st.info(t("map.no_data"))
    st.stop()
left, right = st.columns(2)
with left:
    year = widgets.select(t("common.year"), years, key="year")
with right:
    measures = ["rate", "count"] if info.denominator_kind else ["value"]
    measure = widgets.select(
        t("overview.measure"),
        measures,
        key="measure",
        radio=True,
        horizontal=True,
        format_func=lambda m: components.measure_label(info, m),
    )
st.subheader(t("overview.map_heading", indicator=info.name, year=year))
components.district_map(info, data.district_year(code, year), data.district_geojson(), measure, key="map")
granularities = ["year", "quarter", "month"] if info.additive else ["year"]
st.subheader(t("overview.trend_heading", indicator=info.name))
granularity = widgets.select(
    t("overview.granularity"),
    granularities,
    key="granularity",
    radio=True,
    horizontal=True,
    format_func=lambda g: t(f"granularity.{g}"),
)
components.city_trend(info, data.city_series(code, granularity), granularity=granularity, key="trend")
