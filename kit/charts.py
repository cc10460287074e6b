"""Charts with one signature, after seaborn: ``chart(data, *, x, y, hue, ax, label)``.

Each function takes a protected table (from :func:`kit.feedback.summary` or
:func:`kit.response.summary`), draws on ``ax`` (a new figure when omitted) and returns the Axes.
``label`` is the data's label (:meth:`kit.datasets.Dataset.label`); it is printed under the
chart, so a synthetic chart always says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes


def footnote(ax: Axes, label: str | None) -> Axes:
    """Print ``label`` under the chart, small and grey."""
    if label:
        ax.annotate(label, xy=(0, 0), xycoords="figure fraction", xytext=(6, 4),
                    textcoords="offset points", fontsize=8, color="#666", va="bottom")
    return ax


def bars(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    hue_order: list[str] | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Grouped bars of ``y`` by ``x`` (and ``hue``). Hidden groups (missing ``y``) stay empty."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9, 4))
    shown = data.dropna(subset=[y])
    sns.barplot(data=shown, x=x, y=y, hue=hue, hue_order=hue_order, ax=ax, errorbar=None)
    ax.set(title=title or "", xlabel=xlabel if xlabel is not None else x,
           ylabel=ylabel if ylabel is not None else y)
    if hue is not None and ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), frameon=False, title=None)
    ax.figure.tight_layout(rect=(0, 0.05, 1, 1))
    return footnote(ax, label)


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _fig, ax = plt.subplots(figsize=size)
    return ax


def _finish(ax: Axes, label: str | None, title: str | None, legend: bool = True,
            tight: bool = True) -> Axes:
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    handles, _names = ax.get_legend_handles_labels()
    if legend and handles:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8,
                  ncol=min(len(handles), 5), borderaxespad=0.2, handlelength=1.2)
        if title:
            ax.set_title(title, loc="left", fontsize=11, pad=22)
    if tight:
        ax.figure.tight_layout(rect=(0, 0.05, 1, 1))
    return footnote(ax, label)


def trend(
    data: pd.DataFrame,
    *,
    x: str = "period",
    y: str = "mean",
    hue: str = "who",
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    ylabel: str | None = None,
    note: str | None = None,
    size: tuple[float, float] = (7, 3.2),
    tight: bool = True,
) -> Axes:
    """Lines of ``y`` over ``x`` per ``hue``, each with its 95 % interval (``ci_low``,
    ``ci_high``) as a band. Hidden points (missing ``y``) leave a gap. ``note`` is shown when
    there is nothing to draw."""
    ax = _axes(ax, size)
    xs = sorted(data[x].unique())
    pos = {v: i for i, v in enumerate(xs)}
    palette = sns.color_palette("deep", max(data[hue].nunique(), 1))
    for colour, (who, rows) in zip(palette, data.groupby(hue, sort=False)):
        rows = rows.set_index(x).reindex(xs)
        at = [pos[v] for v in xs]
        ax.plot(at, rows[y].astype(float), marker="o", color=colour, label=who, linewidth=2)
        if {"ci_low", "ci_high"} <= set(rows.columns):
            ax.fill_between(at, rows["ci_low"].astype(float), rows["ci_high"].astype(float),
                            color=colour, alpha=0.15, linewidth=0)
    ax.set_xticks(range(len(xs)), xs)
    ax.set(xlabel="", ylabel=ylabel or y)
    if data[y].notna().sum() == 0 and note:
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", color="#666")
    return _finish(ax, label, title, tight=tight)


def likert(
    data: pd.DataFrame,
    *,
    y: str = "text",
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    scale: dict[str, str] | None = None,
    wrap: int = 70,
    note: str | None = None,
    tight: bool = True,
) -> Axes:
    """Diverging stacked bars of the answer shares ``p_1``…``p_5`` per row (question): the
    disagreeing side to the left of zero, the agreeing side to the right, the middle answer
    split across. Hidden rows (missing shares) are drawn as an empty row with ``note``."""
    import textwrap

    ax = _axes(ax, (10, 0.42 * max(len(data), 2) + 1.4))
    colours = ["#b2182b", "#ef8a62", "#cfcfcf", "#67a9cf", "#2166ac"]
    rows = data.reset_index(drop=True)
    names = [textwrap.shorten(str(v), wrap, placeholder="…") for v in rows[y]]
    shares = rows[[f"p_{v}" for v in range(1, 6)]].astype(float).to_numpy()
    left = -(shares[:, 0] + shares[:, 1] + shares[:, 2] / 2)
    at = list(range(len(rows)))[::-1]
    for k in range(5):
        ax.barh(at, shares[:, k], left=left, color=colours[k], edgecolor="white", height=0.7,
                label=(scale or {}).get(str(k + 1), str(k + 1)))
        left = left + shares[:, k]
    for i, hidden in enumerate(pd.isna(shares[:, 0])):
        if hidden and note:
            ax.text(0, at[i], note, ha="center", va="center", fontsize=8, color="#666")
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_yticks(at, names, fontsize=8)
    ax.set_xlim(-1, 1)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{abs(v):.0%}")
    ax.set(xlabel="", ylabel="")
    return _finish(ax, label, title, tight=tight)


def comparison(
    data: pd.DataFrame,
    *,
    x: str = "mean",
    y: str = "item",
    hue: str = "who",
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    wrap: int = 40,
    size: tuple[float, float] | None = None,
    tight: bool = True,
) -> Axes:
    """Dots of ``x`` per ``y`` item, one colour per ``hue``, with the 95 % interval as a line;
    hidden values are left out."""
    import textwrap

    items = list(dict.fromkeys(data[y]))
    who = list(dict.fromkeys(data[hue]))
    ax = _axes(ax, size or (7, 0.42 * max(len(items), 2) + 1.2))
    palette = sns.color_palette("deep", max(len(who), 1))
    offset = {w: (i - (len(who) - 1) / 2) * 0.18 for i, w in enumerate(who)}
    pos = {item: len(items) - 1 - i for i, item in enumerate(items)}
    for colour, w in zip(palette, who):
        rows = data[(data[hue] == w) & data[x].notna()]
        at = [pos[v] + offset[w] for v in rows[y]]
        ax.errorbar(rows[x].astype(float), at,
                    xerr=[(rows[x] - rows["ci_low"]).astype(float),
                          (rows["ci_high"] - rows[x]).astype(float)],
                    fmt="o", color=colour, label=w, capsize=2, markersize=6)
    ax.set_yticks([pos[i] for i in items],
                  [textwrap.shorten(str(i), wrap, placeholder="…") for i in items], fontsize=8)
    ax.set(xlabel=xlabel or x, ylabel="")
    return _finish(ax, label, title, tight=tight)


def factor_curves(
    data: pd.DataFrame,
    *,
    x: str = "response_rate",
    y: str = "correction_factor",
    hue: str = "formula",
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    marks: pd.DataFrame | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """The correction factor against the response rate, one line per formula; ``marks``
    (``x``, ``y``, ``name``) puts named points on it, for example each survey's own rate."""
    ax = _axes(ax, (7, 3.4))
    sns.lineplot(data=data, x=x, y=y, hue=hue, ax=ax)
    if marks is not None and len(marks):
        ax.scatter(marks[x].astype(float), marks[y].astype(float), color="black", zorder=3)
        for _, m in marks.iterrows():
            ax.annotate(str(m["name"]), (float(m[x]), float(m[y])), xytext=(5, 5),
                        textcoords="offset points", fontsize=8)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set(xlabel=xlabel or x, ylabel=ylabel or y)
    return _finish(ax, label, title)


