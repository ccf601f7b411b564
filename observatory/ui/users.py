"""The Users screen: the account list, adding an account, changing one; a generated password shown once.

A change is made when its button is pressed, in the page run itself (not in a widget callback), so it
acts as the account this run is signed in as, with the role read at the start of the run. After a
change the page reruns: the entry fields start empty, the outcome is said once, and a generated
password is shown once, then forgotten (it is never stored anywhere but in the account's hash).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from observatory import auth
from observatory.domain import Actor, NotFound, PermissionDenied, Role
from observatory.i18n import format_date, t
from observatory.present.text import message
from observatory.services import accounts
from observatory.ui import data
from observatory.ui.resources import store

_OUTCOME = "users-outcome"  # (message key, values) of the change just made
_SHOWN = "users-shown-password"  # (account name, generated password)
_EMPTY = "users-empty-fields"  # set by a change: the entry fields start empty on the next run
_FIELDS = (
    "users-new-name",
    "users-new-password",
    "users-new-repeat",
    "users-reset-password",
    "users-reset-repeat",
)
TYPE, GENERATE = "type", "generate"
ROLES: tuple[str, ...] = tuple(role.value for role in auth.ACCOUNT_ROLES)

#: Two typed entries, or None when the password is to be generated.
Typed = tuple[str, str] | None


def role_label(role: str) -> str:
    """A role in words."""
    return t(f"role.{role}")


def start() -> None:
    """Empty the entry fields after a change; say its outcome and show a generated password, once."""
    if st.session_state.pop(_EMPTY, False):
        for key in _FIELDS:
            st.session_state.pop(key, None)
    outcome = st.session_state.pop(_OUTCOME, None)
    if outcome:
        st.success(message(outcome[0], **outcome[1]))
    shown = st.session_state.pop(_SHOWN, None)
    if shown:
        st.markdown(message("users.generated", name=shown[0]))
        st.code(shown[1], language=None)  # the code box has a copy button
        st.caption(t("users.copy_hint"))


def policy() -> None:
    """The password policy, in words."""
    st.info(t("users.policy", min=auth.MIN_PASSWORD_LENGTH))


def account_list(actor: Actor) -> list[accounts.Account]:
    """Draw the accounts (never their password hashes) and return them."""
    found = accounts.listing(store(), actor=actor)
    if not found:
        st.caption(t("users.none"))
        return found
    frame = pd.DataFrame(
        {
            t("users.col_name"): [a.name for a in found],
            t("users.col_role"): [role_label(a.role.value) for a in found],
            t("users.col_created"): [format_date(a.created_at) for a in found],
            t("users.col_status"): [t("users.disabled" if a.disabled else "users.active") for a in found],
        }
    )
    st.dataframe(frame, hide_index=True)
    return found


def _password_entry(prefix: str) -> Typed:
    source = st.radio(
        t("users.password_source"),
        (TYPE, GENERATE),
        key=f"{prefix}-source",
        format_func=lambda s: t(f"users.source_{s}"),
        horizontal=True,
    )
    if source == GENERATE:
        return None
    first = st.text_input(
        t("users.password"), type="password", key=f"{prefix}-password", autocomplete="new-password"
    )
    second = st.text_input(
        t("users.repeat"), type="password", key=f"{prefix}-repeat", autocomplete="new-password"
    )
    return first, second


def _chosen(typed: Typed) -> tuple[str, bool] | None:
    """(password, generated): a new random one, or the typed one when both entries agree (else None)."""
    if typed is None:
        return auth.generate_password(), True
    if typed[0] != typed[1]:
        st.error(t("users.passwords_differ"))
        return None
    return typed[0], False


def error_text(exc: Exception) -> str:
    """Why a change was refused, in the visitor's language."""
    if isinstance(exc, accounts.LastAdmin):
        return t("users.error.last_admin")
    if isinstance(exc, accounts.UserExists):
        return t("users.error.exists")
    if isinstance(exc, NotFound):
        return t("users.error.not_found")
    if isinstance(exc, auth.AccountError) and exc.code != "refused":
        key = "users.error." + exc.code.replace("-", "_")
        return t(key, min=auth.MIN_PASSWORD_LENGTH, max=auth.MAX_PASSWORD_LENGTH)
    return t("users.error.refused")


