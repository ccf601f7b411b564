"""Figures as shown and as exported: user text escaped, a title, the source and the date on every chart.

The plotly camera button saves what the figure holds, so the title, source and date are part of the
figure itself (a title and a subtitle), and the image's file name says what it is and when it was made.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from observatory.i18n import format_date, t
from observatory.present.text import plotly, safe_figure

# Room at the top for the title and its subtitle (source · date) above the legend.
_TOP_MARGIN = 96


def file_stem(title: str, made: date) -> str:
    """An ASCII file name for an exported image: the title's words and the date (``burglary-2026-12-06``)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:80].rstrip("-")
    return f"{words or 'chart'}-{made.isoformat()}"


def subtitle(source: str, made: date) -> str:
    """The line under a chart's title: where the figures come from and the date, in the reader's language."""
    where = source.strip() or t("chart.source_methodology")
    return t("chart.subtitle", source=where, date=format_date(made))


def stamped(figure: Any, *, title: str, source: str, made: date) -> dict[str, Any]:
    """Escape the figure's user text, give it its title and source line; return the chart's config.

    Args:
        figure: A plotly figure (changed in place).
        title: What the chart shows (user text allowed: escaped here).
        source: The data's source (user text allowed: escaped here); the methodology page when empty.
        made: The date printed on the chart and in the image's file name.

    Returns:
        The plotly config for showing it: no plotly logo, the camera button saving a PNG named after
        the title and date.
    """
    safe_figure(figure)
    margin = figure.layout.margin
    top = max(int(margin.t or 0), _TOP_MARGIN)
    figure.update_layout(
        title={
            "text": plotly(title),
            "subtitle": {"text": plotly(subtitle(source, made))},
            "x": 0,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 15},
        },
        margin={"t": top},
    )
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_stem(title, made), "scale": 2},
    }
