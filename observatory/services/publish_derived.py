"""Disclosure control of derived totals with their components: one more margin, across indicators.

A derived total (all crime = the sum of 13 crime types) is a published margin of its components: a
small burglary count withheld in a district and year would be recovered as the total minus the
other 12 crime types. So a total and its components are suppressed together, as one table with the
usual margins within each indicator (districts of a city period, periods of an area's year) and one
more across them (the indicators of one area and period). A total withheld alone among published
components gets a component withheld too, and a single withheld component gets a second one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: The extra margin: every indicator of the group at one area and period.
ACROSS = ["area_code", "granularity", "period_start"]


def groups(derived: Mapping[str, Sequence[str]], counts: set[str]) -> list[tuple[str, ...]]:
    """Indicator sets suppressed together: each derived count total with its count components.

    Totals sharing a component are merged into one set.
    """
    found: list[set[str]] = []
    for code, components in sorted(derived.items()):
        members = {code, *components} & counts
        if code not in members or len(members) < 2:
            continue
        overlapping = [group for group in found if group & members]
        for group in overlapping:
            members |= group
            found.remove(group)
        found.append(members)
    return [tuple(sorted(group)) for group in found]


def margins(within: Sequence[Sequence[str]]) -> list[list[str]]:
    """The margins of a group: each margin of one indicator, per indicator, and the one across."""
    return [["indicator_code", *margin] for margin in within] + [list(ACROSS)]


def units(counts: Mapping[str, int], together: Sequence[tuple[str, ...]]) -> dict[str, int]:
    """Observation counts keyed so that a group is one unit (its codes joined by "|"), in order.

    The publishing batches are made of whole units, so a group is never split between batches.
    """
    member = {code: group for group in together for code in group}
    out: dict[str, int] = {}
    for code, count in counts.items():
        key = "|".join(member.get(code, (code,)))
        out[key] = out.get(key, 0) + count
    return out
