"""This workshop's charts: an XmR control chart of an indicator (:func:`control`) and a funnel plot of rates against their denominators (:func:`funnel`).

They keep the core's signature (:mod:`kit.charts`: ``chart(data, *, x, y, hue, ..., ax, label)``)
and draw with its helpers; the data's label is printed under each chart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from kit import palette as colours
from kit.charts import (
    axes_for,
    finish,
    keep_figures,
    percent_axis,
)


def control(
    data: pd.DataFrame,
    *,
    x: str = "x",
    y: str = "value",
    hue: str = "kind",
    mean: float | None = None,
    lower: float | None = None,
    upper: float | None = None,
    target: float | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    ylabel: str | None = None,
    names: dict | None = None,
) -> Axes:
    """An XmR control chart: ``y`` over ``x`` with the mean and the process limits, each point
    coloured by ``hue`` (``improvement``, ``concern`` or ``common``, see :mod:`kit.spc`), and
    the target as a dotted line. ``names`` labels the kinds and lines."""
    ax = axes_for(ax, (8.5, 3.4))
    names = names or {}
    at = np.arange(len(data))
    ax.plot(at, data[y].astype(float), color=colours.MUTED, lw=1, zorder=1)
    kinds = {
        "common": colours.SCALE[2],
        "improvement": colours.SCALE[4],
        "concern": colours.GROUPS[1],
    }
    for kind, colour in kinds.items():
        rows = data[hue] == kind
        if rows.any():
            ax.scatter(
                at[rows.to_numpy()],
                data.loc[rows, y].astype(float),
                color=colour,
                zorder=3,
                s=22,
                label=names.get(kind, kind),
            )
    for value, style, key in (
        (mean, "-", "mean"),
        (lower, "--", "limits"),
        (upper, "--", None),
        (target, ":", "target"),
    ):
        if value is not None and np.isfinite(value):
            ax.axhline(
                value,
                linestyle=style,
                color=colours.SECONDARY,
                lw=1,
                label=names.get(key) if key else None,
            )
    step = max(1, len(data) // 6)
    ax.set_xticks(at[::step], [str(v) for v in data[x].iloc[::step]])
    ax.set(xlabel="", ylabel=ylabel or y)
    finish(ax, label, title)
    return keep_figures(ax, data, x=x, y=y, hue=None, headers=("", ylabel or y))


def funnel(
    data: pd.DataFrame,
    *,
    x: str = "targeted",
    y: str = "rate",
    limits: pd.DataFrame | None = None,
    centre: float | None = None,
    hue: str | None = None,
    palette: Sequence[str] | dict | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    marks: dict | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    names: dict | None = None,
    lang: str | None = None,
) -> Axes:
    """A funnel plot: each row's ``y`` (a rate) against its denominator ``x`` (log scale),
    with the control limits of ``limits`` (``n, lower95, upper95, lower998, upper998``; dashed
    ``od_`` lines where present) around ``centre``. ``marks`` maps a row key (the ``y_tunnus``
    column) to a name, drawn large and labelled: the partner and the network. ``names`` labels
    the lines (``centre``, ``95``, ``998``, ``od``)."""
    ax = axes_for(ax, (7.5, 4.2))
    names = names or {}
    ax.scatter(
        data[x].astype(float),
        data[y].astype(float),
        s=14,
        color=colours.MUTED,
        alpha=0.55,
        zorder=2,
    )
    if limits is not None and len(limits):
        for low, high, style, key in (
            ("lower95", "upper95", ":", "95"),
            ("lower998", "upper998", "-", "998"),
        ):
            ax.plot(
                limits["n"],
                limits[high],
                style,
                color=colours.SECONDARY,
                lw=1,
                label=names.get(key),
            )
            ax.plot(limits["n"], limits[low], style, color=colours.SECONDARY, lw=1)
        if "od_upper998" in limits:
            ax.plot(
                limits["n"],
                limits["od_upper998"],
                "--",
                color=colours.GROUPS[1],
                lw=1,
                label=names.get("od"),
            )
            ax.plot(limits["n"], limits["od_lower998"], "--", color=colours.GROUPS[1], lw=1)
    if centre is not None:
        ax.axhline(centre, color=colours.TEXT, lw=0.8, label=names.get("centre"))
    for i, (key, name) in enumerate((marks or {}).items()):
        row = data[data["y_tunnus"] == key]
        if row.empty:
            continue
        colour = colours.GROUPS[(i + 2) % len(colours.GROUPS)]
        ax.scatter(
            row[x].astype(float),
            row[y].astype(float),
            s=70,
            color=colour,
            zorder=4,
            edgecolor="black",
            label=str(name),
        )
    ax.set_xscale("log")
    percent_axis(ax.yaxis, lang)
    ax.set(xlabel=xlabel or x, ylabel=ylabel or y)
    finish(ax, label, title)
    # the marked points (the partner, the network) are the figures a reader looks for
    marked = data[data["y_tunnus"].isin(list(marks or {}))]
    if len(marked):
        named = marked.assign(_name=marked["y_tunnus"].map(lambda k: str((marks or {})[k])))
        long = pd.concat(
            [
                named.assign(_what=xlabel or x, _value=named[x].astype(float)),
                named.assign(_what=ylabel or y, _value=named[y].astype(float)),
            ]
        )
        keep_figures(ax, long, x="_what", y="_value", hue="_name")
    return ax