def _apply(
    change: Callable[[], None], outcome: tuple[str, dict[str, str]], shown: tuple[str, str] | None = None
) -> None:
    """Make a change; on success keep its outcome (and a generated password) for the rerun, else say why."""
    try:
        change()
    except PermissionDenied:
        st.error(t("signin.not_allowed"))
        return
    except (auth.AccountError, accounts.LastAdmin, accounts.UserExists, NotFound) as exc:
        st.error(error_text(exc))
        return
    data.clear()
    st.session_state[_OUTCOME] = outcome
    st.session_state[_EMPTY] = True
    if shown is not None:
        st.session_state[_SHOWN] = shown
    st.rerun()


def add_account(actor: Actor) -> None:
    """Name, role and password (typed twice, or generated and shown once), and the button that adds it."""
    name = st.text_input(t("users.name"), key="users-new-name", autocomplete="off").strip()
    role = st.selectbox(t("users.role"), ROLES, key="users-new-role", format_func=role_label)
    typed = _password_entry("users-new")
    if not st.button(t("users.add_button"), key="users-add", type="primary"):
        return
    password = _chosen(typed)
    if password is None:
        return
    _apply(
        lambda: accounts.create_account(store(), name, Role(role), password[0], actor=actor),
        ("users.created", {"name": name, "role": role_label(role)}),
        (name, password[0]) if password[1] else None,
    )


def change_account(actor: Actor, found: list[accounts.Account]) -> None:
    """Pick an account, then change its role, disable or enable it, or reset its password."""
    if not found:
        return
    by_name = {a.name: a for a in found}
    chosen = by_name[st.selectbox(t("users.account"), list(by_name), key="users-account")]
    own = chosen.name == actor.name
    if own:
        st.caption(t("users.own_account_note"))
    _role_change(actor, chosen, own=own)
    _access_change(actor, chosen, own=own)
    _password_reset(actor, chosen)


def _role_change(actor: Actor, chosen: accounts.Account, *, own: bool) -> None:
    st.subheader(t("users.role_heading"))
    role = st.selectbox(
        t("users.role"),
        ROLES,
        index=ROLES.index(chosen.role.value),
        key=f"users-role-{chosen.name}",  # one per account, so each opens on its own role
        format_func=role_label,
        disabled=own,
    )
    if st.button(t("users.change_role_button"), key="users-change-role", disabled=own):
        _apply(
            lambda: accounts.change_role(store(), chosen.name, Role(role), actor=actor),
            ("users.role_changed", {"name": chosen.name, "role": role_label(role)}),
        )


def _access_change(actor: Actor, chosen: accounts.Account, *, own: bool) -> None:
    st.subheader(t("users.access_heading"))
    label, done = ("users.enable_button", "users.enabled_done")
    if not chosen.disabled:
        label, done = ("users.disable_button", "users.disabled_done")
    if st.button(t(label), key="users-toggle", disabled=own and not chosen.disabled):
        _apply(
            lambda: accounts.set_disabled(store(), chosen.name, not chosen.disabled, actor=actor),
            (done, {"name": chosen.name}),
        )
    if st.button(t("users.unlock_button"), key="users-unlock", help=t("users.unlock_help")):
        _apply(
            lambda: accounts.clear_lockout(store(), chosen.name, actor=actor, now=datetime.now(UTC)),
            ("users.unlock_done", {"name": chosen.name}),
        )


def _password_reset(actor: Actor, chosen: accounts.Account) -> None:
    st.subheader(t("users.reset_heading"))
    typed = _password_entry("users-reset")
    if not st.button(t("users.reset_button"), key="users-reset-button"):
        return
    password = _chosen(typed)
    if password is None:
        return
    _apply(
        lambda: accounts.reset_password(store(), chosen.name, password[0], actor=actor),
        ("users.reset_done", {"name": chosen.name}),
        (chosen.name, password[0]) if password[1] else None,
    )
