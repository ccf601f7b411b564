"""Fair comparison on the map page: area groupings drawn on the map, the benchmark against similar districts,
and the funnel plot linked to the map (a selection on either outlines or marks the districts on the other).

Reads are cached per source (staff store or release) like every dashboard read. The districts selected in
the funnel or by a box or lasso on the map live in the session under :data:`HIGHLIGHT`.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from observatory import charts
from observatory.charts.maps import outline_trace
from observatory.domain import Indicator, Role
from observatory.i18n import format_number, format_total, get_locale, t
from observatory.present import group_table, text
from observatory.services import funnelview, group_profile, groups, peers
from observatory.services.mapview import MapPeriod
from observatory.stats import funnel as stats_funnel
from observatory.ui import components, data, session, widgets
from observatory.ui.methodology import escape
from observatory.ui.resources import cached, reader

HIGHLIGHT = "highlighted_districts"
CITY, PEERS = "city", "peers"
NO_GROUP = ""


@cached()
def group_list() -> pd.DataFrame:
    """The groupings of the source read (code, name, members, member_codes)."""
    return groups.list_groups(reader())


@cached()
def group_outline(code: str) -> dict | None:
    """A grouping as one outline (the union of its members)."""
    return groups.outline(reader(), code)


@cached()
def group_figure(indicator: str, period: str, code: str) -> groups.mapview.CityFigure:
    """A grouping's figure for one indicator and map period."""
    return groups.figure(reader(), data.indicator(indicator), MapPeriod.parse(period), code)


WEIGHTS = "peer_weights"


@cached()
def context_variables() -> list[str]:
    """The context variables similar districts can be found on."""
    return peers.variables(reader())


def weights_text() -> str:
    """The weights staff chose this session, as text ("" for the default: every variable, weight 1)."""
    chosen = st.session_state.get(WEIGHTS, {})
    return ";".join(f"{k}={v:g}" for k, v in sorted(chosen.items()) if v != 1.0)


def _weights(text: str) -> dict[str, float]:
    return {k: float(v) for k, v in (part.split("=", 1) for part in text.split(";") if part)}


@cached()
def similar(weights: str = "") -> peers.stats_peers.Peers:
    """Every district's similar districts on the context, with the weights given as text."""
    return peers.nearest(reader(), weights=_weights(weights) or None)


def versus_key(choice: str) -> str:
    """What a map compares with, as a cache key: ``city``, or ``peers`` with the chosen weights."""
    return f"{PEERS}|{weights_text()}" if choice == PEERS else CITY


def is_peers(versus: str) -> bool:
    """True when a map compares with similar districts."""
    return versus.startswith(PEERS)


@cached()
def versus_peers(indicator: str, period: str, versus: str = PEERS) -> pd.DataFrame:
    """The map's table with each district benchmarked against its similar districts."""
    found = similar(versus.partition("|")[2])
    return peers.versus_peers(reader(), data.indicator(indicator), MapPeriod.parse(period), found)


@cached()
def funnel_data(indicator: str, period: str) -> funnelview.Funnel:
    """The funnel of one indicator and map period."""
    return funnelview.funnel(reader(), indicator, period)


def highlighted() -> list[str]:
    """Districts selected in the funnel or by a box or lasso on the map."""
    return list(st.session_state.get(HIGHLIGHT, []))


def choose_group() -> str:
    """A grouping to draw on the map (none by default); offered only when groupings exist."""
    found = group_list()
    if found.empty:
        return NO_GROUP
    names = dict(zip(found["code"].astype(str), found["name"].astype(str), strict=True))
    return widgets.select(
        t("groups.choose"),
        [NO_GROUP, *names],
        key="group",
        format_func=lambda c: names.get(c, t("groups.none")) if c else t("groups.none"),
    )


def choose_versus(info: Indicator) -> str:
    """Compare with the city or with similar districts (only when context indicators exist)."""
    if not info.comparable_with_city or similar().variables.empty:
        return CITY
    choice = widgets.select(
        t("map.versus"),
        [CITY, PEERS],
        key="versus",
        radio=True,
        horizontal=True,
        format_func=lambda v: t(f"map.versus_{v}"),
    )
    return versus_key(choice)


