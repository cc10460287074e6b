"""Charts described in words, in the page's language: the alternative text of every chart.

A chart drawn by matplotlib (:func:`kit.charts.description`) and one drawn as SVG in an app
(the dashboard's trend) say the same things the same way: what is plotted, the first and last
value of each line with the periods they belong to, and the other series. This module needs
no plotting library, so that an app kernel that draws SVG does not load matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kit import numbers
from kit.i18n import t


def heading(title: str | None, lang: str | None = None) -> str:
    """What the chart is: "Chart: <title>." (or "Chart." without a title)."""
    return t("chart.titled", lang, title=title) if title else t("chart.untitled", lang)


def change(name: str, points: Sequence[tuple[str, float]], lang: str | None = None) -> str:
    """One line's change: its first and last value ("SDO 4,35 → 4,27"), or its level where
    every value is the same (a target)."""
    first, last = points[0][1], points[-1][1]
    if all(value == first for _period, value in points):
        return f"{name} {numbers.number(first, 2, lang)}"
    return f"{name} {numbers.number(first, 2, lang)} → {numbers.number(last, 2, lang)}"


def changes(
    lines: Mapping[str, Sequence[tuple[str, float]]], lang: str | None = None
) -> tuple[str, list[str]]:
    """The sentence on how ``lines`` (name → shown (period, value) points, hidden ones left
    out) changed from their first to their last period, and the names it covers; a line with
    fewer than two shown points is left out (it has no change to tell)."""
    told = {name: points for name, points in lines.items() if len(points) >= 2}
    if not told:
        return "", []
    first = next(iter(told.values()))
    listed = ", ".join(change(name, points, lang) for name, points in told.items())
    sentence = t("chart.change", lang, first=first[0][0], last=first[-1][0], changes=listed)
    return sentence, list(told)


def series(names: Iterable[str], lang: str | None = None) -> str:
    """The sentence naming the chart's other series, or ``""``."""
    names = list(dict.fromkeys(names))
    return t("chart.series", lang, names=", ".join(names)) if names else ""


def lines(
    lines: Mapping[str, Sequence[tuple[str, float]]],
    lang: str | None = None,
    title: str | None = None,
) -> str:
    """The whole description of a line chart of ``lines`` (see :func:`changes`)."""
    sentence, told = changes(lines, lang)
    rest = series([name for name in lines if name not in told], lang)
    return " ".join(part for part in (heading(title, lang), sentence, rest) if part)
