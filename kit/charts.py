"""Charts with one signature, after seaborn: ``chart(data, *, x, y, hue, hue_order, palette,
ax, label, ...)``.

Each function takes a protected table (from the models, which cut every figure through the
privacy rule), draws on ``ax`` (a new figure when omitted) and returns the Axes. ``hue`` names
the column that splits the data into coloured groups, ``hue_order`` their order and ``palette``
their colours (default: :mod:`kit.palette`). ``label`` is the data's label
(:meth:`kit.datasets.Dataset.label`); it is printed under the chart, so a synthetic chart always
says so. Missing values (hidden groups) are never drawn as zero: they leave a gap or a note.

Charts of answer scales (:func:`likert`, :func:`levels`) and :func:`radar` take their data in
long form (one row per ``y`` and ``hue`` value) or in the wide form the models return: one
column per ``hue`` value, named ``<x>_<value>`` (``p_1`` … ``p_5``, ``n_0`` … ``n_4``) or, for the
radar, named by the value itself (``self``, ``peer``, ``network``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kit import numbers
from kit import palette as colours


def figure_of(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn on (the kit draws no sub-figures)."""
    return ax.get_figure(root=True)  # type: ignore[return-value]  # root=True gives a Figure


def footnote(ax: Axes, label: str | None) -> Axes:
    """Print ``label`` under the chart, small and grey."""
    if label:
        ax.annotate(
            label,
            xy=(0, 0),
            xycoords="figure fraction",
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=8,
            color=colours.MUTED,
            va="bottom",
        )
    return ax


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _fig, ax = plt.subplots(figsize=size)
    return ax


def _order(data: pd.DataFrame, hue: str, hue_order: Sequence | None) -> list:
    return list(hue_order) if hue_order is not None else list(dict.fromkeys(data[hue]))


def _colours(
    levels: Sequence, palette: Sequence[str] | dict | None, default: Sequence[str] | None = None
) -> dict:
    if isinstance(palette, dict):
        return dict(palette)
    chosen = list(palette) if palette is not None else list(default or colours.groups(len(levels)))
    return {level: chosen[i % len(chosen)] for i, level in enumerate(levels)}


def _long(
    data: pd.DataFrame, *, x: str, y: str, hue: str, hue_order: Sequence, stub: bool = True
) -> pd.DataFrame:
    """``data`` in long form (``y``, ``hue``, ``x``): as it is, or melted from the wide form
    with one column per hue value (``<x>_<value>`` when ``stub``, else ``<value>``)."""
    if hue in data.columns and x in data.columns:
        return data
    names = {f"{x}_{v}" if stub else str(v): v for v in hue_order}
    long = data[[y, *names]].melt(id_vars=[y], var_name=hue, value_name=x)
    long[hue] = long[hue].map(names)
    return long


def _finish(
    ax: Axes, label: str | None, title: str | None, legend: bool = True, tight: bool = True
) -> Axes:
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    handles, _names = ax.get_legend_handles_labels()
    if legend and handles:
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            frameon=False,
            fontsize=8,
            ncol=min(len(handles), 5),
            borderaxespad=0.2,
            handlelength=1.2,
        )
        if title:
            ax.set_title(title, loc="left", fontsize=11, pad=22)
    if tight:
        figure_of(ax).tight_layout(rect=(0, 0.05, 1, 1))
    return footnote(ax, label)


def _percent_axis(axis, lang: str | None, absolute: bool = False) -> None:
    axis.set_major_formatter(lambda v, _pos: numbers.percent(abs(v) if absolute else v, 0, lang))


