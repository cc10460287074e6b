"""The kit's colours, in one place: charts, cards, apps and reports all take them from here.

* :data:`SCALE` – five colours from disagreement (red) through the middle (grey) to agreement
  (blue), for the answer scale 1–5 and the maturity levels 0–4 (ColorBrewer RdBu, which stays
  readable for the common kinds of colour blindness and on a projector);
* :data:`GROUPS` – one colour per compared group: the partner, the network, the country, …
  (seaborn's "deep" palette, so matplotlib charts and HTML views agree);
* :data:`SYNTHETIC` and :data:`REAL` – the data label's strip: amber for synthetic data, grey
  for real data;
* :data:`GOOD`, :data:`BAD` – passed/failed, up/down; :data:`TEXT`, :data:`SECONDARY`,
  :data:`MUTED` – text, secondary text and notes; :data:`GRID`, :data:`BORDER` – lines.
"""

from __future__ import annotations

SCALE: tuple[str, ...] = ("#b2182b", "#ef8a62", "#cfcfcf", "#67a9cf", "#2166ac")
GROUPS: tuple[str, ...] = (
    "#4c72b0",
    "#dd8452",
    "#55a868",
    "#c44e52",
    "#8172b3",
    "#937860",
    "#da8bc3",
    "#8c8c8c",
    "#ccb974",
    "#64b5cd",
)
SYNTHETIC = {"background": "#fff3cd", "border": "#d39e00"}
REAL = {"background": "#eef2f5", "border": "#99aaaa"}
GOOD = "#1a7f37"
BAD = "#b42318"
TEXT = "#333333"
SECONDARY = "#555555"
MUTED = "#666666"
GRID = "#e5e5e5"
BORDER = "#d0d7de"


def groups(count: int) -> list[str]:
    """``count`` group colours (repeating after ten)."""
    return [GROUPS[i % len(GROUPS)] for i in range(max(count, 0))]
