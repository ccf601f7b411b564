"""Shared filters whose state lives in st.query_params, so a copied URL reopens the same view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")


def _from_url(key: str, options: Sequence[T]) -> T | None:
    wanted = st.query_params.get(key)
    for option in options:
        if str(option) == wanted:
            return option
    return None


def _remember(key: str) -> None:
    st.query_params[key] = str(st.session_state[key])


def select(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[Any], str] = str,
    default: T | None = None,
    sidebar: bool = False,
    horizontal: bool = False,
    radio: bool = False,
) -> T:
    """A selectbox (or radio) whose value is read from and written to the URL under ``key``."""
    if not options:
        raise ValueError(f"no options for {key}")
    chosen = _from_url(key, options)
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = (
            chosen if chosen is not None else (default if default in options else options[0])
        )
    host = st.sidebar if sidebar else st
    if radio:
        value = host.radio(
            label,
            options,
            key=key,
            format_func=format_func,
            horizontal=horizontal,
            on_change=_remember,
            args=(key,),
        )
    else:
        value = host.selectbox(
            label, options, key=key, format_func=format_func, on_change=_remember, args=(key,)
        )
    st.query_params[key] = str(value)
    return value