def to_png(ax: Axes, dpi: int = 80, tight: bool = True) -> bytes:
    """The figure of ``ax`` as PNG bytes (for image widgets and reports); closes it.

    ``tight`` trims the margins to the content, which costs one more layout pass; a live app
    that lays its figures out with fixed margins passes ``False``.
    """
    import io

    buffer = io.BytesIO()
    extra = {"bbox_inches": "tight", "pad_inches": 0.08} if tight else {}
    ax.figure.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1}, **extra)
    plt.close(ax.figure)
    return buffer.getvalue()


def radar(
    data: pd.DataFrame,
    *,
    axis: str = "criterion",
    series: tuple[str, ...] = ("self", "peer", "network"),
    names: dict[str, str] | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    levels: dict[int, str] | None = None,
) -> Axes:
    """A radar (spider) chart: one spoke per ``axis`` value, one closed line per column of
    ``series`` on the 0–4 maturity scale. Missing values (hidden groups) break the line."""
    import numpy as np

    if ax is None:
        fig = plt.figure(figsize=(7, 7))
        ax = fig.add_subplot(projection="polar")
    spokes = list(data[axis])
    angles = np.linspace(0, 2 * np.pi, len(spokes), endpoint=False)
    palette = sns.color_palette("deep", len(series))
    for colour, col in zip(palette, series):
        values = data[col].astype(float).to_numpy()
        ax.plot(np.append(angles, angles[0]), np.append(values, values[0]), color=colour,
                linewidth=2, marker="o", label=(names or {}).get(col, col))
        ax.fill(angles, np.nan_to_num(values), color=colour, alpha=0.06)
    ax.set_xticks(angles, spokes, fontsize=8)
    ax.set_ylim(0, 4)
    ax.set_yticks(range(5), [f"{v}" if not levels else f"{v} {levels[v]}" for v in range(5)],
                  fontsize=7)
    if title:
        ax.set_title(title, fontsize=11, pad=18)
    ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1), frameon=False, fontsize=8)
    ax.figure.tight_layout(rect=(0, 0.04, 1, 1))
    return footnote(ax, label)


def levels(
    data: pd.DataFrame,
    *,
    y: str = "criterion",
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    names: dict[int, str] | None = None,
    note: str | None = None,
) -> Axes:
    """Stacked bars of how many chose each level (``n_0``…``n_4``) per row, as shares;
    hidden rows (missing counts) say ``note``."""
    import numpy as np

    ax = _axes(ax, (9, 0.38 * max(len(data), 2) + 1.4))
    colours = ["#b2182b", "#ef8a62", "#cfcfcf", "#67a9cf", "#2166ac"]
    counts = data[[f"n_{v}" for v in range(5)]].astype(float).to_numpy()
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / totals
    at = list(range(len(data)))[::-1]
    left = np.zeros(len(data))
    for v in range(5):
        ax.barh(at, np.nan_to_num(shares[:, v]), left=left, color=colours[v], height=0.7,
                edgecolor="white", label=(names or {}).get(v, str(v)))
        left += np.nan_to_num(shares[:, v])
    for i, hidden in enumerate(np.isnan(counts[:, 0])):
        if hidden and note:
            ax.text(0.02, at[i], note, va="center", fontsize=8, color="#666")
    ax.set_yticks(at, [str(v) for v in data[y]], fontsize=8)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set(xlabel="", ylabel="")
    return _finish(ax, label, title)
