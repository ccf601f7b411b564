"""The floor: the least a Streamlit page can do to show one indicator on a map and as a city trend.

A bare script, no observatory code: it reads the latest value per district and the city's monthly
trend of one indicator from the same DuckDB file the app reads (one cached connection, a cursor per
call, results cached), and draws one ``choropleth_map`` and one line chart. It caches what the app
caches: its data and its built figures (kept as shared resources, as the app keeps its figures), so a
warm rerun only serialises them. The page benchmark runs it in the same process as the app's pages;
the app's targets are ratios to it.

The database is named by the environment variable BENCH_FLOOR_DB.
"""

import json
import os

import duckdb
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

LATEST = """
SELECT o.area_code, a.name, o.value
FROM observations o JOIN areas a ON a.code = o.area_code
WHERE o.indicator_code = ? AND a.level = 1 AND o.period_start = (
    SELECT max(period_start) FROM observations WHERE indicator_code = ?)
"""
TREND = """
SELECT o.period_start, sum(o.value) AS value
FROM observations o JOIN areas a ON a.code = o.area_code
WHERE o.indicator_code = ? AND a.level = 1
GROUP BY 1 ORDER BY 1
"""


@st.cache_resource
def connection() -> duckdb.DuckDBPyConnection:
    """One read-only connection per process."""
    return duckdb.connect(os.environ["BENCH_FLOOR_DB"], read_only=True)


@st.cache_data
def query(sql: str, params: tuple) -> pd.DataFrame:
    """A cursor per call: a connection is not shareable between sessions' threads."""
    return connection().cursor().execute(sql, list(params)).df()


@st.cache_data
def geojson() -> dict:
    """The districts' display geometries as a FeatureCollection keyed by code."""
    rows = (
        connection().cursor().execute("SELECT code, display_geometry FROM areas WHERE level = 1").fetchall()
    )
    features = [{"type": "Feature", "id": c, "properties": {}, "geometry": json.loads(g)} for c, g in rows]
    return {"type": "FeatureCollection", "features": features}


@st.cache_resource
def map_figure(code: str) -> go.Figure:
    """The indicator's choropleth, built once (Streamlit serialises a copy at every run)."""
    return px.choropleth_map(
        query(LATEST, (code, code)),
        geojson=geojson(),
        locations="area_code",
        color="value",
        hover_name="name",
        map_style="white-bg",
    )


@st.cache_resource
def trend_figure(code: str) -> go.Figure:
    """The indicator's city trend, built once."""
    return px.line(query(TREND, (code,)), x="period_start", y="value")


codes = query("SELECT code FROM indicators ORDER BY code", ())["code"].tolist()
code = st.selectbox("Indicator", codes, key="indicator")
st.plotly_chart(map_figure(code), key="map")
st.plotly_chart(trend_figure(code), key="trend")