def overlays(group: str) -> list[dict]:
    """Traces drawn over the map: the chosen grouping's outline and the highlighted districts."""
    layers = []
    if group:
        shape = group_outline(group)
        names = dict(zip(group_list()["code"], group_list()["name"], strict=True))
        if shape is not None:
            layers.append(
                outline_trace([shape], name=str(names.get(group, group)), colour="#000000", width=4)
            )
    marked = set(highlighted())
    if marked:
        features = [f for f in data.district_geojson()["features"] if str(f["id"]) in marked]
        layers.append(outline_trace(features, name=t("funnel.selected"), colour="#e7298a", width=3))
    return layers


def group_caption(info: Indicator, period: MapPeriod, group: str) -> None:
    """The grouping's figure under the map, by the one total rule, and how it is made."""
    if not group:
        return
    found = group_list().set_index("code").loc[group]
    figure = group_figure(info.code, period.label, group)
    decimals = 2 if info.has_rate else 0
    value = format_total(figure.reference, figure.low, figure.high, str(figure.basis), decimals=decimals)
    label = components.measure_label(info, "rate" if info.has_rate else "value")
    st.markdown(t("groups.figure", group=escape(found["name"]), members=int(found["members"]), value=value))
    st.caption(f"{label} · {t('groups.method')}")


def peers_note(info: Indicator) -> None:
    """How similar districts are found, and which districts have no close neighbours."""
    found = similar(weights_text())
    names = {str(f["id"]): str(f["properties"]["name"]) for f in data.district_geojson()["features"]}
    st.caption(t("peers.method", count=peers.stats_peers.DEFAULT_COUNT))
    if found.not_close:
        listed = ", ".join(escape(names.get(c, c)) for c in found.not_close)
        st.warning(t("peers.not_close_count", count=len(found.not_close), districts=listed), icon=None)
    if found.incomplete:
        st.caption(
            t("peers.incomplete", districts=", ".join(escape(names.get(c, c)) for c in found.incomplete))
        )
    if found.neighbours["tied"].any():
        st.caption(t("peers.tied"))
    del info


def funnel_section(info: Indicator, period: MapPeriod, *, key: str) -> None:
    """The funnel plot of the map's indicator and period, linked to the map through the highlight."""
    if not funnelview.available(info):
        return
    found = funnel_data(info.code, period.label)
    if found.points.empty:
        return
    st.subheader(t("funnel.heading"))
    st.caption(t("funnel.select_hint"))
    fig = charts.funnel_plot(
        found.points,
        found.lines,
        benchmark=found.benchmark,
        place_labels={str(p): t(f"funnel.place.{p}") for p in stats_funnel.Place if p != "unknown"},
        level_labels={0.95: t("funnel.limit_95"), 0.998: t("funnel.limit_998")},
        benchmark_label=t(f"funnel.centre_{found.centre}"),
        x_title=t(f"denominator.{info.denominator_kind}"),
        y_title=components.measure_label(info, "rate"),
        highlight=highlighted(),
        multiplier=info.multiplier,
    )
    event = components.chart(
        fig,
        key=key,
        title=f"{t('funnel.heading')} — {info.name}",
        source=info.source,
        on_select="rerun",
        selection_mode=("points", "box", "lasso"),
    )
    chosen = charts.selected_codes(list(event.selection.points) if event else [])
    if chosen and chosen != highlighted():
        st.session_state[HIGHLIGHT] = chosen
        st.rerun()
    summary = found.summary()
    st.caption(
        t(
            "funnel.outside",
            above=summary["above_95"],
            below=summary["below_95"],
            beyond=summary["outside_998"],
        )
    )
    _method(found, info)
    if highlighted() and st.button(t("funnel.clear"), key=f"{key}-clear"):
        st.session_state[HIGHLIGHT] = []
        st.rerun()


def _method(found: funnelview.Funnel, info: Indicator) -> None:
    centre = t(f"funnel.centre_{found.centre}").lower()
    lines = [t("funnel.method", centre=centre)]
    spread = found.spread
    if spread.overdispersed:
        tau = math.sqrt(spread.tau2) * info.multiplier
        multiplier = format_number(info.multiplier)
        lines.append(
            t(
                "funnel.overdispersed",
                phi=format_number(spread.phi, decimals=2),
                tau=format_number(tau, decimals=2),
                multiplier=multiplier,
            )
        )
    elif math.isfinite(spread.phi):
        lines.append(t("funnel.not_overdispersed", phi=format_number(spread.phi, decimals=2)))
    if found.withheld:
        lines.append(t("funnel.withheld", count=len(found.withheld)))
    st.caption(" ".join(lines))


