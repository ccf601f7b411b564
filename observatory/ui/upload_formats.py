"""The published-format part of the upload page: each format's options, and the category mapping.

The options are those the format's import takes (services.formats.OPTIONS) and are shown only for
that format. The mapping editor offers one choice per category found in the file, preselected with
services.mappings.suggested_mapping (what was remembered, else the indicator named like the
category); "not followed" leaves the category's rows out. The service, not this form, refuses
anti-social behaviour in a crime indicator: its message appears in the check's report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from observatory.domain import SourceFormat, WideLayout
from observatory.i18n import format_number, t
from observatory.services import formats, incident_places, mappings
from observatory.services.incident_places import DateOrder
from observatory.services.uploads import UploadKind
from observatory.ui.resources import store

NOT_FOLLOWED = ""
_SUGGESTED = "upload-suggested"  # (file key, categories with row counts, suggested mapping)
_PLACES = "upload-places"  # (file key and choices, ways of placing the rows with their counts)
_MAPPED = (SourceFormat.POLICE_UK, SourceFormat.INCIDENTS)


def _ssmsi() -> dict[str, Any]:
    ours = st.toggle(
        t("upload.ssmsi_ours"), value=True, help=t("upload.ssmsi_ours_help"), key="upload-ssmsi-ours"
    )
    create = st.toggle(
        t("upload.ssmsi_create"), value=True, help=t("upload.ssmsi_create_help"), key="upload-ssmsi-create"
    )
    return {"keep_only_our_communes": ours, "create_missing_indicators": create}


def _wide(content: bytes, filename: str) -> dict[str, Any]:
    found = formats.recognise_file(content, filename)
    layouts = list(WideLayout)
    index = layouts.index(found.layout) if found is not None and found.layout is not None else 0
    layout = st.radio(
        t("upload.wide_layout"),
        layouts,
        index=index,
        format_func=lambda value: t(f"upload.layout_{value}"),
        horizontal=True,
        key="upload-wide-layout",
    )
    return {"layout": WideLayout(layout)}


def _police_uk() -> dict[str, Any]:
    lsoa = st.toggle(
        t("upload.police_lsoa"), value=False, help=t("upload.police_lsoa_help"), key="upload-police-lsoa"
    )
    return {"lsoa_as_area": lsoa}


def _place_label(key: str, choices: dict[str, Any]) -> str:
    """A way of placing the rows, with what it would place (the uploader compares before choosing)."""
    if not key:
        return t("upload.place_auto")
    found = choices.get(key)
    if found is None:
        return t("upload.place_other_column", column=key)
    counts = {"rows": format_number(found.placed), "areas": format_number(found.areas)}
    if key == incident_places.COORDINATES:
        return t("upload.place_coordinates", outside=format_number(found.unmatched), **counts)
    return t("upload.place_column", column=key, other=format_number(found.unmatched), **counts)


def _place_choices(
    file_key: str, content: bytes, filename: str, crs: str | None, category: str | None
) -> dict:
    """The ways the file's rows can be placed, counted once per file and choice (not once per rerun)."""
    key = f"{file_key}|{crs}|{category}"
    stored = st.session_state.get(_PLACES)
    if stored is None or stored[0] != key:
        found = incident_places.place_choices(store(), content, filename, crs=crs, category_column=category)
        stored = (key, {c.key: c for c in found})
        st.session_state[_PLACES] = stored
    return dict(stored[1])


def _comparison(choices: dict[str, Any]) -> None:
    """Rows each way would place, area by area, when the file offers more than one way."""
    if len(choices) < 2:
        return
    areas = sorted({code for found in choices.values() for code, _ in found.by_area})
    frame = pd.DataFrame({t("upload.place_col_area"): areas})
    for key, found in choices.items():
        name = t("upload.place_way_coordinates") if key == incident_places.COORDINATES else key
        frame[name] = [format_number(found.count_in(code)) for code in areas]
    st.caption(t("upload.place_compare"))
    st.dataframe(frame, hide_index=True, key="upload-place-compare")


