"""Shared filters whose state lives in st.query_params, so a copied URL reopens the same view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from observatory.i18n import get_locale, locale_scope

T = TypeVar("T")


def _from_url(key: str, options: Sequence[T]) -> T | None:
    wanted = st.query_params.get(key)
    for option in options:
        if str(option) == wanted:
            return option
    return None


def _in_locale(format_func: Callable[[Any], str]) -> Callable[[Any], str]:
    """The label function bound to this run's language.

    Streamlit may call a widget's label function outside the script run (AppTest does, from the
    test's own thread), where the language of the run is not set.
    """
    locale = get_locale()

    def formatted(value: Any) -> str:
        with locale_scope(locale):
            return format_func(value)

    return formatted


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
    else:
        # Pages share keys (indicator, measure …) but each page's widget has its own identity, so a
        # value set on another page would not reach this one; writing it back hands it over.
        st.session_state[key] = st.session_state[key]
    host = st.sidebar if sidebar else st
    if radio:
        value = host.radio(
            label,
            options,
            key=key,
            format_func=_in_locale(format_func),
            horizontal=horizontal,
            on_change=_remember,
            args=(key,),
        )
    else:
        value = host.selectbox(
            label, options, key=key, format_func=_in_locale(format_func), on_change=_remember, args=(key,)
        )
    st.query_params[key] = str(value)
    return value


def _remember_text(key: str) -> None:
    text = str(st.session_state[key]).strip()
    if text:
        st.query_params[key] = text
    elif key in st.query_params:
        del st.query_params[key]


def text(label: str, *, key: str, placeholder: str | None = None, sidebar: bool = False) -> str:
    """A text input whose value is read from and written to the URL under ``key`` (absent when empty).

    Returns:
        The text typed, stripped of surrounding spaces ("" when empty).
    """
    if key not in st.session_state:
        st.session_state[key] = str(st.query_params.get(key, ""))
    host = st.sidebar if sidebar else st
    value = host.text_input(label, key=key, placeholder=placeholder, on_change=_remember_text, args=(key,))
    _remember_text(key)
    return str(value).strip()


def _remember_many(key: str) -> None:
    st.query_params[key] = [str(value) for value in st.session_state[key]]


def multiselect(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[Any], str] = str,
    default: Sequence[T] = (),
    sidebar: bool = False,
    placeholder: str | None = None,
) -> list[T]:
    """A multiselect whose values are read from and written to the URL as ``key=a&key=b``.

    Values in the URL that are not options are ignored, so an old link still opens.
    """
    wanted = set(st.query_params.get_all(key))
    if key not in st.session_state or any(value not in options for value in st.session_state[key]):
        chosen = [option for option in options if str(option) in wanted]
        st.session_state[key] = chosen if key in st.query_params else [o for o in default if o in options]
    host = st.sidebar if sidebar else st
    values = host.multiselect(
        label,
        options,
        key=key,
        format_func=_in_locale(format_func),
        on_change=_remember_many,
        args=(key,),
        placeholder=placeholder,
    )
    st.query_params[key] = [str(value) for value in values]
    return list(values)
