"""The dashboards' HTML pieces for apps and reports: KPI cards, diverging answer bars, ranked
lists, dots and an SVG trend.

They take the plain values and tables of the dashboard model (:mod:`.dashboard`), which are
already protected, work out what to draw
(widths, positions, formatted numbers) and render a Jinja2 template (:mod:`kit.templates`;
every value is escaped). HTML draws in a millisecond, reads well on a projector and stays sharp
at any size, so the live app uses it where a chart would only be text and bars. Colours come
from :mod:`kit.palette` and numbers from :mod:`kit.numbers`, as in the charts.
"""

from __future__ import annotations

import pandas as pd

from kit import palette, privacy, templates
from kit.i18n import t
from kit.markup import note
from kit.numbers import number, percent


def kpi_cards(k: dict, lang: str | None = None) -> str:
    """Four cards from :func:`~kit.workshops.dashboards.dashboard.kpis`: respondents, response
    rate, mean, change."""
    respondents = str(k.get("respondents_label") or "–")
    if k.get("respondents") is None and respondents not in ("–", privacy.small_label()):
        respondents = privacy.hidden_label(lang)
    change = k.get("change")
    css = ""
    if change is None:
        change_text, change_note = "–", t("dashboard.no_change", lang)
    elif k.get("significant"):
        css = "kit-up" if change > 0 else "kit-down"
        change_text = number(change, 2, lang, sign=True) + (" ▲" if change > 0 else " ▼")
        change_note = t("dashboard.change_significant", lang, p=number(k["p_value"], 3, lang))
    else:
        change_text = number(change, 2, lang, sign=True)
        change_note = t("dashboard.change_not_significant", lang)
    cards = [
        {
            "name": t("dashboard.kpi_respondents", lang),
            "value": respondents,
            "note": k.get("period") or "",
            "css": None,
        },
        {
            "name": t("dashboard.kpi_rate", lang),
            "value": percent(k.get("response_rate"), 0, lang),
            "note": t("dashboard.kpi_rate_note", lang),
            "css": None,
        },
        {
            "name": t("dashboard.kpi_mean", lang),
            "value": number(k.get("mean"), 2, lang),
            "note": t("dashboard.kpi_mean_note", lang),
            "css": None,
        },
        {
            "name": t("dashboard.kpi_change", lang, previous=k.get("previous_period") or "–"),
            "value": change_text,
            "note": change_note,
            "css": css,
        },
    ]
    return templates.render("kpi_cards.html.j2", cards=cards)


def likert_bars(table: pd.DataFrame, scale: dict[str, str], lang: str | None = None) -> str:
    """Diverging stacked bars of :func:`~kit.workshops.dashboards.dashboard.likert`:
    disagreement left of the middle line, agreement right, the middle answer split across it.
    Hidden rows say why."""
    values = range(1, 6)
    rows = []
    for _, r in table.iterrows():
        shares = [r[f"p_{v}"] for v in values]
        row = {
            "text": str(r["text"]),
            "mean": number(r["mean"], 2, lang),
            "hidden": any(pd.isna(s) for s in shares),
            "label": str(r["respondents_label"]),
        }
        if not row["hidden"]:
            row["offset"] = max(0.5 - (shares[0] + shares[1] + shares[2] / 2) / 2, 0) * 100
            row["parts"] = [
                {"width": s * 50, "colour": c, "title": f"{scale[str(v)]}: {percent(s, 0, lang)}"}
                for v, s, c in zip(values, shares, palette.SCALE)
            ]
        rows.append(row)
    items = [(scale[str(v)], c) for v, c in zip(values, palette.SCALE)]
    return templates.render("likert_bars.html.j2", items=items, right=True, rows=rows, lang=lang)


def ranked(table: pd.DataFrame, lang: str | None = None) -> str:
    """The weakest and strongest questions
    (:func:`~kit.workshops.dashboards.dashboard.critical_points`) as two lists with the gap to
    the country."""
    lists = []
    if not table.empty:
        for kind in ("weakest", "strongest"):
            rows = table[table["kind"] == kind]
            lists.append(
                (
                    t(f"dashboard.{kind}", lang),
                    [
                        {
                            "text": str(r["text"]),
                            "mean": number(r["mean"], 2, lang),
                            "gap": None
                            if pd.isna(r["gap"])
                            else number(r["gap"], 2, lang, sign=True),
                        }
                        for _, r in rows.iterrows()
                    ],
                )
            )
    return templates.render("ranked.html.j2", lists=lists, lang=lang)


