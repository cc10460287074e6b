"""Charts with one signature, after seaborn: ``chart(data, *, x, y, hue, hue_order, palette,
ax, label, ...)``.

Each function takes a protected table (from the models, which cut every figure through the
privacy rule), draws on ``ax`` (a new figure when omitted) and returns the Axes. ``hue`` names
the column that splits the data into coloured groups, ``hue_order`` their order and ``palette``
their colours (default: :mod:`kit.palette`). ``label`` is the data's label
(:meth:`kit.datasets.Dataset.label`); it is printed under the chart, so a synthetic chart always
says so. Missing values (hidden groups) are never drawn as zero: they leave a gap or a note.

The charts here are those more than one workshop draws; a chart only one workshop draws lives
in that workshop's ``charts.py`` and is built from the helpers here (:func:`axes_for`,
:func:`finish`, :func:`hue_levels`, :func:`hue_colours`, :func:`long_form`,
:func:`percent_axis`, :func:`footnote`). Charts of answer scales take their data in long form
(one row per ``y`` and ``hue`` value) or in the wide form the models return: one column per
``hue`` value, named ``<x>_<value>`` (``p_1`` … ``p_5``, ``n_0`` … ``n_4``) or named by the
value itself (``self``, ``peer``, ``network``); :func:`long_form` turns the second into the
first.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from kit import numbers
from kit import palette as colours


def figure_of(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn on (the kit draws no sub-figures)."""
    return ax.get_figure(root=True)  # type: ignore[return-value]  # root=True gives a Figure


def describe(ax: Axes, text: str | None) -> Axes:
    """Give the chart on ``ax`` its description: what is plotted, for whom, the period and the
    key figures, in the page's language. It becomes the image's alternative text wherever the
    chart is shown (:func:`description`); ``None`` leaves the one read from the chart."""
    figure_of(ax).kit_description = text  # type: ignore[attr-defined]
    return ax


def description(fig: Figure, lang: str | None = None, title: str | None = None) -> str:
    """The description of the chart ``fig``: the one :func:`describe` gave it, else one read
    from the chart itself (its title, or ``title`` where it has none, the first and last value
    of each line with the periods they belong to, its other series, and the data's label under
    it), in ``lang``. Never empty: a chart without a title still says what kind of chart it
    is."""
    from kit import descriptions

    given = getattr(fig, "kit_description", None)
    if given:
        return given
    parts: list[str] = []
    for ax in fig.axes:
        named = next((ax.get_title(loc=w) for w in ("left", "center") if ax.get_title(loc=w)), "")
        parts.append(descriptions.heading(named or title, lang))
        ticks = _categories(ax)
        lines: dict[str, list[tuple[str, float]]] = {}
        for line in ax.get_lines() if ticks else ():
            name = str(line.get_label())
            xs, ys = np.asarray(line.get_xdata()), np.asarray(line.get_ydata(), dtype=float)
            shown = [(ticks.get(x, str(x)), float(y)) for x, y in zip(xs, ys) if not np.isnan(y)]
            if not name.startswith("_"):  # not a helper line
                lines[name] = shown  # hidden points are gaps
        sentence, described = descriptions.changes(lines, lang)
        _handles, names = ax.get_legend_handles_labels()
        parts += [
            sentence,
            descriptions.series([n for n in names if n not in described], lang),
        ]
        parts += [
            note.get_text().rstrip(".") + "."
            for note in ax.texts
            if isinstance(note, Annotation) and note.get_text()
        ]
    return " ".join(part for part in parts if part)


def keep_figures(
    ax: Axes,
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None,
    digits: int = 2,
    percent: bool = False,
    headers: tuple[str, str] | None = None,
) -> Axes:
    """Keep the figures the chart on ``ax`` shows as a table (``hue`` down, ``x`` across, ``y``
    in the cells; shares as percentages with ``percent``), for readers who cannot see the
    chart: apps show it under the chart and reports after it (:func:`figures_html`). Without
    ``hue`` the table has the columns ``x`` and ``y``, headed by ``headers`` (default: the
    axes' labels). A hidden group keeps the label the privacy rule gave it
    (``respondents_label``), never a figure. Call it after the chart has its title."""
    from kit.i18n import t

    rows = hue if hue is not None else x
    frame = data.copy()
    hidden = frame["respondents_label"] if "respondents_label" in frame else None
    whole = y in ("respondents", "n", "answers") or digits == 0

    def cell(i: int) -> str:
        value = frame[y].iloc[i]
        if pd.isna(value):
            return str(hidden.iloc[i]) if hidden is not None else "–"
        if percent:
            return numbers.percent(float(value), 0)
        return numbers.number(float(value), 0 if whole else digits)

    frame["_shown"] = [cell(i) for i in range(len(frame))]
    if hue is None:
        first, second = headers or (ax.get_xlabel() or x, ax.get_ylabel() or y)
        table = frame[[x, "_shown"]].rename(columns={x: first, "_shown": second})
    else:
        table = frame.pivot_table(
            index=rows, columns=x, values="_shown", aggfunc="first", sort=False
        ).reset_index()
        table.columns.name = None
        table = table.rename(columns={rows: t("chart.group", None)})  # not the column's name
    # the kit titles its charts on the left (:func:`finish`), seaborn's in the centre
    title = ax.get_title("left") or ax.get_title() or t("chart.untitled", None).rstrip(".")
    figure_of(ax).kit_figures = (title, table)  # type: ignore[attr-defined]
    return ax


