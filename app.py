"""Entry point: page config, language, and the pages each role may use. No data access here."""

import streamlit as st

from observatory.i18n import LOCALES, set_locale, t
from observatory.ui import widgets
from observatory.ui.resources import ICON, settings

LANGUAGE_NAMES = {"en": "English", "pt": "Português", "fr": "Français"}

st.set_page_config(page_title="Safety observatory", page_icon=ICON, layout="wide")
conf = settings()
locale = widgets.select(
    "Language · Idioma · Langue",
    list(LOCALES),
    key="lang",
    default=conf.default_locale,
    sidebar=True,
    format_func=LANGUAGE_NAMES.get,
)
set_locale(locale)

pages = [
    st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", default=True),
    st.Page("pages/map.py", title=t("nav.map"), icon=":material/map:"),
    st.Page("pages/trends.py", title=t("nav.trends"), icon=":material/show_chart:"),
    st.Page("pages/profile.py", title=t("nav.district_profile"), icon=":material/location_city:"),
    st.Page("pages/strategy.py", title=t("nav.strategy"), icon=":material/flag:"),
    st.Page("pages/methodology.py", title=t("nav.methodology"), icon=":material/menu_book:"),
]
st.navigation(pages).run()
