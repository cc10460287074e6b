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
