"""Sizes of the reliability tests: a short CI size by default, the full size on demand.

``OBSERVATORY_RELIABILITY=full python -m pytest tests/reliability -m slow`` runs the sizes the
reliability figures in docs/reliability.md were measured with; the default keeps the suite within
the CI budget.
"""

from __future__ import annotations

import os

FULL = os.environ.get("OBSERVATORY_RELIABILITY", "").lower() == "full"
#: Which size runs, for naming result files.
SIZE = "full" if FULL else "ci"


def size(ci: int, full: int) -> int:
    """The CI size, or the full size when ``OBSERVATORY_RELIABILITY=full``."""
    return full if FULL else ci
