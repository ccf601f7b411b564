"""The boundary part of the upload page: which fields hold the code and the name, the CRS, the map."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from observatory import charts
from observatory.domain import ImportRejected
from observatory.i18n import format_number, t
from observatory.present.text import message
from observatory.services import boundary_areas, imports
from observatory.services.uploads import ValidationReport
from observatory.ui import components

# Field names that usually hold a district's code or name, tried in order for the first choice offered.
_CODE_GUESSES = ("code", "codigo", "cod", "insee_com", "dicofre", "id")
_NAME_GUESSES = ("name", "nome", "nom", "libelle", "designacao")
_DRAWN_COLOUR = charts.SERIES_COLOURS[0]


@dataclass(frozen=True)
class FieldChoice:
    """What the uploader chose: the code and name fields, and the CRS when the file names none."""

    code_field: str
    name_field: str
    crs: str | None
    keep: boundary_areas.AreaFilter | None = None


def _guess(fields: list[str], guesses: tuple[str, ...], fallback: int) -> int:
    lowered = [f.casefold() for f in fields]
    for guess in guesses:
        if guess in lowered:
            return lowered.index(guess)
    return min(fallback, len(fields) - 1)


def field_choice(data: bytes, filename: str) -> FieldChoice | None:
    """List the file's attribute fields and let the uploader pick code, name and, if needed, the CRS.

    Returns:
        The choice, or None when the file cannot be opened (the reason is shown).
    """
    try:
        info = imports.describe_boundaries(data, filename)
    except ImportRejected as exc:
        st.error(message("upload.refused", file=filename, reason=str(exc)))
        return None
    if not info.fields:
        st.error(message("upload.refused", file=filename, reason="no attribute fields"))
        return None
    fields = info.fields
    code = st.selectbox(
        t("upload.code_field"), fields, index=_guess(fields, _CODE_GUESSES, 0), key="upload-code-field"
    )
    name = st.selectbox(
        t("upload.name_field"), fields, index=_guess(fields, _NAME_GUESSES, 1), key="upload-name-field"
    )
    crs = None
    if info.crs is None:
        st.warning(t("upload.crs_missing"))
        crs = st.text_input(t("upload.crs"), key="upload-crs").strip() or None
    else:
        st.caption(t("upload.crs_found", crs=info.crs))
    return FieldChoice(str(code), str(name), crs, _keep(fields))


def _keep(fields: list[str]) -> boundary_areas.AreaFilter | None:
    """Options for a file bigger than the city: keep the areas inside it, or those matching a field."""
    with st.expander(t("upload.keep_heading")):
        st.caption(t("upload.keep_intro"))
        inside = st.checkbox(
            t("upload.keep_inside"),
            key="upload-keep-inside",
            help=t("upload.keep_inside_help", share=format_number(100 * boundary_areas.INSIDE_SHARE)),
        )
        none = t("upload.keep_field_none")  # words now: Streamlit may format outside the run
        field = st.selectbox(
            t("upload.keep_field"),
            ["", *fields],
            format_func=lambda f: f or none,
            key="upload-keep-field",
        )
        values = st.text_input(
            t("upload.keep_values"), key="upload-keep-values", help=t("upload.keep_values_help")
        )
        prefix = st.checkbox(t("upload.keep_prefix"), key="upload-keep-prefix")
    keep = boundary_areas.AreaFilter(
        inside=bool(inside),
        field=str(field or ""),
        values=boundary_areas.parse_values(values),
        prefix=bool(prefix),
    )
    return keep if keep.active else None


def dropped_view(report: ValidationReport) -> None:
    """How many areas of the file a filter kept and left out (the names are in the issues)."""
    if not report.ignored:
        return
    kept = report.rows_read - report.ignored
    st.info(t("upload.keep_outcome", kept=format_number(kept), dropped=format_number(report.ignored)))


def boundary_map(shapes: dict) -> None:
    """The boundaries read from the file on a plain map (no tiles), one colour, named in the legend."""
    features = shapes.get("features", [])
    if not features:
        return
    frame = pd.DataFrame(
        {
            "code": [f["id"] for f in features],
            "name": [f["properties"]["name"] for f in features],
            "drawn": "read",
        }
    )
    label = t("upload.map_legend")
    figure = charts.category_map(
        frame,
        shapes,
        category_col="drawn",
        categories={"read": (label, _DRAWN_COLOUR)},
        legend_title=label,
        withheld_label=label,
    )
    components.chart(figure, key="upload-map", title=label)
    st.caption(t("upload.map_caption", n=format_number(len(features))))
