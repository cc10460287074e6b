"""HTML pieces for apps and reports: KPI cards, diverging answer bars and ranked lists.

They take the plain values and tables of the dashboard model (:mod:`kit.dashboard`), which are
already protected, and return HTML strings. HTML draws in a millisecond, reads well on a
projector and stays sharp at any size, so the live app uses it where a chart would only be
text and bars. All text is escaped.
"""

from __future__ import annotations

import html

import pandas as pd

from kit import privacy
from kit.i18n import t

STYLE = """
<style>
.kit-cards{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0}
.kit-card{flex:1 1 150px;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;
 background:#fff}
.kit-card .k{font-size:12px;color:#555}.kit-card .v{font-size:26px;font-weight:600}
.kit-card .s{font-size:12px;color:#555}
.kit-up{color:#1a7f37}.kit-down{color:#b42318}
.kit-likert{font-size:13px;border-collapse:collapse;width:100%}
.kit-likert td{padding:2px 4px;vertical-align:middle}
.kit-bar{display:flex;width:100%;height:16px;position:relative}
.kit-bar span{display:block;height:16px}
.kit-mid{position:absolute;left:50%;top:-2px;bottom:-2px;border-left:1px solid #333}
.kit-legend span{display:inline-block;margin-right:10px;font-size:12px}
.kit-legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.kit-label{background:#fff3cd;border:1px solid #d39e00;padding:4px 8px;border-radius:4px;
 font-size:12px;margin:4px 0}
.kit-label.real{background:#eef2f5;border-color:#9aa}
.kit-dots{font-size:13px;border-collapse:collapse;width:100%}
.kit-dots td{padding:3px 4px;vertical-align:middle}
.kit-track{position:relative;height:18px;border-left:1px solid #bbb;border-right:1px solid #bbb;
 background:linear-gradient(#eee,#eee) center/100% 1px no-repeat}
.kit-track b{position:absolute;top:4px;width:10px;height:10px;border-radius:50%;
 margin-left:-5px}
.kit-track s{position:absolute;height:2px;opacity:.5}
</style>
"""
COLOURS = ("#b2182b", "#ef8a62", "#cfcfcf", "#67a9cf", "#2166ac")
#: one colour per compared group (seaborn's "deep" palette, as in the charts)
GROUP_COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52")


def _fmt(value: float | None, pattern: str, lang: str | None) -> str:
    if value is None or pd.isna(value):
        return "–"
    text = pattern.format(value)
    return text.replace(".", ",") if (lang or _lang()) in ("fi", "sv") else text


def _lang() -> str:
    from kit import i18n

    return i18n.get_language()


def label(text: str, synthetic: bool) -> str:
    """The data label as a coloured strip: amber for synthetic data, grey for real data."""
    css = "kit-label" if synthetic else "kit-label real"
    return f'<div class="{css}">{html.escape(text)}</div>'


def kpi_cards(k: dict, lang: str | None = None) -> str:
    """Four cards from :func:`kit.dashboard.kpis`: respondents, response rate, mean, change."""
    respondents = str(k.get("respondents_label") or "–")
    if k.get("respondents") is None and respondents not in ("–", privacy.small_label()):
        respondents = privacy.hidden_label(lang)
    change = k.get("change")
    if change is None:
        change_text, note, css = "–", t("dashboard.no_change", lang), ""
    else:
        change_text = _fmt(change, "{:+.2f}", lang)
        if k.get("significant"):
            css = "kit-up" if change > 0 else "kit-down"
            note = t("dashboard.change_significant", lang, p=_fmt(k["p_value"], "{:.3f}", lang))
            change_text += " ▲" if change > 0 else " ▼"
        else:
            css = ""
            note = t("dashboard.change_not_significant", lang)
    cards = [
        (t("dashboard.kpi_respondents", lang), respondents, k.get("period") or ""),
        (t("dashboard.kpi_rate", lang), _fmt(k.get("response_rate"), "{:.0%}", lang),
         t("dashboard.kpi_rate_note", lang)),
        (t("dashboard.kpi_mean", lang), _fmt(k.get("mean"), "{:.2f}", lang),
         t("dashboard.kpi_mean_note", lang)),
        (t("dashboard.kpi_change", lang, previous=k.get("previous_period") or "–"),
         f'<span class="{css}">{html.escape(change_text)}</span>', note),
    ]
    body = "".join(
        f'<div class="kit-card" data-kpi="{i}"><div class="k">{html.escape(name)}</div>'
        f'<div class="v">{value if i == 3 else html.escape(value)}</div>'
        f'<div class="s">{html.escape(sub)}</div></div>'
        for i, (name, value, sub) in enumerate(cards))
    return f'<div class="kit-cards">{body}</div>'


