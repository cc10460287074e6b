"""Workshop 1's widgets: the feedback dashboard and the funding what-if, thin views over the
models (:mod:`kit.workshops.dashboards.dashboard`, :mod:`kit.funding`).

Slicers (partner, period, survey, theme, qualification) make a :class:`~kit.workshops.dashboards.dashboard.Selection`;
every change asks the model for its views and puts them into the widgets: all views as
HTML (the trend as inline SVG): a slicer change must redraw in well under 200 ms, and a
matplotlib figure alone takes about that long to render. Reports and notebooks draw the same
model tables with :mod:`kit.charts`. Nothing here
computes a figure, so the same model serves reports and tests, and the privacy rule holds in
every view because the model only holds protected figures.

In JupyterLab: ``DashboardView(model).widget`` in a cell. In Voilà the same cell is the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd
from markupsafe import Markup

from kit import funding, markup, templates
from kit.i18n import t
from kit.numbers import number, percent
from kit.surveys import SURVEYS, scale_labels
from kit.workshops.dashboards import cards, dashboard


class DashboardView:
    """Slicers, cards and charts for one :class:`~kit.workshops.dashboards.dashboard.Model`.

    ``timings`` keeps the seconds each redraw took (the benchmark reads them).
    """

    def __init__(
        self,
        model: dashboard.Model,
        selection: dashboard.Selection | None = None,
        lang: str | None = None,
    ) -> None:
        self.model = model
        self.lang = lang
        sel = model.check(selection or dashboard.Selection())
        opts = dashboard.options(model, lang)
        layout = widgets.Layout(width="auto", min_width="170px")

        def dropdown(name: str, value: str | None) -> widgets.Dropdown:
            return widgets.Dropdown(
                options=opts[name],
                value=value,
                layout=layout,
                description=t(f"dashboard.slicer_{name}", lang),
                style={"description_width": "initial"},
            )

        self.partner = dropdown("partner", sel.partner)
        self.period = dropdown("period", sel.period)
        self.survey = dropdown("survey", sel.survey)
        self.theme = dropdown("theme", sel.theme)
        self.qualification = dropdown("qualification", sel.qualification)
        self._set_themes(sel.survey, sel.theme)
        self.slicers = [self.partner, self.period, self.survey, self.theme, self.qualification]
        self.label = widgets.HTML(markup.style() + markup.label(model.label, model.synthetic))
        self.kpis = widgets.HTML()
        self.likert = widgets.HTML()
        self.critical = widgets.HTML()
        self.trend = widgets.HTML()
        # 360 px wide beside the trend where there is room, alone and narrower on a phone
        self.comparison = widgets.HTML(layout=widgets.Layout(min_width="0", flex="1 1 360px"))
        self.timings: list[float] = []
        heading = lambda key: widgets.HTML(f"<h3>{t(key, lang)}</h3>")  # noqa: E731
        self.widget = widgets.VBox(
            [
                widgets.HBox(self.slicers, layout=widgets.Layout(flex_flow="row wrap")),
                self.label,
                self.kpis,
                widgets.HBox(
                    [
                        widgets.VBox([heading("dashboard.trend_heading"), self.trend]),
                        widgets.VBox(
                            [
                                heading(
                                    "dashboard.comparison_heading"
                                    if model.national
                                    else "dashboard.comparison_heading_network"
                                ),
                                self.comparison,
                            ],
                            layout=widgets.Layout(flex="1 1 360px"),
                        ),
                    ],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                heading("dashboard.likert_heading"),
                self.likert,
                heading("dashboard.critical_heading"),
                self.critical,
            ]
        )
        self.widget.add_class("kit-dashboard")
        self.survey.observe(self._survey_changed, names="value")
        for w in self.slicers:
            if w is not self.survey:
                w.observe(self.redraw, names="value")
        self.redraw()

    @property
    def selection(self) -> dashboard.Selection:
        """What the slicers say now."""
        return dashboard.Selection(
            partner=self.partner.value,
            period=self.period.value,
            survey=self.survey.value,
            theme=self.theme.value,
            qualification=self.qualification.value,
        )

    def _set_themes(self, survey: str, keep: str) -> None:
        choices = [(t("dashboard.all_themes", self.lang), dashboard.ALL)] + [
            (t(f"theme.{th}", self.lang), th) for th in self.model.themes(survey)
        ]
        value = keep if keep in [v for _, v in choices] else dashboard.ALL
        with self.theme.hold_trait_notifications():
            self.theme.options = choices
            self.theme.value = value

    def _survey_changed(self, change: dict) -> None:
        self.theme.unobserve(self.redraw, names="value")
        try:
            self._set_themes(change["new"], self.theme.value)
        finally:
            self.theme.observe(self.redraw, names="value")
        self.redraw()

    def redraw(self, _change: dict | None = None) -> None:
        """Ask the model for every view of the current selection and show it."""
        started = time.perf_counter()
        model, sel, lang = self.model, self.selection, self.lang
        self.kpis.value = cards.kpi_cards(dashboard.kpis(model, sel), lang)
        self.likert.value = cards.likert_bars(
            dashboard.likert(model, sel), scale_labels(lang), lang
        )
        self.critical.value = cards.ranked(dashboard.critical_points(model, sel), lang)
        self.trend.value = cards.trend_svg(
            dashboard.trend(model, sel, lang), lang, title=t("dashboard.trend_heading", lang)
        )
        self.comparison.value = cards.comparison_dots(dashboard.comparison(model, sel, lang), lang)
        self.timings.append(time.perf_counter() - started)


def app(
    model: dashboard.Model | None = None,
    *,
    partner: str = dashboard.NETWORK,
    period: str | None = None,
    lang: str | None = None,
) -> widgets.VBox:
    """The dashboard widget, opened on ``partner`` (and ``period``, default the latest)."""
    model = model or dashboard.build(lang=lang)
    return DashboardView(model, dashboard.Selection(partner=partner, period=period), lang).widget


# --- "if our response rate were X": a slider over kit.funding.what_if ---------------------


def what_if_text(
    row: pd.Series,
    period: str,
    survey: str,
    rate: float,
    lang: str | None = None,
    totals: pd.DataFrame | None = None,
) -> str:
    """One sentence (HTML) for a partner's row of :func:`kit.funding.partner_rates`."""
    if pd.isna(row["response_rate"]) or pd.isna(row["points_per_respondent"]):
        return markup.note(t("funding.what_if_hidden", lang))
    table = funding.what_if(
        float(row["response_rate"]),
        int(row["targeted"]),
        float(row["points_per_respondent"]),
        survey,
        period,
        [rate],
    )
    now = funding.what_if(
        float(row["response_rate"]),
        int(row["targeted"]),
        float(row["points_per_respondent"]),
        survey,
        period,
        [float(row["response_rate"])],
    ).iloc[0]
    r = table.iloc[0]
    pct = r["change"] / now["weighted_points"] if now["weighted_points"] else float("nan")
    text = t(
        "funding.what_if_sentence",
        lang,
        rate=percent(rate, 0, lang),
        now=percent(float(row["response_rate"]), 0, lang),
        factor=number(r["correction_factor"], 3, lang),
        factor_now=number(now["correction_factor"], 3, lang),
        points=number(r["weighted_points"], 0, lang),
        change=percent(pct, 1, lang, sign=True),
    )
    if totals is not None:
        kysely = SURVEYS[survey].kysely
        total = totals.loc[
            (totals["period"] == period) & (totals["kysely"] == kysely), "weighted_points"
        ].sum()
        euros = funding.euros(float(r["change"]), float(total), kysely)
        if euros == euros:  # not NaN
            text += " " + t(
                "funding.what_if_euros",
                lang,
                euros=number(euros, 0, lang),
                weight=percent(funding.WEIGHTS_2026[kysely], 2, lang),
                funding=number(funding.FUNDING_2026 / 1e9, 2, lang),
            )
    # the catalogue's own markup (<b>) around formatted numbers: nothing from outside
    return templates.render("paragraph.html.j2", text=Markup(text))


