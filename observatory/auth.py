"""Who may do what. Pure checks, called again by every write in services (not only by the pages)."""

from __future__ import annotations

from observatory.domain import Actor, PermissionDenied, Role

_RANK = {Role.PUBLIC: 0, Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}

# Minimum role per action, declared as data so the role matrix can be tested exhaustively.
ACTIONS: dict[str, Role] = {
    "read_published": Role.PUBLIC,
    "read_unsuppressed": Role.VIEWER,
    "import": Role.EDITOR,
    "rollback": Role.EDITOR,
    "edit_strategy": Role.EDITOR,
    "edit_indicators": Role.EDITOR,
    "manage_users": Role.ADMIN,
    "publish": Role.ADMIN,
}


def allowed(role: Role, action: str) -> bool:
    """True when ``role`` may perform ``action`` (an unknown action is never allowed)."""
    needed = ACTIONS.get(action)
    return needed is not None and _RANK[role] >= _RANK[needed]


def require(actor: Actor, action: str) -> None:
    """Raise unless the actor's role allows the action.

    Raises:
        PermissionDenied: If it does not.
    """
    if not allowed(actor.role, action):
        raise PermissionDenied(f"{actor.name} ({actor.role}) may not {action.replace('_', ' ')}")


def can_import(role: Role) -> bool:
    """Editors and admins import files and roll batches back."""
    return allowed(role, "import")
