"""Start the observatory: ``streamlit run app.py`` serves the dashboard (dashboard.py) with the app's own
HTTP routes beside Streamlit's (observatory/ui/routes.py: the session cookie that keeps a staff member
signed in across reloads, tabs and opened links).

    streamlit run app.py [--server.port 8501 …]      or      python app.py
"""

import streamlit as st

from observatory.ui.routes import ROUTES

app = st.App("dashboard.py", routes=ROUTES)

if __name__ == "__main__":
    app.run()
