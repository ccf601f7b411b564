"""Pure figure builders: a frame in, a plotly Figure out, options keyword-only.

No data access and no Streamlit here; every word a reader sees arrives as an argument, already
translated, and numbers are written in the current locale through :mod:`observatory.i18n`.
"""

from observatory.charts._style import BENCHMARK_COLOURS, SERIES_COLOURS
from observatory.charts._style import escape as escape_text
from observatory.charts.bars import bar_ranked, spine
from observatory.charts.classes import class_breaks
from observatory.charts.funnel import funnel_plot, selected_codes
from observatory.charts.grid import state_grid
from observatory.charts.impact import counterfactual
from observatory.charts.lines import small_multiples, trajectory, trend
from observatory.charts.maps import category_map, choropleth

__all__ = [
    "BENCHMARK_COLOURS",
    "SERIES_COLOURS",
    "bar_ranked",
    "category_map",
    "choropleth",
    "class_breaks",
    "counterfactual",
    "escape_text",
    "funnel_plot",
    "selected_codes",
    "small_multiples",
    "spine",
    "state_grid",
    "trajectory",
    "trend",
]
