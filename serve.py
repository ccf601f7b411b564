"""Start the observatory: Streamlit's server for app.py plus the app's own routes (session cookies).

    streamlit run serve.py [--server.port 8501 …]      or      python serve.py

Started as ``streamlit run app.py`` the app works the same, except that a sign-in lasts only as long
as the browser tab (there is no route to set the session cookie): see docs/architecture.md.
"""

import streamlit as st

from observatory.ui.routes import ROUTES

app = st.App("app.py", routes=ROUTES)

if __name__ == "__main__":
    app.run()
