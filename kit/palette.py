"""The kit's colours, in one place: charts, cards, apps and reports all take them from here.

* :data:`SCALE` – five colours from disagreement (red) through the middle (grey) to agreement
  (blue), for the answer scale 1–5 and the maturity levels 0–4 (ColorBrewer RdBu, which stays
  readable for the common kinds of colour blindness and on a projector);
* :data:`GROUPS` – one colour per compared group: the partner, the network, the country, …
  (matplotlib charts and HTML views share them), each dark enough to write text in, the first
  four distinguishable with the common colour-vision deficiencies;
* :data:`SYNTHETIC` and :data:`REAL` – the data label's strip: amber for synthetic data, grey
  for real data;
* :data:`GOOD`, :data:`BAD` – passed/failed, up/down; :data:`TEXT`, :data:`SECONDARY`,
  :data:`MUTED` – text, secondary text and notes; :data:`GRID`, :data:`BORDER` – lines.
"""

from __future__ import annotations

SCALE: tuple[str, ...] = ("#b2182b", "#ef8a62", "#cfcfcf", "#67a9cf", "#2166ac")
#: every group colour stands at least 4.5:1 against white and against the light grey of a
#: table's striped rows (#eeeeee), so a line, a dot and a figure written in it can be read
#: (WCAG 2.1 AA 1.4.3 and 1.4.11); the first four stay apart for people with
#: protanopia, deuteranopia and tritanopia (``tests/test_palette.py`` simulates each)
GROUPS: tuple[str, ...] = (
    "#1f5fa8",  # blue
    "#a84800",  # orange
    "#5e5e5e",  # grey
    "#9c4880",  # reddish purple
    "#007a5a",  # bluish green
    "#6a4c9c",  # purple
    "#7a5c3e",  # brown
    "#a8323e",  # red
    "#736400",  # olive
    "#16707f",  # teal
)
SYNTHETIC = {"background": "#fff3cd", "border": "#d39e00"}
REAL = {"background": "#eef2f5", "border": "#99aaaa"}
GOOD = "#17702f"
BAD = "#b42318"
TEXT = "#333333"
SECONDARY = "#555555"
MUTED = "#666666"
GRID = "#e5e5e5"
BORDER = "#d0d7de"


def groups(count: int) -> list[str]:
    """``count`` group colours (repeating after ten)."""
    return [GROUPS[i % len(GROUPS)] for i in range(max(count, 0))]
