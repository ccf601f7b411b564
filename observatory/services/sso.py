"""Single sign-on: which role a person signed in through the city's identity provider gets.

The role comes from a claim of the identity token when the setting ``sso_role_claim`` names one, else
from the e-mail → role table ``sso_roles``; anyone in neither gets the public view. A role that is
not an account role (viewer, editor, admin) is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from observatory.auth import ACCOUNT_ROLES
from observatory.config import Settings
from observatory.domain import Actor, Role

_ROLES = {role.value: role for role in ACCOUNT_ROLES}


def _role(text: Any) -> Role | None:
    if isinstance(text, list | tuple):
        found = [_ROLES[str(t).strip().lower()] for t in text if str(t).strip().lower() in _ROLES]
        order = list(ACCOUNT_ROLES)
        return max(found, key=order.index) if found else None
    return _ROLES.get(str(text or "").strip().lower())


def actor_from_claims(claims: Mapping[str, Any], settings: Settings) -> Actor | None:
    """The actor for an identity token's claims, or None when the person has no role here.

    Args:
        claims: The token's claims (``st.user``): ``email``, ``name``, and any role claim.
        settings: ``sso_role_claim`` and ``sso_roles``.
    """
    email = str(claims.get("email") or "").strip().lower()
    role = _role(claims.get(settings.sso_role_claim)) if settings.sso_role_claim else None
    if role is None and email:
        role = _role(dict(settings.sso_roles).get(email))
    if role is None:
        return None
    return Actor(email or str(claims.get("sub") or "sso user"), role)
