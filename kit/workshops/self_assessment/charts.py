"""This workshop's charts: self against peer against the network on a radar (:func:`radar`) and the distribution of levels per criterion (:func:`levels`).

They keep the core's signature (:mod:`kit.charts`: ``chart(data, *, x, y, hue, ..., ax, label)``)
and draw with its helpers; the data's label is printed under each chart.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from kit import palette as colours
from kit.charts import (
    axes_for,
    figure_of,
    finish,
    footnote,
    hue_colours,
    keep_figures,
    long_form,
    percent_axis,
)


def radar(
    data: pd.DataFrame,
    *,
    x: str = "criterion",
    y: str = "level",
    hue: str = "series",
    hue_order: Sequence = ("self", "peer", "network"),
    palette: Sequence[str] | dict | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    names: dict[str, str] | None = None,
    levels: dict[int, str] | None = None,
) -> Axes:
    """A radar (spider) chart: one spoke per ``x`` value, one closed line of ``y`` per ``hue``
    on the 0–4 maturity scale. Missing values (hidden groups) break the line. ``names`` are the
    legend's names of the ``hue`` values."""
    if ax is None:
        fig = plt.figure(figsize=(7, 7))
        ax = fig.add_subplot(projection="polar")
    order = list(hue_order)
    long = long_form(data, x=y, y=x, hue=hue, hue_order=order, stub=False)
    spokes = list(dict.fromkeys(long[x]))
    angles = np.linspace(0, 2 * np.pi, len(spokes), endpoint=False)
    colour = hue_colours(order, palette)
    for series in order:
        rows = long[long[hue] == series].set_index(x).reindex(spokes)
        values = rows[y].astype(float).to_numpy()
        ax.plot(
            np.append(angles, angles[0]),
            np.append(values, values[0]),
            color=colour[series],
            linewidth=2,
            marker="o",
            label=(names or {}).get(series, series),
        )
        ax.fill(angles, np.nan_to_num(values), color=colour[series], alpha=0.06)
    ax.set_xticks(angles, spokes, fontsize=8)
    ax.set_ylim(0, 4)
    ax.set_yticks(
        range(5), [f"{v}" if not levels else f"{v} {levels[v]}" for v in range(5)], fontsize=7
    )
    if title:
        ax.set_title(title, fontsize=11, pad=18)
    ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1), frameon=False, fontsize=8)
    figure_of(ax).tight_layout(rect=(0, 0.04, 1, 1))
    keep_figures(
        ax,
        long.assign(**{hue: long[hue].map(lambda s: (names or {}).get(s, s))}),
        x=x,
        y=y,
        hue=hue,
    )
    return footnote(ax, label)


def levels(
    data: pd.DataFrame,
    *,
    x: str = "n",
    y: str = "criterion",
    hue: str = "level",
    hue_order: Sequence = (0, 1, 2, 3, 4),
    palette: Sequence[str] | dict | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    names: dict[int, str] | None = None,
    note: str | None = None,
    lang: str | None = None,
) -> Axes:
    """Stacked bars of how many chose each ``hue`` level (counts ``x``) per row ``y``, as
    shares; hidden rows (missing counts) say ``note``."""
    order = list(hue_order)
    long = long_form(data, x=x, y=y, hue=hue, hue_order=order)
    wide = long.pivot_table(
        index=y, columns=hue, values=x, aggfunc="first", dropna=False, sort=False
    ).reindex(columns=order)
    wide = wide.reindex(list(dict.fromkeys(long[y])))
    ax = axes_for(ax, (9, 0.38 * max(len(wide), 2) + 1.4))
    colour = hue_colours(order, palette, colours.SCALE)
    counts = wide.to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / counts.sum(axis=1, keepdims=True)
    at = list(range(len(wide)))[::-1]
    left = np.zeros(len(wide))
    for k, level in enumerate(order):
        ax.barh(
            at,
            np.nan_to_num(shares[:, k]),
            left=left,
            color=colour[level],
            height=0.7,
            edgecolor="white",
            label=(names or {}).get(level, str(level)),
        )
        left += np.nan_to_num(shares[:, k])
    for i, hidden in enumerate(np.isnan(counts).any(axis=1)):
        if hidden and note:
            ax.text(0.02, at[i], note, va="center", fontsize=8, color=colours.MUTED)
    ax.set_yticks(at, [str(v) for v in wide.index], fontsize=8)
    ax.set_xlim(0, 1)
    percent_axis(ax.xaxis, lang)
    ax.set(xlabel="", ylabel="")
    finish(ax, label, title)
    named = long.assign(**{hue: long[hue].map(lambda v: (names or {}).get(v, str(v)))})
    return keep_figures(ax, named, x=hue, y=x, hue=y)
