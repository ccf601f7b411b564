"""Cached, bounded reads over the services; cleared after every import or rollback.

Everything a page needs that does not depend on its widgets is computed once per (arguments, TTL)
here, so a rerun costs a dictionary lookup.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.domain import Indicator
from observatory.services import views
from observatory.ui.resources import cached, reader


@cached()
def catalogue() -> pd.DataFrame:
    """The indicator catalogue."""
    return views.catalogue(reader())


@cached()
def indicator(code: str) -> Indicator:
    """One indicator's entry."""
    return views.indicator(reader(), code)


@cached(max_entries=8)
def district_geojson() -> dict:
    """Display geometries of the districts."""
    return views.district_geojson(reader())


@cached()
def years(code: str) -> list[int]:
    """Years with data for an indicator, newest first."""
    return views.years(reader(), views.indicator(reader(), code))


@cached()
def district_year(code: str, year: int) -> pd.DataFrame:
    """Every district's value, rate and interval for one indicator and year."""
    return views.district_year(reader(), views.indicator(reader(), code), year)


def clear() -> None:
    """Forget every cached read (after an import, a rollback or an edit)."""
    st.cache_data.clear()
