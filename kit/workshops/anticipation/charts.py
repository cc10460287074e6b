"""This workshop's charts: labour-market tightness by region and occupation (:func:`heatmap`), demand against the training offer (:func:`quadrant`) and monthly series with their fitted trend and its band (:func:`bands`).

They keep the core's signature (:mod:`kit.charts`: ``chart(data, *, x, y, hue, ..., ax, label)``)
and draw with its helpers; the data's label is printed under each chart.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from kit import numbers
from kit import palette as colours
from kit.charts import (
    axes_for,
    finish,
    footnote,
    hue_colours,
    keep_figures,
)


def heatmap(
    data: pd.DataFrame,
    *,
    x: str = "region",
    y: str = "occupation",
    hue: str = "tightness",
    names: dict | None = None,
    columns: dict | None = None,
    mark: str | None = None,
    center: float = 1.0,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    lang: str | None = None,
) -> Axes:
    """A grid of ``hue`` per ``y`` (rows) × ``x`` (columns), in long form, coloured around
    ``center`` (tightness 1: one vacancy per unemployed) on a log scale, each cell written out;
    a missing value is grey and reads "–". ``names`` labels the rows, ``columns`` the columns;
    a column named ``mark`` is outlined."""
    from matplotlib import colors

    grid = data.pivot_table(index=y, columns=x, values=hue, aggfunc="first", observed=True)
    rows, cols = list(grid.index), list(grid.columns)
    ax = axes_for(ax, (max(7.0, 0.62 * len(cols) + 3.5), max(3.0, 0.34 * len(rows) + 1.6)))
    values = grid.to_numpy(dtype="float64")
    positive = values[np.isfinite(values) & (values > 0)]
    spread = max(abs(np.log(positive / center)).max() if positive.size else 1.0, 0.1)
    scale = colors.LogNorm(vmin=center / np.exp(spread), vmax=center * np.exp(spread))
    shown = np.ma.masked_invalid(np.where(values > 0, values, np.nan))
    cmap = plt.get_cmap("RdBu_r").copy()
    cmap.set_bad("#e6e6e6")
    ax.imshow(shown, cmap=cmap, norm=scale, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(cols)):
            v = values[i, j]
            ax.text(
                j,
                i,
                numbers.number(v, 2, lang) if np.isfinite(v) else "–",
                ha="center",
                va="center",
                fontsize=7,
                color="white"
                if np.isfinite(v) and v > 0 and abs(np.log(v / center)) > spread * 0.6
                else "black",
            )
    ax.set_xticks(
        range(len(cols)),
        [textwrap.fill(str((columns or {}).get(c, c)), 12) for c in cols],
        fontsize=7,
        rotation=90,
    )
    ax.set_yticks(
        range(len(rows)),
        [textwrap.shorten(str((names or {}).get(r, r)), 42, placeholder="…") for r in rows],
        fontsize=8,
    )
    if mark in cols:
        j = cols.index(mark)
        ax.add_patch(
            plt.Rectangle(
                (j - 0.5, -0.5), 1, len(rows), fill=False, linewidth=2.5, edgecolor="black"
            )
        )
    ax.grid(False)
    ax.xaxis.tick_top()
    ax = finish(ax, None, None, legend=False)
    if title:
        ax.set_title(title, loc="left", fontsize=11, pad=64)
    named = data.assign(
        **{
            y: data[y].map(lambda r: (names or {}).get(r, r)),
            x: data[x].map(lambda c: (columns or {}).get(c, c)),
        }
    )
    keep_figures(ax, named, x=x, y=hue, hue=y)
    return footnote(ax, label)


def quadrant(
    data: pd.DataFrame,
    *,
    x: str = "trend",
    y: str = "supply",
    hue: str = "quadrant",
    names: str = "name",
    xerr: tuple[str, str] | None = ("trend_low", "trend_high"),
    palette: dict | None = None,
    hue_labels: dict | None = None,
    split: float | None = None,
    xlabel: str = "",
    ylabel: str = "",
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    lang: str | None = None,
) -> Axes:
    """Points of ``y`` against ``x`` (with the interval ``xerr`` as a whisker), coloured by
    ``hue``, with the lines x = 0 and y = ``split`` (default: the median of ``y``) dividing
    the plane, and each point of a named quadrant labelled with its ``names``."""
    ax = axes_for(ax, (8, 5.2))
    split = float(data[y].median()) if split is None and len(data) else (split or 0.0)
    order = list(dict.fromkeys(data[hue]))
    colour = hue_colours(order, palette)
    for group in order:
        rows = data[data[hue] == group]
        if xerr and set(xerr) <= set(rows.columns):
            ax.errorbar(
                rows[x],
                rows[y],
                xerr=[rows[x] - rows[xerr[0]], rows[xerr[1]] - rows[x]],
                fmt="none",
                ecolor=colour[group],
                alpha=0.35,
                linewidth=1,
            )
        ax.scatter(
            rows[x],
            rows[y],
            color=colour[group],
            s=46,
            zorder=3,
            label=(hue_labels or {}).get(group, group),
        )
    ax.axvline(0, color=colours.MUTED, linewidth=1)
    ax.axhline(split, color=colours.MUTED, linewidth=1, linestyle="--")
    named = data[data[hue].isin(list(palette or {}))] if palette else data
    for _, r in named.iterrows():
        if r[hue] in (hue_labels or {}) and r[hue] in ("candidate", "review"):
            ax.annotate(
                textwrap.shorten(str(r[names]), 30, placeholder="…"),
                (r[x], r[y]),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=7,
            )
    ax.set_yscale("symlog", linthresh=max(10.0, split / 4))
    ax.set_xlabel(textwrap.fill(xlabel or x, 70), fontsize=9)
    ax.set_ylabel(textwrap.fill(ylabel or y, 40), fontsize=9)
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        frameon=False,
        fontsize=8,
        ncol=3,
        borderaxespad=0.2,
        handlelength=1.2,
    )
    ax = finish(ax, None, None, legend=False)
    if title:
        ax.set_title(title, loc="left", fontsize=11, pad=34)
    shown = data[data[hue].isin(list(hue_labels or {}))] if hue_labels else data
    long = pd.concat(
        [
            shown.assign(_what=xlabel or x, _value=shown[x].astype(float)),
            shown.assign(_what=ylabel or y, _value=shown[y].astype(float)),
        ]
    )
    keep_figures(ax, long, x="_what", y="_value", hue=names)
    return footnote(ax, label)


def bands(
    data: pd.DataFrame,
    *,
    x: str = "month",
    y: str = "adjusted",
    hue: str = "occupation",
    raw: str | None = "tightness",
    fit: str = "fit",
    band: tuple[str, str] = ("low", "high"),
    names: dict | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    ylabel: str = "",
) -> Axes:
    """Monthly series per ``hue``: ``y`` (the seasonally adjusted value) as a line, ``raw`` as
    faint dots, and the fitted trend ``fit`` with its 95 % ``band``."""
    ax = axes_for(ax, (8, 3.8))
    order = list(dict.fromkeys(data[hue]))
    colour = hue_colours(order, None)
    for group in order:
        rows = data[data[hue] == group].sort_values(x)
        name = textwrap.shorten(str((names or {}).get(group, group)), 34, placeholder="…")
        ax.plot(rows[x], rows[y], color=colour[group], linewidth=1.6, label=name)
        if raw and raw in rows:
            ax.scatter(rows[x], rows[raw], color=colour[group], s=6, alpha=0.35)
        if fit in rows and rows[fit].notna().any():
            ax.plot(rows[x], rows[fit], color=colour[group], linewidth=1, linestyle="--")
            ax.fill_between(
                rows[x],
                rows[band[0]].astype(float),
                rows[band[1]].astype(float),
                color=colour[group],
                alpha=0.15,
                linewidth=0,
            )
    from matplotlib import dates

    locator = dates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    ax.set(xlabel="", ylabel=ylabel or y)
    finish(ax, label, title)
    # the last twelve months as a table: what the lines end on (the trend is in the text)
    months = pd.to_datetime(data[x])
    recent = data[months >= months.max() - pd.DateOffset(months=11)]
    named = recent.assign(
        **{
            x: pd.to_datetime(recent[x]).dt.strftime("%Y-%m"),
            hue: recent[hue].map(lambda g: (names or {}).get(g, g)),
        }
    )
    return keep_figures(ax, named, x=x, y=y, hue=hue)