def likert_bars(table: pd.DataFrame, scale: dict[str, str], lang: str | None = None) -> str:
    """Diverging stacked bars of :func:`kit.dashboard.likert`: disagreement left of the middle
    line, agreement right, the middle answer split across it. Hidden rows say why."""
    legend = "".join(f'<span><i style="background:{c}"></i>{html.escape(scale[str(v)])}</span>'
                     for v, c in zip(range(1, 6), COLOURS))
    rows = []
    for _, r in table.iterrows():
        shares = [r[f"p_{v}"] for v in range(1, 6)]
        if any(pd.isna(s) for s in shares):
            bar = f'<em>{html.escape(str(r["respondents_label"]))}</em>'
        else:
            left = 0.5 - (shares[0] + shares[1] + shares[2] / 2) / 2
            parts = [f'<span style="width:{max(left, 0) * 100:.1f}%"></span>']
            parts += [f'<span style="width:{s * 50:.1f}%;background:{c}" '
                      f'title="{html.escape(scale[str(v)])}: {s:.0%}"></span>'
                      for v, s, c in zip(range(1, 6), shares, COLOURS)]
            bar = f'<div class="kit-bar">{"".join(parts)}<div class="kit-mid"></div></div>'
        mean = _fmt(r["mean"], "{:.2f}", lang)
        rows.append(f'<tr><td style="width:45%">{html.escape(str(r["text"]))}</td>'
                    f'<td style="width:45%">{bar}</td><td>{mean}</td></tr>')
    head = (f'<tr><th></th><th></th>'
            f'<th>{html.escape(t("dashboard.kpi_mean", lang))}</th></tr>')
    return (f'<div class="kit-legend" style="text-align:right">{legend}</div>'
            f'<table class="kit-likert">{head}{"".join(rows)}</table>')


def ranked(table: pd.DataFrame, lang: str | None = None) -> str:
    """The weakest and strongest questions (:func:`kit.dashboard.critical_points`) as two
    lists with the gap to the country."""
    if table.empty:
        return f"<p><em>{html.escape(t('dashboard.nothing_to_rank', lang))}</em></p>"
    out = []
    for kind in ("weakest", "strongest"):
        rows = table[table["kind"] == kind]
        items = "".join(
            f'<li>{html.escape(str(r["text"]))} <b>{_fmt(r["mean"], "{:.2f}", lang)}</b> '
            f'({t("dashboard.gap_national", lang)} {_fmt(r["gap"], "{:+.2f}", lang)})</li>'
            for _, r in rows.iterrows())
        out.append(f'<div style="flex:1 1 300px"><b>{html.escape(t(f"dashboard.{kind}", lang))}'
                   f"</b><ol>{items}</ol></div>")
    return f'<div style="display:flex;gap:16px;flex-wrap:wrap">{"".join(out)}</div>'


def comparison_dots(table: pd.DataFrame, lang: str | None = None) -> str:
    """Means of :func:`kit.dashboard.comparison` as dots on a common scale, one colour per
    group, with the 95 % interval as a faint line; hidden values are left out."""
    shown = table.dropna(subset=["mean"])
    if shown.empty:
        return f"<p><em>{html.escape(t('dashboard.hidden_note', lang))}</em></p>"
    low = min(float(shown["ci_low"].min(skipna=True)), float(shown["mean"].min())) - 0.05
    high = max(float(shown["ci_high"].max(skipna=True)), float(shown["mean"].max())) + 0.05
    low, high = max(1.0, round(low - 0.05, 1)), min(5.0, round(high + 0.05, 1))

    def at(v: float) -> float:
        return max(0.0, min(100.0, (v - low) / (high - low) * 100))

    groups = list(dict.fromkeys(table["who"]))
    colour = dict(zip(groups, GROUP_COLOURS))
    legend = "".join(f'<span><i style="background:{colour[g]}"></i>{html.escape(str(g))}</span>'
                     for g in groups)
    rows = []
    for item, part in table.groupby("item", sort=False):
        marks, values = [], []
        for _, r in part.iterrows():
            if pd.isna(r["mean"]):
                values.append("–")
                continue
            c = colour[r["who"]]
            if pd.notna(r["ci_low"]) and pd.notna(r["ci_high"]):
                a, b = at(r["ci_low"]), at(r["ci_high"])
                marks.append(f'<s style="left:{a:.1f}%;width:{b - a:.1f}%;top:8px;'
                             f'background:{c}"></s>')
            marks.append(f'<b style="left:{at(r["mean"]):.1f}%;background:{c}" '
                         f'title="{html.escape(str(r["who"]))}: {r["mean"]:.2f}"></b>')
            values.append(f'<span style="color:{c}">{_fmt(r["mean"], "{:.2f}", lang)}</span>')
        rows.append(f'<tr><td style="width:34%">{html.escape(str(item))}</td>'
                    f'<td style="width:46%"><div class="kit-track">{"".join(marks)}</div></td>'
                    f'<td>{" · ".join(values)}</td></tr>')
    scale = (f'<tr><td></td><td style="font-size:11px;color:#555">'
             f'<span style="float:left">{_fmt(low, "{:.1f}", lang)}</span>'
             f'<span style="float:right">{_fmt(high, "{:.1f}", lang)}</span></td><td></td></tr>')
    return (f'<div class="kit-legend">{legend}</div>'
            f'<table class="kit-dots">{"".join(rows)}{scale}</table>')


