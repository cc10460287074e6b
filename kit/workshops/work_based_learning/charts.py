"""This workshop's charts: the process of work-based learning as swim lanes with its critical points (:func:`swimlane`).

They keep the core's signature (:mod:`kit.charts`: ``chart(data, *, x, y, hue, ..., ax, label)``)
and draw with its helpers; the data's label is printed under each chart.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.axes import Axes

from kit import numbers
from kit import palette as colours
from kit.charts import (
    axes_for,
    finish,
    footnote,
    keep_figures,
)


def swimlane(
    data: pd.DataFrame,
    *,
    x: str = "phase",
    y: str = "actor",
    hue: str = "score",
    names: dict | None = None,
    lanes: dict | None = None,
    critical: str = "critical",
    rank: str = "rank",
    vmin: float = 3.5,
    vmax: float = 4.5,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    note: str = "",
    lang: str | None = None,
) -> Axes:
    """A process as swimlanes: one lane per ``y`` (actor, in ``lanes``' order), one column per
    ``x`` (phase, in order of appearance), a box where the actor acts, coloured by ``hue``
    (the phase's result, red ``vmin`` … green ``vmax``; grey where hidden or missing). Rows
    whose ``critical`` is true get a thick outline and their ``rank``. ``names`` maps a phase
    to its label, ``lanes`` an actor to its name."""
    import matplotlib
    from matplotlib import colors
    from matplotlib.patches import FancyBboxPatch

    steps = list(dict.fromkeys(data[x]))
    lane_ids = list(lanes) if lanes else list(dict.fromkeys(data[y]))
    ax = axes_for(ax, (max(8.0, 1.6 * len(steps)), 1.0 + 1.05 * len(lane_ids)))
    cmap = matplotlib.colormaps["RdYlGn"]
    scale = colors.Normalize(vmin=vmin, vmax=vmax)
    for i, _lane in enumerate(lane_ids):
        yy = len(lane_ids) - 1 - i
        ax.axhspan(yy - 0.5, yy + 0.5, color=colours.MUTED if i % 2 else "white", alpha=0.08)
    for _, r in data.iterrows():
        if r[y] not in lane_ids:
            continue
        cx = steps.index(r[x])
        cy = len(lane_ids) - 1 - lane_ids.index(r[y])
        value = r[hue]
        face = cmap(scale(value)) if pd.notna(value) else "#d9d9d9"
        crit = bool(r.get(critical, False))
        ax.add_patch(
            FancyBboxPatch(
                (cx - 0.42, cy - 0.32),
                0.84,
                0.64,
                boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor=face,
                edgecolor="#7f0000" if crit else "white",
                linewidth=3 if crit else 1,
            )
        )
        text = numbers.number(value, 2, lang) if pd.notna(value) else "–"
        if crit and pd.notna(r.get(rank)):
            text = f"{int(r[rank])}. {text}"
        ax.text(
            cx,
            cy,
            text,
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold" if crit else "normal",
        )
    for cx in range(len(steps) - 1):
        ax.annotate(
            "",
            xy=(cx + 0.62, len(lane_ids) - 0.35),
            xytext=(cx + 0.38, len(lane_ids) - 0.35),
            arrowprops={"arrowstyle": "->", "color": colours.MUTED},
        )
    ax.set_xlim(-0.5, len(steps) - 0.5)
    ax.set_ylim(-0.5, len(lane_ids) - 0.2)
    ax.set_xticks(
        range(len(steps)),
        [textwrap.fill(str((names or {}).get(s, s)), 16) for s in steps],
        fontsize=8,
    )
    ax.set_yticks(
        range(len(lane_ids)), [str((lanes or {}).get(a, a)) for a in reversed(lane_ids)], fontsize=9
    )
    ax.xaxis.tick_top()
    ax.grid(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    if note:
        ax.text(-0.45, -0.8, note, fontsize=8, color=colours.MUTED)
    ax = finish(ax, None, None, legend=False)
    if title:
        ax.set_title(title, loc="left", fontsize=11, pad=34)
    named = data.assign(
        **{
            x: data[x].map(lambda s: (names or {}).get(s, s)),
            y: data[y].map(lambda a: (lanes or {}).get(a, a)),
        }
    )
    keep_figures(ax, named, x=x, y=hue, hue=y)
    return footnote(ax, label)