def comparison_dots(table: pd.DataFrame, lang: str | None = None) -> str:
    """Means of :func:`~kit.workshops.dashboards.dashboard.comparison` as dots on a common
    scale, one colour per group, with the 95 % interval as a faint line; hidden values are left
    out."""
    shown = table.dropna(subset=["mean"])
    if shown.empty:
        return note(t("dashboard.hidden_note", lang))
    low = min(float(shown["ci_low"].min(skipna=True)), float(shown["mean"].min())) - 0.05
    high = max(float(shown["ci_high"].max(skipna=True)), float(shown["mean"].max())) + 0.05
    low, high = max(1.0, round(low - 0.05, 1)), min(5.0, round(high + 0.05, 1))

    def at(v: float) -> float:
        return max(0.0, min(100.0, (v - low) / (high - low) * 100))

    groups = list(dict.fromkeys(table["who"]))
    colour = dict(zip(groups, palette.groups(len(groups))))
    rows = []
    for item, part in table.groupby("item", sort=False):
        marks, values = [], []
        for _, r in part.iterrows():
            if pd.isna(r["mean"]):
                values.append({"text": "–", "colour": None})
                continue
            c = colour[r["who"]]
            band = pd.notna(r["ci_low"]) and pd.notna(r["ci_high"])
            a, b = (at(r["ci_low"]), at(r["ci_high"])) if band else (0.0, 0.0)
            marks.append(
                {
                    "band": band,
                    "left": a,
                    "width": b - a,
                    "at": at(r["mean"]),
                    "colour": c,
                    "title": f"{r['who']}: {number(r['mean'], 2, lang)}",
                }
            )
            values.append({"text": number(r["mean"], 2, lang), "colour": c})
        rows.append({"item": str(item), "marks": marks, "figures": values})
    return templates.render(
        "comparison_dots.html.j2",
        items=[(str(g), colour[g]) for g in groups],
        right=False,
        rows=rows,
        low=number(low, 1, lang),
        high=number(high, 1, lang),
    )


def trend_svg(
    table: pd.DataFrame,
    lang: str | None = None,
    width: int = 520,
    height: int = 230,
    title: str | None = None,
) -> str:
    """:func:`~kit.workshops.dashboards.dashboard.trend` as an inline SVG line chart: one line
    per group with its 95 % interval as a band; hidden periods leave a gap. SVG draws at once
    in the browser, stays sharp on a projector and shrinks to a phone's width; a screen
    reader reads its description (:func:`kit.descriptions.lines`, ``title`` first)."""
    from kit import descriptions

    shown = table.dropna(subset=["mean"])
    if shown.empty:
        return note(t("dashboard.hidden_note", lang))
    xs = sorted(table["period"].unique())
    low = float(pd.concat([shown["ci_low"], shown["mean"]]).min()) - 0.05
    high = float(pd.concat([shown["ci_high"], shown["mean"]]).max()) + 0.05
    left, right, top, bottom = 44, 28, 10, 26
    w, h = width - left - right, height - top - bottom

    def px(i: int) -> float:
        return left + (w * i / max(len(xs) - 1, 1) if len(xs) > 1 else w / 2)

    def py(v: float) -> float:
        return top + h * (1 - (v - low) / (high - low))

    ticks = [
        {"y": py(low + (high - low) * k / 4), "text": number(low + (high - low) * k / 4, 2, lang)}
        for k in range(5)
    ]
    groups = list(dict.fromkeys(table["who"]))
    lines = []
    for colour, who in zip(palette.groups(len(groups)), groups):
        rows = table[table["who"] == who].set_index("period").reindex(xs)
        runs: list[list[int]] = [[]]
        for i, x in enumerate(xs):
            if pd.isna(rows.loc[x, "mean"]):
                runs.append([])
            else:
                runs[-1].append(i)
        for run in (r for r in runs if r):
            band = [
                (px(i), py(rows.iloc[i]["ci_high"]))
                for i in run
                if pd.notna(rows.iloc[i]["ci_high"])
            ]
            band += [
                (px(i), py(rows.iloc[i]["ci_low"]))
                for i in reversed(run)
                if pd.notna(rows.iloc[i]["ci_low"])
            ]
            lines.append(
                {
                    "colour": colour,
                    "band": " ".join(f"{a:.1f},{b:.1f}" for a, b in band) if len(band) > 2 else "",
                    "points": " ".join(f"{px(i):.1f},{py(rows.iloc[i]['mean']):.1f}" for i in run),
                    "dots": [
                        {
                            "x": px(i),
                            "y": py(rows.iloc[i]["mean"]),
                            "title": f"{who} {xs[i]}: {number(rows.iloc[i]['mean'], 2, lang)}",
                        }
                        for i in run
                    ],
                }
            )
    described = descriptions.lines(
        {
            str(who): [
                (str(r.period), float(r.mean)) for r in part.sort_values("period").itertuples()
            ]
            for who, part in shown.groupby("who", sort=False)
        },
        lang,
        title=title,
    )
    return templates.render(
        "trend.svg.j2",
        description=described,
        items=list(zip(map(str, groups), palette.groups(len(groups)))),
        right=False,
        width=width,
        height=height,
        left=left,
        ticks=ticks,
        lines=lines,
        xlabels=[{"x": px(i), "text": x} for i, x in enumerate(xs)],
        x_end=left + w,
    )