def trend_svg(table: pd.DataFrame, lang: str | None = None, width: int = 520,
              height: int = 230) -> str:
    """:func:`kit.dashboard.trend` as an inline SVG line chart: one line per group with its
    95 % interval as a band; hidden periods leave a gap. SVG draws at once in the browser and
    stays sharp on a projector."""
    shown = table.dropna(subset=["mean"])
    if shown.empty:
        return f"<p><em>{html.escape(t('dashboard.hidden_note', lang))}</em></p>"
    xs = sorted(table["period"].unique())
    low = float(pd.concat([shown["ci_low"], shown["mean"]]).min()) - 0.05
    high = float(pd.concat([shown["ci_high"], shown["mean"]]).max()) + 0.05
    left, right, top, bottom = 44, 28, 10, 26
    w, h = width - left - right, height - top - bottom

    def px(i: int) -> float:
        return left + (w * i / max(len(xs) - 1, 1) if len(xs) > 1 else w / 2)

    def py(v: float) -> float:
        return top + h * (1 - (v - low) / (high - low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" style="font:11px sans-serif">']
    for k in range(5):
        v = low + (high - low) * k / 4
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                     f'stroke="#e5e5e5"/><text x="{left - 4}" y="{py(v) + 4:.1f}" '
                     f'text-anchor="end" fill="#555">{_fmt(v, "{:.2f}", lang)}</text>')
    for i, x in enumerate(xs):
        parts.append(f'<text x="{px(i):.1f}" y="{height - 8}" text-anchor="middle" '
                     f'fill="#555">{html.escape(x)}</text>')
    groups = list(dict.fromkeys(table["who"]))
    for colour, who in zip(GROUP_COLOURS, groups):
        rows = table[table["who"] == who].set_index("period").reindex(xs)
        runs: list[list[int]] = [[]]
        for i, x in enumerate(xs):
            if pd.isna(rows.loc[x, "mean"]):
                runs.append([])
            else:
                runs[-1].append(i)
        for run in (r for r in runs if r):
            band = [(px(i), py(rows.iloc[i]["ci_high"])) for i in run
                    if pd.notna(rows.iloc[i]["ci_high"])]
            band += [(px(i), py(rows.iloc[i]["ci_low"])) for i in reversed(run)
                     if pd.notna(rows.iloc[i]["ci_low"])]
            if len(band) > 2:
                points = " ".join(f"{a:.1f},{b:.1f}" for a, b in band)
                parts.append(f'<polygon points="{points}" fill="{colour}" opacity="0.15"/>')
            line = " ".join(f"{px(i):.1f},{py(rows.iloc[i]['mean']):.1f}" for i in run)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"/>')
            for i in run:
                parts.append(f'<circle cx="{px(i):.1f}" cy="{py(rows.iloc[i]["mean"]):.1f}" '
                             f'r="3.5" fill="{colour}"><title>{html.escape(str(who))} '
                             f'{html.escape(xs[i])}: {rows.iloc[i]["mean"]:.2f}</title></circle>')
    parts.append("</svg>")
    legend = "".join(f'<span><i style="background:{c}"></i>{html.escape(str(g))}</span>'
                     for c, g in zip(GROUP_COLOURS, groups))
    return f'<div class="kit-legend">{legend}</div>' + "".join(parts)
