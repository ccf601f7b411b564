"""Reading the audit log (admins only): filtered, newest first, a page at a time, and as a download.

The log is append-only: lines are written by the store in the same transaction as the change they
record, and nothing here (or anywhere) edits or deletes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from observatory import auth
from observatory.domain import Actor
from observatory.store import Store
from observatory.store import users as user_store
from observatory.store.users import AuditFilter

__all__ = ["EXPORT_LIMIT", "PAGE_SIZE", "AuditFilter", "AuditPage", "choices", "export", "page"]

#: Lines per screen page.
PAGE_SIZE = 100
#: At most this many lines (the newest) go into one download, so a huge log cannot exhaust memory.
EXPORT_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of the filtered log.

    Attributes:
        lines: id, logged_at, actor, action, detail; newest first.
        total: Lines matching the filter, on every page.
        number: This page's number, from 1.
        pages: How many pages the filter gives (at least 1).
    """

    lines: pd.DataFrame
    total: int
    number: int
    pages: int


def page(
    store: Store, where: AuditFilter, *, number: int = 1, actor: Actor, size: int = PAGE_SIZE
) -> AuditPage:
    """Page ``number`` of the audit lines matching ``where`` (a number past the end gives the last page).

    Raises:
        PermissionDenied: If the actor is not an admin.
    """
    auth.require(actor, "manage_users")
    total = user_store.audit_count(store, where)
    pages = max(1, math.ceil(total / size))
    number = min(max(1, number), pages)
    lines = user_store.audit_lines(store, where, limit=size, offset=(number - 1) * size)
    return AuditPage(lines, total, number, pages)


def export(store: Store, where: AuditFilter, *, actor: Actor, limit: int = EXPORT_LIMIT) -> pd.DataFrame:
    """Every audit line matching ``where`` (the newest ``limit``), for a CSV download.

    Raises:
        PermissionDenied: If the actor is not an admin.
    """
    auth.require(actor, "manage_users")
    return user_store.audit_lines(store, where, limit=limit)


def choices(store: Store, *, actor: Actor) -> tuple[list[str], list[str]]:
    """The actions and the people found in the log, for the filters.

    Raises:
        PermissionDenied: If the actor is not an admin.
    """
    auth.require(actor, "manage_users")
    return user_store.audit_values(store, "action"), user_store.audit_values(store, "actor")
