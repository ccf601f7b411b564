"""Who does what: the actions of an objective, and each partner's actions by role."""

from __future__ import annotations

import pandas as pd

from observatory.domain import ActionStatus
from observatory.store import Store, queries

ROLE_LEAD = "lead"
ROLE_PARTNER = "partner"

ACTION_COLUMNS = (
    "code",
    "objective_code",
    "title",
    "lead_partner",
    "lead_name",
    "lead_sector",
    "partner_codes",
    "partner_names",
    "status",
    "start_date",
    "end_date",
    "budget",
)
PARTNER_ACTION_COLUMNS = (
    "partner_code",
    "partner_name",
    "sector",
    "role",
    "action_code",
    "action_title",
    "objective_code",
    "status",
    "start_date",
    "end_date",
)


def _joined(plan: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every action with its lead partner's name and sector and its other partners, codes and names."""
    partners = plan["partners"].set_index("code")
    links = plan["action_partners"].merge(
        plan["partners"], left_on="partner_code", right_on="code", how="left"
    )
    links["name"] = links["name"].fillna(links["partner_code"])
    grouped = links.groupby("action_code").agg(
        partner_codes=("partner_code", lambda s: ", ".join(s)),
        partner_names=("name", lambda s: ", ".join(s)),
    )
    actions = plan["actions"].merge(grouped, left_on="code", right_index=True, how="left")
    actions[["partner_codes", "partner_names"]] = actions[["partner_codes", "partner_names"]].fillna("")
    actions["lead_name"] = actions["lead_partner"].map(partners["name"]).fillna(actions["lead_partner"])
    actions["lead_sector"] = actions["lead_partner"].map(partners["sector"]).fillna("")
    for column in ("start_date", "end_date"):
        actions[column] = pd.to_datetime(actions[column]).dt.date
    return actions[list(ACTION_COLUMNS)].reset_index(drop=True)


def all_actions(store: Store) -> pd.DataFrame:
    """Every action with lead partner (code, name, sector), partners, status, dates and budget.

    Returns:
        The columns of :data:`ACTION_COLUMNS`, ordered by action code.
    """
    return _joined(queries.strategy(store))


def actions_for(store: Store, objective_code: str) -> pd.DataFrame:
    """The actions of one objective (columns of :data:`ACTION_COLUMNS`); empty when it has none."""
    actions = all_actions(store)
    return actions[actions["objective_code"] == objective_code].reset_index(drop=True)


def partner_actions(store: Store) -> pd.DataFrame:
    """One row per partner and action it leads or joins, with the action's status and dates.

    Returns:
        The columns of :data:`PARTNER_ACTION_COLUMNS`, by partner, role (lead first) and action.
    """
    plan = queries.strategy(store)
    actions = plan["actions"].rename(columns={"code": "action_code", "title": "action_title"})
    led = actions.assign(partner_code=actions["lead_partner"], role=ROLE_LEAD)
    joined = plan["action_partners"].merge(actions, on="action_code").assign(role=ROLE_PARTNER)
    rows = pd.concat([led, joined], ignore_index=True)
    partners = plan["partners"].rename(columns={"code": "partner_code", "name": "partner_name"})
    rows = partners.merge(rows, on="partner_code", how="inner")
    for column in ("start_date", "end_date"):
        rows[column] = pd.to_datetime(rows[column]).dt.date
    rows = rows.sort_values(["partner_code", "role", "action_code"])
    return rows[list(PARTNER_ACTION_COLUMNS)].reset_index(drop=True)


def partner_view(store: Store) -> pd.DataFrame:
    """Each partner with its sector, the actions it leads and joins, and their statuses.

    Returns:
        partner_code, name, sector, actions_led, actions_joined (counts), led_codes,
        joined_codes (comma-separated action codes) and one count column per action status
        (planned, in_progress, completed, suspended) over every action it takes part in.
    """
    partners = queries.strategy(store)["partners"].rename(columns={"code": "partner_code"})
    rows = partner_actions(store)
    frame = partners.copy()
    for role, column in ((ROLE_LEAD, "led"), (ROLE_PARTNER, "joined")):
        mine = rows[rows["role"] == role].groupby("partner_code")["action_code"]
        frame[f"actions_{column}"] = frame["partner_code"].map(mine.count()).fillna(0).astype(int)
        # A partner with no action maps to NaN; as text it is the empty list (an all-NaN map is float).
        codes = frame["partner_code"].map(mine.agg(", ".join))
        frame[f"{column}_codes"] = codes.astype(object).where(codes.notna(), "")
    for status in ActionStatus:
        counts = rows[rows["status"] == status.value].groupby("partner_code")["action_code"].nunique()
        frame[status.value] = frame["partner_code"].map(counts).fillna(0).astype(int)
    return frame.reset_index(drop=True)
