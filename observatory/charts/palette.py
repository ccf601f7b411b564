"""The colours and symbols of verdict states, shared by the page grid and the documents.

Colours from the Okabe–Ito palette, safe for the common colour-vision deficiencies; every state also has
a symbol, so a cell never says something by colour alone (WCAG 1.4.1).
"""

from __future__ import annotations

#: Fill colour of each state.
STATE_COLOURS = {
    "worse": "#D55E00",
    "better": "#0072B2",
    "higher": "#E69F00",
    "lower": "#56B4E9",
    "similar": "#E8E8E8",
    "not_comparable": "#FFFFFF",
    "withheld": "#BDBDBD",
}
#: Text colour that reads on each fill (contrast ≥ 4.5:1).
STATE_INK = {
    "worse": "#000000",
    "better": "#FFFFFF",
    "higher": "#000000",
    "lower": "#000000",
    "similar": "#000000",
    "not_comparable": "#000000",
    "withheld": "#000000",
}
#: A symbol per state, so colour is never the only signal.
STATE_SYMBOLS = {
    "worse": "✕",
    "better": "✓",
    "higher": "▲",
    "lower": "▼",
    "similar": "=",
    "not_comparable": "–",
    "withheld": "◌",
}
