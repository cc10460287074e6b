"""This workshop's charts: the answer scale as diverging bars (:func:`likert`) and means with their 95 % intervals side by side (:func:`comparison`).

They keep the core's signature (:mod:`kit.charts`: ``chart(data, *, x, y, hue, ..., ax, label)``)
and draw with its helpers; the data's label is printed under each chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from kit import palette as colours
from kit.charts import (
    axes_for,
    finish,
    hue_colours,
    hue_levels,
    keep_figures,
    long_form,
    percent_axis,
)


def likert(
    data: pd.DataFrame,
    *,
    x: str = "p",
    y: str = "text",
    hue: str = "answer",
    hue_order: Sequence = ("1", "2", "3", "4", "5"),
    palette: Sequence[str] | dict | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    scale: dict[str, str] | None = None,
    wrap: int = 70,
    note: str | None = None,
    lang: str | None = None,
    tight: bool = True,
) -> Axes:
    """Diverging stacked bars of answer shares ``x`` per row ``y`` (a question), one segment
    per answer ``hue`` in ``hue_order``: the disagreeing side to the left of zero, the agreeing
    side to the right, the middle answer split across. ``scale`` names the answers in the
    legend. Hidden rows (missing shares) are drawn as an empty row with ``note``."""
    order = [str(v) for v in hue_order]
    long = long_form(data, x=x, y=y, hue=hue, hue_order=order)
    long = long.assign(**{hue: long[hue].astype(str)})
    wide = long.pivot_table(
        index=y, columns=hue, values=x, aggfunc="first", dropna=False, sort=False
    ).reindex(columns=order)
    wide = wide.reindex(list(dict.fromkeys(long[y])))
    ax = axes_for(ax, (10, 0.42 * max(len(wide), 2) + 1.4))
    colour = hue_colours(order, palette, colours.SCALE)
    names = [textwrap.shorten(str(v), wrap, placeholder="…") for v in wide.index]
    shares = wide.to_numpy(float)
    middle = len(order) // 2
    left = -(shares[:, :middle].sum(axis=1) + shares[:, middle] / 2)
    at = list(range(len(wide)))[::-1]
    for k, answer in enumerate(order):
        ax.barh(
            at,
            shares[:, k],
            left=left,
            color=colour[answer],
            edgecolor="white",
            height=0.7,
            label=(scale or {}).get(answer, answer),
        )
        left = left + shares[:, k]
    for i, hidden in enumerate(np.isnan(shares).any(axis=1)):
        if hidden and note:
            ax.text(0, at[i], note, ha="center", va="center", fontsize=8, color=colours.MUTED)
    ax.axvline(0, color=colours.TEXT, linewidth=0.8)
    ax.set_yticks(at, names, fontsize=8)
    ax.set_xlim(-1, 1)
    percent_axis(ax.xaxis, lang, absolute=True)
    ax.set(xlabel="", ylabel="")
    finish(ax, label, title, tight=tight)
    named = long.assign(**{hue: long[hue].map(lambda v: (scale or {}).get(v, v))})
    return keep_figures(ax, named, x=hue, y=x, hue=y, percent=True)


def comparison(
    data: pd.DataFrame,
    *,
    x: str = "mean",
    y: str = "item",
    hue: str = "who",
    hue_order: Sequence | None = None,
    palette: Sequence[str] | dict | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    wrap: int = 40,
    size: tuple[float, float] | None = None,
    tight: bool = True,
) -> Axes:
    """Dots of ``x`` per ``y`` item, one colour per ``hue``, with the 95 % interval
    (``ci_low``, ``ci_high``) as a line; hidden values are left out."""
    items = list(dict.fromkeys(data[y]))
    order = hue_levels(data, hue, hue_order)
    colour = hue_colours(order, palette)
    ax = axes_for(ax, size or (7, 0.42 * max(len(items), 2) + 1.2))
    offset = {w: (i - (len(order) - 1) / 2) * 0.18 for i, w in enumerate(order)}
    pos = {item: len(items) - 1 - i for i, item in enumerate(items)}
    for w in order:
        rows = data[(data[hue] == w) & data[x].notna()]
        at = [pos[v] + offset[w] for v in rows[y]]
        ax.errorbar(
            rows[x].astype(float),
            at,
            xerr=[
                (rows[x] - rows["ci_low"]).astype(float),
                (rows["ci_high"] - rows[x]).astype(float),
            ],
            fmt="o",
            color=colour[w],
            label=w,
            capsize=2,
            markersize=6,
        )
    ax.set_yticks(
        [pos[i] for i in items],
        [textwrap.shorten(str(i), wrap, placeholder="…") for i in items],
        fontsize=8,
    )
    ax.set(xlabel=xlabel or x, ylabel="")
    finish(ax, label, title, tight=tight)
    return keep_figures(ax, data, x=hue, y=x, hue=y)
