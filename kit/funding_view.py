""""If our response rate were X": a slider over :func:`kit.funding.what_if` (a thin view).

The model is :mod:`kit.funding`; this module only turns a slider and a survey choice into a
sentence and a small table, so the papermill report shows the same figures as the live app.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from kit import cards, funding
from kit.i18n import t


def what_if_text(row: pd.Series, period: str, survey: str, rate: float,
                 lang: str | None = None) -> str:
    """One sentence (HTML) for a partner's row of :func:`kit.funding.partner_rates`."""
    if pd.isna(row["response_rate"]) or pd.isna(row["points_per_respondent"]):
        return f"<p><em>{html.escape(t('funding.what_if_hidden', lang))}</em></p>"
    table = funding.what_if(float(row["response_rate"]), int(row["targeted"]),
                            float(row["points_per_respondent"]), survey, period, [rate])
    now = funding.what_if(float(row["response_rate"]), int(row["targeted"]),
                          float(row["points_per_respondent"]), survey, period,
                          [float(row["response_rate"])]).iloc[0]
    r = table.iloc[0]
    pct = r["change"] / now["weighted_points"] if now["weighted_points"] else float("nan")
    fmt = cards._fmt  # noqa: SLF001 - the same number format as the cards
    return "<p>" + t(
        "funding.what_if_sentence", lang, rate=fmt(rate, "{:.0%}", lang),
        now=fmt(float(row["response_rate"]), "{:.0%}", lang),
        factor=fmt(r["correction_factor"], "{:.3f}", lang),
        factor_now=fmt(now["correction_factor"], "{:.3f}", lang),
        points=fmt(r["weighted_points"], "{:,.0f}", lang).replace(",", " "),
        change=fmt(pct, "{:+.1%}", lang)) + "</p>"


def what_if_app(table: pd.DataFrame, lang: str | None = None) -> widgets.VBox:
    """A survey-and-period picker and a response-rate slider over one partner's rows of
    :func:`kit.funding.partner_rates`."""
    rows = table.dropna(subset=["response_rate", "points_per_respondent"])
    if rows.empty:
        return widgets.VBox([widgets.HTML(f"<p><em>{t('funding.what_if_hidden', lang)}</em></p>")])
    choices = [(f"{r.provider} · {r.period} · {t(f'survey.{r.survey}', lang)}", i)
               for i, r in rows.iterrows()]
    pick = widgets.Dropdown(options=choices, value=choices[-1][1],
                            description=t("funding.what_if_pick", lang),
                            style={"description_width": "initial"},
                            layout=widgets.Layout(width="auto"))
    start = float(rows.loc[pick.value, "response_rate"])
    slider = widgets.FloatSlider(value=min(1.0, round(start + 0.1, 2)), min=0.05, max=1.0,
                                 step=0.01, readout_format=".0%",
                                 description=t("funding.what_if_rate", lang),
                                 style={"description_width": "initial"},
                                 layout=widgets.Layout(width="480px"))
    out = widgets.HTML()

    def redraw(_change: dict | None = None) -> None:
        row = rows.loc[pick.value]
        out.value = what_if_text(row, row["period"], row["survey"], slider.value, lang)

    pick.observe(redraw, names="value")
    slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([pick, slider, out])