def _incidents(file_key: str, content: bytes, filename: str) -> dict[str, Any]:
    crs = st.text_input(
        t("upload.incidents_crs"), value="", help=t("upload.incidents_crs_help"), key="upload-incidents-crs"
    )
    columns = mappings.file_columns(content)
    category = st.selectbox(
        t("upload.incidents_category"),
        ["", *columns],
        format_func=lambda c: c or t("upload.incidents_category_auto"),
        help=t("upload.incidents_category_help"),
        key="upload-incidents-category",
    )
    choices = _place_choices(file_key, content, filename, crs.strip() or None, category or None)
    keys = ["", *choices, *(c for c in columns if c not in choices and c != category)]
    area_from = st.selectbox(
        t("upload.place"),
        keys,
        format_func=lambda k: _place_label(k, choices),
        help=t("upload.place_help"),
        key="upload-incidents-place",
    )
    _comparison(choices)
    order = st.selectbox(
        t("upload.date_order"),
        ["", *(str(o) for o in DateOrder)],
        format_func=lambda o: t(f"upload.date_order_{o or 'auto'}"),
        help=t("upload.date_order_help"),
        key="upload-incidents-date-order",
    )
    return {
        "crs": crs.strip() or None,
        "category_column": category or None,
        "area_from": area_from or None,
        "date_order": order or None,
    }


def _suggestion(
    file_key: str, content: bytes, filename: str, source: SourceFormat, category: str | None
) -> tuple[dict, dict]:
    """The file's categories and suggested mapping, read once per uploaded file (not once per rerun)."""
    # The same file read as another format, or with another category column, has other categories.
    key = f"{file_key}|{source}|{category}"
    stored = st.session_state.get(_SUGGESTED)
    if stored is not None and stored[0] == key:
        return stored[1], stored[2]
    categories = mappings.file_categories(content, filename, source, category_column=category)
    suggested = mappings.suggested_mapping(store(), content, filename, source, category_column=category)
    st.session_state[_SUGGESTED] = (key, categories, suggested)
    return categories, suggested


def mapping_editor(
    file_key: str, content: bytes, filename: str, source: SourceFormat, category: str | None = None
) -> dict[str, str | None]:
    """One choice per category of the file: an indicator, or not followed.

    Args:
        category: Incident lists: the column chosen as category (None: the one recognised).

    Returns:
        Category → indicator code, None where the category is not followed.
    """
    categories, suggested = _suggestion(file_key, content, filename, source, category)
    st.subheader(t("upload.mapping_heading"))
    if not categories:
        st.caption(t("upload.mapping_none"))
        return {}
    st.caption(t("upload.mapping_help"))
    targets = mappings.mapping_targets(store())
    options = [NOT_FOLLOWED, *targets]
    chosen: dict[str, str | None] = {}
    for category, rows in categories.items():
        guess = suggested.get(category) or NOT_FOLLOWED
        value = st.selectbox(
            t("upload.mapping_category", category=category, n=format_number(rows)),
            options,
            index=options.index(guess) if guess in options else 0,
            format_func=lambda code: (
                t("upload.not_followed") if code == NOT_FOLLOWED else f"{code} · {targets[code]}"
            ),
            key=f"upload-map-{category}",
        )
        chosen[category] = str(value) or None
    if source is SourceFormat.POLICE_UK:
        st.caption(t("upload.mapping_anti_social"))
    return chosen


def options(kind: UploadKind, file_key: str, content: bytes, filename: str) -> dict[str, Any]:
    """The chosen format's options as keyword arguments of its import (empty for the CSV contracts)."""
    source = kind.source
    if source is None:
        return {}
    found: dict[str, Any] = {}
    if source is SourceFormat.SSMSI:
        found = _ssmsi()
    elif source is SourceFormat.WIDE:
        found = _wide(content, filename)
    elif source is SourceFormat.POLICE_UK:
        found = _police_uk()
    elif source is SourceFormat.INCIDENTS:
        found = _incidents(file_key, content, filename)
    if source in _MAPPED:
        category = found.get("category_column")
        found["mapping"] = mapping_editor(file_key, content, filename, source, category)
    return found