def figures_of(fig: Figure) -> tuple[str, pd.DataFrame] | None:
    """The chart's figures kept by :func:`keep_figures` (its title and table), or ``None``."""
    return getattr(fig, "kit_figures", None)


def figures_html(fig: Figure) -> str | None:
    """The chart's kept figures as a table folded under a ``<details>`` ("Kaavion luvut:
    …"), for readers who cannot see the chart; ``None`` when it kept none. Apps show it under
    the chart and reports after it (:mod:`kit.notebook`, :func:`kit.runner.report_html`)."""
    import html

    from kit.i18n import t

    kept = figures_of(fig)
    if kept is None:
        return None
    title, table = kept
    summary = html.escape(t("chart.figures", None, title=title))
    body = table.to_html(index=False, border=0, classes="kit-figures", escape=True)
    return f"<details><summary>{summary}</summary>{body}</details>"


def _categories(ax: Axes) -> dict:
    """The x axis's labels by position when it is a row of categories (the kit draws periods
    at 0, 1, 2, … with their names as labels); empty for a numeric, date or polar axis."""
    if ax.name != "rectilinear":
        return {}
    positions = list(ax.get_xticks())
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    if not positions or positions != list(range(len(positions))):
        return {}
    if any(not label or label.startswith("$") for label in labels):
        return {}  # numbers matplotlib wrote itself
    return dict(enumerate(labels))


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


def axes_for(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax``, or the Axes of a new figure of ``size`` inches when it is None."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=size)
    return ax


def hue_levels(data: pd.DataFrame, hue: str, hue_order: Sequence | None) -> list:
    """The ``hue`` values in ``hue_order``, else in order of appearance."""
    return list(hue_order) if hue_order is not None else list(dict.fromkeys(data[hue]))


def hue_colours(
    levels: Sequence, palette: Sequence[str] | dict | None, default: Sequence[str] | None = None
) -> dict:
    """A colour per level: from ``palette`` (a mapping or a sequence), else ``default``, else
    the kit's categorical colours."""
    if isinstance(palette, dict):
        return dict(palette)
    chosen = list(palette) if palette is not None else list(default or colours.groups(len(levels)))
    return {level: chosen[i % len(chosen)] for i, level in enumerate(levels)}


def long_form(
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


def finish(
    ax: Axes,
    label: str | None,
    title: str | None,
    legend: bool = True,
    tight: bool = True,
    description: str | None = None,
) -> Axes:
    """The common end of every chart: the title, the legend outside the plot, the layout, the
    data's label under the chart and its ``description`` (:func:`describe`; when ``None``, the
    one :func:`description` reads from the chart)."""
    if description:
        describe(ax, description)
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


def percent_axis(axis, lang: str | None, absolute: bool = False) -> None:
    """Write ``axis``'s ticks as percentages in ``lang`` (``absolute``: without the sign)."""
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
    ax = axes_for(ax, (9, 4))
    shown = data.dropna(subset=[y])
    if hue is not None:
        order = hue_levels(data, hue, hue_order)
        sns.barplot(
            data=shown,
            x=x,
            y=y,
            hue=hue,
            hue_order=order,
            ax=ax,
            errorbar=None,
            palette=hue_colours(order, palette),
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
    keep_figures(ax, data, x=x, y=y, hue=hue)
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
    ax = axes_for(ax, size)
    xs = sorted(data[x].unique())
    pos = {v: i for i, v in enumerate(xs)}
    order = hue_levels(data, hue, hue_order)
    colour = hue_colours(order, palette)
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
    finish(ax, label, title, tight=tight)
    return keep_figures(ax, data, x=x, y=y, hue=hue)


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
    ax = axes_for(ax, (7, 3.4))
    order = hue_levels(data, hue, hue_order)
    sns.lineplot(
        data=data, x=x, y=y, hue=hue, hue_order=order, ax=ax, palette=hue_colours(order, palette)
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
    percent_axis(ax.xaxis, lang)
    ax.set(xlabel=xlabel or x, ylabel=ylabel or y)
    finish(ax, label, title)
    if marks is not None and len(marks):  # the named points are the figures a reader needs
        long = pd.concat(
            [
                marks.assign(_what=xlabel or x, _value=marks[x].astype(float)),
                marks.assign(_what=ylabel or y, _value=marks[y].astype(float)),
            ]
        )
        keep_figures(ax, long, x="_what", y="_value", hue="name", digits=3)
    elif len(data):  # no point of one's own: the curves at a few response rates
        at = [0.25, 0.5, 0.75, 1.0]
        rows = [
            curve.iloc[[int((curve[x] - rate).abs().to_numpy().argmin())]].assign(
                _rate=numbers.percent(rate, 0, lang)
            )
            for _formula, curve in data.groupby(hue, sort=False)
            for rate in at
        ]
        keep_figures(ax, pd.concat(rows), x="_rate", y=y, hue=hue, digits=3)
    return ax


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
