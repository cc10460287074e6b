"""One-page summaries of feedback for one target group: students, staff or working life.

The network's communication theme: the same figures told differently to different people.
Each page comes from the dashboard model (:mod:`kit.workshops.dashboards.dashboard`), so it shows only protected
figures, and carries the data's label. :func:`build` makes the page as self-contained HTML and
as a PNG; :func:`write` saves both atomically.

=============  ==========================  ==================================================
audience       survey                      what it shows
=============  ==========================  ==================================================
``students``   päättökysely (whole qual.)  what you told us: strengths, what we will work on
``staff``      päättökysely (whole qual.)  key figures, trend, comparison, critical points
``worklife``   työpaikkaohjaajakysely      what workplace instructors told us
=============  ==========================  ==================================================
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from kit import charts, files, i18n, markup, numbers, palette, partners, templates
from kit.errors import KitInputError
from kit.i18n import t
from kit.surveys import scale_labels
from kit.workshops.dashboards import cards, dashboard
from kit.workshops.dashboards import charts as dashboard_charts

AUDIENCES: dict[str, str] = {
    "students": "tutkinnon_suorittaneet",
    "staff": "tutkinnon_suorittaneet",
    "worklife": "tyopaikkaohjaajakysely",
}


@dataclass(frozen=True)
class Page:
    """A finished one-page summary."""

    partner: str
    audience: str
    period: str | None
    html: str
    png: bytes


def check_audience(audience: object) -> str:
    """Return ``audience`` if it is one of :data:`AUDIENCES`, else raise a message listing them."""
    if audience not in AUDIENCES:
        raise KitInputError(
            "unknown_value", parameter="audience", value=audience, valid=", ".join(AUDIENCES)
        )
    return str(audience)


def build(
    model: dashboard.Model,
    partner: str,
    audience: str = "staff",
    period: str | None = None,
    lang: str | None = None,
    png: bool = True,
) -> Page:
    """The page for ``partner`` and ``audience`` in ``period`` (default: the latest);
    ``png=False`` skips the image (a notebook that only shows the HTML)."""
    audience = check_audience(audience)
    sel = model.check(
        dashboard.Selection(
            partner=partners.check(partner), period=period, survey=AUDIENCES[audience]
        )
    )
    name = partners.display_name(partner, lang)
    k = dashboard.kpis(model, sel)
    crit = dashboard.critical_points(model, sel)
    title = t(f"onepager.title_{audience}", lang, partner=name, period=sel.period)
    key = f"onepager.intro_{audience}"
    if not model.national and i18n.has(key + "_network"):
        key += "_network"  # own data: no national comparison
    intro = t(key, lang, survey=t(f"survey.{sel.survey}", lang))
    if audience == "staff":
        chart = charts.trend(
            dashboard.trend(model, sel, lang),
            label=model.label,
            ylabel=t("dashboard.kpi_mean", lang),
            note=t("dashboard.hidden_note", lang),
            size=(8, 3.4),
        )
    else:
        chart = dashboard_charts.likert(
            dashboard.likert(model, sel),
            label=model.label,
            scale=scale_labels(lang),
            note=t("dashboard.hidden_note", lang),
        )
    alt = charts.description(
        charts.figure_of(chart), lang, title=t(f"onepager.chart_{audience}", lang)
    )
    png_chart = charts.to_png(chart, dpi=110)
    page = templates.render(
        "onepager.html.j2",
        lang=i18n.check_lang(lang),
        title=title,
        intro=intro,
        style=markup.style(),
        label=markup.label(model.label, model.synthetic),
        kpis=cards.kpi_cards(k, lang),
        alt=alt,
        chart=base64.b64encode(png_chart).decode(),
        ranked=cards.ranked(crit, lang),
        closing=t(f"onepager.close_{audience}", lang),
    )

    def draw(ax):
        if audience == "staff":
            charts.trend(
                dashboard.trend(model, sel, lang),
                ax=ax,
                ylabel=t("dashboard.kpi_mean", lang),
                note=t("dashboard.hidden_note", lang),
                tight=False,
            )
        else:
            dashboard_charts.likert(
                dashboard.likert(model, sel),
                ax=ax,
                scale=scale_labels(lang),
                note=t("dashboard.hidden_note", lang),
                tight=False,
                wrap=70,
            )

    return Page(
        partner=partner,
        audience=audience,
        period=sel.period,
        html=page,
        png=_png(title, intro, k, draw, audience == "staff", crit, model.label, lang)
        if png
        else b"",
    )


def _png(
    title: str, intro: str, k: dict, draw, wide: bool, crit, label: str, lang: str | None
) -> bytes:
    """The page as one A4-landscape image: title, key figures, the chart, the lists."""
    import io
    import textwrap

    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(11.69, 8.27))
    fig.text(0.04, 0.95, title, fontsize=18, weight="bold", va="top")
    fig.text(0.04, 0.90, textwrap.fill(intro, 120), fontsize=10, va="top", color=palette.TEXT)
    figures = [
        (t("dashboard.kpi_respondents", lang), str(k["respondents_label"])),
        (t("dashboard.kpi_rate", lang), numbers.percent(k["response_rate"], 0, lang)),
        (t("dashboard.kpi_mean", lang), numbers.number(k["mean"], 2, lang)),
        (
            t("dashboard.kpi_change", lang, previous=k["previous_period"] or "–"),
            numbers.number(k["change"], 2, lang, sign=True),
        ),
    ]
    for i, (name, value) in enumerate(figures):
        x = 0.04 + i * 0.24
        fig.text(x, 0.84, name, fontsize=9, color=palette.SECONDARY, va="top")
        fig.text(x, 0.81, value, fontsize=20, weight="bold", va="top")
    draw(fig.add_axes((0.07, 0.33, 0.70, 0.36) if wide else (0.40, 0.31, 0.56, 0.40)))
    for col, kind in enumerate(("weakest", "strongest")):
        rows = crit[crit["kind"] == kind]
        lines = [t(f"dashboard.{kind}", lang)] + [
            textwrap.shorten(
                f"{i + 1}. {r.text} ({numbers.number(r.mean, 2, lang)})", 80, placeholder="…"
            )
            for i, r in enumerate(rows.itertuples())
        ]
        fig.text(0.04 + col * 0.48, 0.27, "\n".join(lines), fontsize=9, va="top", linespacing=1.6)
    fig.text(0.04, 0.02, label, fontsize=8, color=palette.MUTED)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=100, pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return out.getvalue()


def write(page: Page, out: str | Path) -> list[Path]:
    """Save ``page`` as ``<partner>_<audience>_<period>.html`` and ``.png`` in ``out``; each
    file appears whole or not at all."""
    stem = f"{page.partner}_{page.audience}_{page.period}"
    return [
        files.write_text(Path(out) / f"{stem}.html", page.html),
        files.write_bytes(Path(out) / f"{stem}.png", page.png),
    ]