def what_if_app(
    table: pd.DataFrame, lang: str | None = None, totals: pd.DataFrame | None = None
) -> widgets.VBox:
    """A survey-and-period picker and a response-rate slider over one partner's rows of
    :func:`kit.funding.partner_rates`; with ``totals`` (:func:`kit.funding.national_totals`)
    each answer also says what the change is worth in euros in the 2026 model (an
    illustration)."""
    rows = table.dropna(subset=["response_rate", "points_per_respondent"])
    if rows.empty:
        return widgets.VBox([widgets.HTML(markup.note(t("funding.what_if_hidden", lang)))])
    choices = [
        (f"{r.provider} · {r.period} · {t(f'survey.{r.survey}', lang)}", i)
        for i, r in rows.iterrows()
    ]
    pick = widgets.Dropdown(
        options=choices,
        value=choices[-1][1],
        description=t("funding.what_if_pick", lang),
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto"),
    )
    start = float(rows.loc[pick.value, "response_rate"])
    slider = widgets.FloatSlider(
        value=min(1.0, round(start + 0.1, 2)),
        min=0.05,
        max=1.0,
        step=0.01,
        readout_format=".0%",
        description=t("funding.what_if_rate", lang),
        style={"description_width": "initial"},
        layout=widgets.Layout(width="480px"),
    )
    out = widgets.HTML()

    def redraw(_change: dict | None = None) -> None:
        row = rows.loc[pick.value]
        out.value = what_if_text(row, row["period"], row["survey"], slider.value, lang, totals)

    pick.observe(redraw, names="value")
    slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([pick, slider, out])


def maker(
    data=None, partner: str = dashboard.NETWORK
) -> Callable[[str, DashboardView | None], DashboardView]:
    """For :func:`kit.app.shell`: ``make(lang, old)`` gives the dashboard of ``data`` (default:
    the demo's kept model, :func:`~kit.workshops.dashboards.dashboard.app_model`) in ``lang``
    on the old view's selection (first ``partner``); one model per language."""
    models: dict[str, dashboard.Model] = {}

    def make(lang: str, old: DashboardView | None) -> DashboardView:
        if lang not in models:
            models[lang] = (
                dashboard.app_model(lang) if data is None else dashboard.build(data, lang=lang)
            )
        selection = old.selection if old is not None else dashboard.Selection(partner=partner)
        return DashboardView(models[lang], selection, lang)

    return make
