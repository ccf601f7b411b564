"""The app's pages declared as data: who may open each, and in which section of the menu it sits.

dashboard.py registers with ``st.navigation`` only the pages the visitor's role may use, so a page beyond a
role is not hidden but absent: its URL does not route. Each page checks its own action again
(:func:`observatory.ui.session.require`), and every write in services checks the role a third time.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory import auth
from observatory.domain import Role

PUBLIC_SECTION = "nav.section_public"
STAFF_SECTION = "nav.section_staff"


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page: its file, title key, icon, the action it needs, and where it may appear.

    Attributes:
        path: The page file, relative to the project root.
        title: Catalogue key of its title.
        icon: A Material icon name (drawn from the bundled font, no network).
        action: The permission (observatory.auth.ACTIONS) needed to open it.
        section: Catalogue key of its menu section.
        anonymous_only: Only for visitors who are not signed in (the sign-in page).
        staff_site: Needs the staff database: never registered in public mode.
        default: The page a visitor lands on.
    """

    path: str
    title: str
    icon: str
    action: str = "read_published"
    section: str = PUBLIC_SECTION
    anonymous_only: bool = False
    staff_site: bool = False
    default: bool = False


def _staff(path: str, title: str, icon: str, action: str) -> PageSpec:
    return PageSpec(path, title, icon, action=action, section=STAFF_SECTION, staff_site=True)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "nav.overview", ":material/dashboard:", default=True),
    PageSpec("pages/where.py", "nav.where", ":material/grid_on:"),
    PageSpec("pages/map.py", "nav.map", ":material/map:"),
    PageSpec("pages/trends.py", "nav.trends", ":material/show_chart:"),
    PageSpec("pages/profile.py", "nav.district_profile", ":material/location_city:"),
    PageSpec("pages/strategy.py", "nav.strategy", ":material/flag:"),
    PageSpec("pages/methodology.py", "nav.methodology", ":material/menu_book:"),
    PageSpec("pages/documents.py", "nav.documents", ":material/description:"),
    _staff("pages/upload.py", "nav.upload", ":material/upload_file:", "import"),
    _staff("pages/history.py", "nav.history", ":material/history:", "import"),
    _staff("pages/strategy_editing.py", "nav.strategy_editing", ":material/edit_note:", "edit_strategy"),
    _staff("pages/groups.py", "nav.groups", ":material/workspaces:", "edit_strategy"),
    _staff("pages/indicators.py", "nav.indicators", ":material/tune:", "edit_indicators"),
    _staff("pages/users.py", "nav.users", ":material/group:", "manage_users"),
    _staff("pages/publish.py", "nav.publish", ":material/publish:", "publish"),
    _staff("pages/audit.py", "nav.audit", ":material/receipt_long:", "manage_users"),
    PageSpec(
        "pages/signin.py",
        "nav.sign_in",
        ":material/login:",
        section=STAFF_SECTION,
        anonymous_only=True,
        staff_site=True,
    ),
)


def pages_for(role: Role, *, public_mode: bool) -> list[PageSpec]:
    """The pages a visitor with ``role`` may open, in menu order."""
    return [
        page
        for page in PAGES
        if auth.allowed(role, page.action)
        and not (public_mode and page.staff_site)
        and not (page.anonymous_only and role is not Role.PUBLIC)
    ]
