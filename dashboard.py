"""The dashboard app.py serves: page config, language, who is visiting and the pages their role may use."""

import streamlit as st

from observatory.i18n import LANGUAGE_NAMES, LOCALES, set_locale, t
from observatory.ui import embed, menu, navigation, session, startup, widgets
from observatory.ui.resources import ICON, published, reads_published, settings, use_source

st.set_page_config(page_title="Safety observatory", page_icon=ICON, layout="wide")
conf = settings()
# An embedded chart (?embed=true) is the chart alone: no menu, sidebar or language widget.
embedded = embed.active()
menu_slot = None if embedded else st.sidebar.container()
if embedded:
    locale = embed.language(conf.default_locale)
else:
    locale = widgets.select(
        "Language · Idioma · Langue",
        list(LOCALES),
        key="lang",
        default=conf.default_locale,
        sidebar=True,
        format_func=LANGUAGE_NAMES.get,
    )
set_locale(locale)
menu.style(locale)
startup.check_database()
# An embedded chart shows the published release only, even in a signed-in staff member's browser.
actor = session.begin_run(anonymous=embedded)
use_source(actor)
if not embedded:
    session.sidebar_status()

specs = navigation.pages_for(actor.role, public_mode=conf.public_mode)
if reads_published() and published() is None:
    st.info(t("public.nothing_published"))
    specs = [spec for spec in specs if spec.anonymous_only]
    if not specs:
        st.stop()
elif reads_published() and not embedded:
    session.release_note()

sections: dict[str, list] = {}
for spec in specs:
    page = st.Page(spec.path, title=t(spec.title), icon=spec.icon, default=spec.default)
    sections.setdefault(t(spec.section), []).append(page)
# Registered hidden and drawn as links (ui/menu.py): the menu is a list screen readers can follow.
current = st.navigation(sections, position="hidden")
if menu_slot is not None:
    menu.draw(menu_slot, sections)
current.run()
