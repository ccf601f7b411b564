"""What the store already knows, against which an uploaded file is checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from observatory.domain import IndicatorKind, Issue, Unit


@dataclass(frozen=True)
class IndicatorRef:
    """What the rules need to know about a known indicator.

    Attributes:
        unit: What its values measure (counts must be whole and non-negative …).
        kind: Context, activity or result.
    """

    unit: Unit
    kind: IndicatorKind


@dataclass(frozen=True)
class Reference:
    """Codes already stored, plus those added by files imported in the same go.

    Attributes:
        area_codes: Known area codes.
        indicators: Known indicator codes and their unit and kind.
        axis_codes: Known strategy axes.
        partner_codes: Known partners.
        objective_codes: Known objectives.
        group_codes: Known area groupings, which an objective's or an action's areas may name.
    """

    area_codes: frozenset[str] = frozenset()
    indicators: Mapping[str, IndicatorRef] = field(default_factory=dict)
    axis_codes: frozenset[str] = frozenset()
    partner_codes: frozenset[str] = frozenset()
    objective_codes: frozenset[str] = frozenset()
    group_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Checked:
    """What a kind's checks produce.

    Attributes:
        frame: The canonical frame (built even when there are errors; the caller drops it then).
        issues: Issues found by the kind's rules.
        extra: Further canonical frames (e.g. ``action_partners``).
    """

    frame: pd.DataFrame
    issues: list[Issue]
    extra: Mapping[str, pd.DataFrame] = field(default_factory=dict)