def bars(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    hue_order: Sequence | None = None,
    palette: Sequence[str] | dict | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Grouped bars of ``y`` by ``x`` (and ``hue``). Hidden groups (missing ``y``) stay empty."""
    ax = _axes(ax, (9, 4))
    shown = data.dropna(subset=[y])
    if hue is not None:
        order = _order(data, hue, hue_order)
        sns.barplot(
            data=shown,
            x=x,
            y=y,
            hue=hue,
            hue_order=order,
            ax=ax,
            errorbar=None,
            palette=_colours(order, palette),
        )
    else:
        sns.barplot(
            data=shown,
            x=x,
            y=y,
            ax=ax,
            errorbar=None,
            color=(list(palette) if palette else colours.GROUPS)[0],
        )
    ax.set(
        title=title or "",
        xlabel=xlabel if xlabel is not None else x,
        ylabel=ylabel if ylabel is not None else y,
    )
    if hue is not None and ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), frameon=False, title=None)
    figure_of(ax).tight_layout(rect=(0, 0.05, 1, 1))
    return footnote(ax, label)


def trend(
    data: pd.DataFrame,
    *,
    x: str = "period",
    y: str = "mean",
    hue: str = "who",
    hue_order: Sequence | None = None,
    palette: Sequence[str] | dict | None = None,
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
    order = _order(data, hue, hue_order)
    colour = _colours(order, palette)
    for who in order:
        rows = data[data[hue] == who].set_index(x).reindex(xs)
        at = [pos[v] for v in xs]
        ax.plot(at, rows[y].astype(float), marker="o", color=colour[who], label=who, linewidth=2)
        if {"ci_low", "ci_high"} <= set(rows.columns):
            ax.fill_between(
                at,
                rows["ci_low"].astype(float),
                rows["ci_high"].astype(float),
                color=colour[who],
                alpha=0.15,
                linewidth=0,
            )
    ax.set_xticks(range(len(xs)), xs)
    ax.set(xlabel="", ylabel=ylabel or y)
    if data[y].notna().sum() == 0 and note:
        ax.text(
            0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", color=colours.MUTED
        )
    return _finish(ax, label, title, tight=tight)


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
    long = _long(data, x=x, y=y, hue=hue, hue_order=order)
    long = long.assign(**{hue: long[hue].astype(str)})
    wide = long.pivot_table(
        index=y, columns=hue, values=x, aggfunc="first", dropna=False, sort=False
    ).reindex(columns=order)
    wide = wide.reindex(list(dict.fromkeys(long[y])))
    ax = _axes(ax, (10, 0.42 * max(len(wide), 2) + 1.4))
    colour = _colours(order, palette, colours.SCALE)
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
    _percent_axis(ax.xaxis, lang, absolute=True)
    ax.set(xlabel="", ylabel="")
    return _finish(ax, label, title, tight=tight)


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
    order = _order(data, hue, hue_order)
    colour = _colours(order, palette)
    ax = _axes(ax, size or (7, 0.42 * max(len(items), 2) + 1.2))
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
    return _finish(ax, label, title, tight=tight)


def factor_curves(
    data: pd.DataFrame,
    *,
    x: str = "response_rate",
    y: str = "correction_factor",
    hue: str = "formula",
    hue_order: Sequence | None = None,
    palette: Sequence[str] | dict | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    title: str | None = None,
    marks: pd.DataFrame | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    lang: str | None = None,
) -> Axes:
    """The correction factor against the response rate, one line per formula; ``marks``
    (``x``, ``y``, ``name``) puts named points on it, for example each survey's own rate."""
    ax = _axes(ax, (7, 3.4))
    order = _order(data, hue, hue_order)
    sns.lineplot(
        data=data, x=x, y=y, hue=hue, hue_order=order, ax=ax, palette=_colours(order, palette)
    )
    if marks is not None and len(marks):
        ax.scatter(marks[x].astype(float), marks[y].astype(float), color="black", zorder=3)
        for _, m in marks.iterrows():
            ax.annotate(
                str(m["name"]),
                (float(m[x]), float(m[y])),
                xytext=(5, 5),
                textcoords="offset points",
                fontsize=8,
            )
    _percent_axis(ax.xaxis, lang)
    ax.set(xlabel=xlabel or x, ylabel=ylabel or y)
    return _finish(ax, label, title)


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
    ax = _axes(ax, (8.5, 3.4))
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
    return _finish(ax, label, title)


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
    ax = _axes(ax, (7.5, 4.2))
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
    _percent_axis(ax.yaxis, lang)
    ax.set(xlabel=xlabel or x, ylabel=ylabel or y)
    return _finish(ax, label, title)


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
    long = _long(data, x=y, y=x, hue=hue, hue_order=order, stub=False)
    spokes = list(dict.fromkeys(long[x]))
    angles = np.linspace(0, 2 * np.pi, len(spokes), endpoint=False)
    colour = _colours(order, palette)
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
    long = _long(data, x=x, y=y, hue=hue, hue_order=order)
    wide = long.pivot_table(
        index=y, columns=hue, values=x, aggfunc="first", dropna=False, sort=False
    ).reindex(columns=order)
    wide = wide.reindex(list(dict.fromkeys(long[y])))
    ax = _axes(ax, (9, 0.38 * max(len(wide), 2) + 1.4))
    colour = _colours(order, palette, colours.SCALE)
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
    _percent_axis(ax.xaxis, lang)
    ax.set(xlabel="", ylabel="")
    return _finish(ax, label, title)


def to_png(ax: Axes, dpi: int = 80, tight: bool = True) -> bytes:
    """The figure of ``ax`` as PNG bytes (for image widgets and reports); closes it.

    ``tight`` trims the margins to the content, which costs one more layout pass; a live app
    that lays its figures out with fixed margins passes ``False``.
    """
    import io

    buffer = io.BytesIO()
    fig = figure_of(ax)
    if tight:
        fig.savefig(
            buffer,
            format="png",
            dpi=dpi,
            pil_kwargs={"compress_level": 1},
            bbox_inches="tight",
            pad_inches=0.08,
        )
    else:
        fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return buffer.getvalue()


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
    ax = _axes(ax, (max(8.0, 1.6 * len(steps)), 1.0 + 1.05 * len(lane_ids)))
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
    ax = _finish(ax, None, None, legend=False)
    if title:
        ax.set_title(title, loc="left", fontsize=11, pad=34)
    return footnote(ax, label)


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
    ax = _axes(ax, (max(7.0, 0.62 * len(cols) + 3.5), max(3.0, 0.34 * len(rows) + 1.6)))
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
    ax = _finish(ax, None, None, legend=False)
    if title:
        ax.set_title(title, loc="left", fontsize=11, pad=64)
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
    ax = _axes(ax, (8, 5.2))
    split = float(data[y].median()) if split is None and len(data) else (split or 0.0)
    order = list(dict.fromkeys(data[hue]))
    colour = _colours(order, palette)
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
    ax = _finish(ax, None, None, legend=False)
    if title:
        ax.set_title(title, loc="left", fontsize=11, pad=34)
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
    ax = _axes(ax, (8, 3.8))
    order = list(dict.fromkeys(data[hue]))
    colour = _colours(order, None)
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
    return _finish(ax, label, title)