def draw(fig_spec: dict, layers: list[dict]) -> go.Figure:
    """A built map with overlay traces appended (not validated again: both are built by chart builders)."""
    spec = {**fig_spec, "data": [*fig_spec["data"], *layers]}
    return go.Figure(spec, _validate=False)


def locale() -> str:
    """The reader's language (cache keys)."""
    return get_locale()


@cached()
def group_profile_table(code: str, year: int) -> pd.DataFrame:
    """A grouping's profile for one year (see :mod:`services.group_profile`)."""
    return group_profile.group_profile(reader(), code, year)


def group_profile_view(code: str, year: int) -> None:
    """A grouping's profile: its members, then every indicator that adds up beside the city."""
    found = group_list().set_index("code").loc[code]
    names = {str(f["id"]): str(f["properties"]["name"]) for f in data.district_geojson()["features"]}
    members = [names.get(str(c), str(c)) for c in found["member_codes"]]
    st.header(t("profile.group_heading", group=escape(found["name"]), members=int(found["members"])))
    st.caption(t("profile.group_members", districts=", ".join(escape(m) for m in members)))
    frame = group_profile_table(code, year)
    infos = {str(c): data.indicator(str(c)) for c in frame["indicator_code"]}
    st.dataframe(group_table.display_table(frame, infos), hide_index=True, width="stretch")
    st.caption(t("groups.method"))
    components.download(
        group_table.download_table(frame, infos).assign(group=code, year=year),
        f"group-{code}-{year}.csv",
        key="group-csv",
        words=group_table.WORDS,
    )


def peers_section(district: str) -> None:
    """A district's similar districts: each with its distance, the variables, weights and their spread;
    signed-in staff may change the weights (0 leaves a variable out) for their session."""
    if session.role() is not Role.PUBLIC:
        weights_form()
    found = similar(weights_text())
    if found.variables.empty:
        st.caption(t("peers.no_context"))
        return
    names = {str(f["id"]): str(f["properties"]["name"]) for f in data.district_geojson()["features"]}
    st.subheader(t("peers.heading"))
    mine = found.of(district)
    if district in found.not_close:
        st.warning(t("peers.not_close", district=escape(names.get(district, district))))
    st.dataframe(
        pd.DataFrame(
            {
                t("peers.neighbour"): [names.get(str(c), str(c)) for c in mine["neighbour"]],
                t("peers.distance"): [format_number(d, decimals=2) for d in mine["distance"]],
                t("peers.per_variable"): [format_number(d, decimals=2) for d in mine["rms"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    variables = found.variables
    st.dataframe(
        pd.DataFrame(
            {
                t("peers.variable"): [_variable_name(v) for v in variables["variable"]],
                t("peers.weight"): [format_number(w, decimals=1) for w in variables["weight"]],
                t("peers.mean"): [format_number(m, decimals=1) for m in variables["mean"]],
                t("peers.sd"): [format_number(s, decimals=1) for s in variables["sd"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("peers.method", count=peers.stats_peers.DEFAULT_COUNT))
    if mine["tied"].any():
        st.caption(t("peers.tied"))


def weights_form() -> None:
    """Number inputs for the weight of each context variable, kept in the session."""
    chosen = dict(st.session_state.get(WEIGHTS, {}))
    with st.expander(t("peers.weights_label")):
        for variable in context_variables():
            chosen[variable] = float(
                st.number_input(
                    text.markdown(_variable_name(variable)),
                    min_value=0.0,
                    max_value=10.0,
                    step=0.5,
                    value=float(chosen.get(variable, 1.0)),
                    key=f"peer-weight-{variable}",
                )
            )
    st.session_state[WEIGHTS] = chosen


def _variable_name(code: str) -> str:
    if code == peers.DENSITY:
        return t("peers.density")
    return data.indicator(code).name
