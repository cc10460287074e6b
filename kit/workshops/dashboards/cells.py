"""Workshop 1's notebooks and exercises, as cells (:mod:`kit.cells` writes them in fi/sv/en)."""

from __future__ import annotations

from kit.cells import Code, Exercise, Md, Notebook, Params

REPORT = Notebook(
    "01_dashboards",
    (
        Md("ws1.title"),
        Params("""# Parameters (papermill: -p partner sdo -p lang en -p periods 2023-24,2024-25)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en
periods = None  # funding periods to show, None for all, or for example "2023-24,2024-25"
dataset = "demo"  # demo (six partners), national (154 providers), or a path: your own data (kit import arvo)
record = ""  # kit run: where to write the headline figures (JSON)"""),
        Code("""from kit import charts, datasets, funding, markup, partners, privacy, surveys
from kit import notebook as nb
from kit.workshops.dashboards import cards, dashboard, onepager, view
from kit.workshops.dashboards import charts as dashboard_charts

nb.start(lang)
partner = partners.check(partner)"""),
        Md("ws1.data"),
        Code("""data = datasets.load(datasets.check(dataset))
model = dashboard.build(data, periods_shown=periods, lang=lang)
sel = model.check(dashboard.Selection(partner=partner))
nb.banner(model.label, model.synthetic)
nb.say("notebook.partner", partner=model.name(partner))"""),
        Md("ws1.kpis"),
        Code("""nb.say("ws1.kpis_for", survey=nb.t(f"survey.{sel.survey}"), period=sel.period)
nb.html(markup.style() + cards.kpi_cards(dashboard.kpis(model, sel)))"""),
        Md("ws1.trend"),
        Code("""charts.trend(dashboard.trend(model, sel), label=model.label,
             ylabel=nb.t("dashboard.kpi_mean"), note=nb.t("dashboard.hidden_note"));"""),
        Md("ws1.likert"),
        Code("""dashboard_charts.likert(dashboard.likert(model, sel), label=model.label,
              scale=surveys.scale_labels(), note=privacy.hidden_label());"""),
        Md("ws1.comparison"),
        Code("""dashboard_charts.comparison(dashboard.comparison(model, sel), label=model.label,
                  xlabel=nb.t("dashboard.kpi_mean"));"""),
        Md("ws1.critical"),
        Code("nb.html(cards.ranked(dashboard.critical_points(model, sel)))"),
        Md("ws1.dashboard"),
        Code("view.app(model, partner=partner, lang=lang)"),
        Md("ws1.funding"),
        Code("""rates = funding.partner_rates(data, partner, model.periods)
if rates.empty:
    nb.html(markup.note(nb.t("dashboard.no_counts")))
else:
    nb.show(funding.display(rates), caption=model.label)"""),
        Md("ws1.curves"),
        Code("""charts.factor_curves(funding.curves(), marks=funding.marks(rates), label=model.label,
                     xlabel=nb.t("ws1.curves_x"), ylabel=nb.t("ws1.curves_y"));"""),
        Md("ws1.shares"),
        Code(
            "if not rates.empty:\n    nb.show(funding.shares(data, partner, model.periods), caption=model.label)"
        ),
        Md("ws1.what_if"),
        Code("view.what_if_app(rates, lang, totals=funding.national_totals(data))"),
        Md("ws1.communicate"),
        Code('nb.html(onepager.build(model, partner, "staff", lang=lang, png=False).html)'),
        Md("ws1.reflect"),
        Code("nb.record(record, dashboard.headline(model, partner))"),
    ),
)

APP = Notebook(
    "01_dashboard_app",
    (
        Params("""# Parameters (the facilitator's app: kit serve, then 01_dashboard_app.ipynb)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en"""),
        Md("ws1.app"),
        Code("""from kit import app, partners
from kit.workshops.dashboards import view

app.start(lang)
app.shell(view.maker(partner=partners.check(partner)), lang, "01_dashboard_app", "ws1.app")"""),
    ),
)

NOTEBOOKS = (REPORT, APP)

EXERCISES = (
    Exercise(
        "ex1_correction_factor",
        "ex1",
        setup="""from kit import notebook as nb
from kit.workshops.dashboards import checks

nb.start(lang)""",
        blank='''def my_correction_factor(rate, period):
    """The non-response correction factor for response rate `rate` in `period`."""
    start = int(period[:4])
    # YOUR CODE HERE: the three formulas in the task above
    return None''',
        solution='''def my_correction_factor(rate, period):
    """The non-response correction factor for response rate `rate` in `period`."""
    start = int(period[:4])
    full_at = 0.8 if start == 2018 else 0.7 if start <= 2023 else 0.6
    if rate >= full_at:
        return 1 / rate
    if start == 2018:
        return 1 + 15 / 16 * rate - 25 / 32 * rate**2
    if start <= 2023:
        return 857 / 350 if rate <= 0.2 else 1 / 0.7 + 2.04 * (0.7 - rate)
    return 1 / 0.6 + 2.0 * (0.6 - rate)''',
        check="checks.correction_factor(my_correction_factor)",
    ),
    Exercise(
        "ex2_add_a_slicer",
        "ex2",
        setup="""import ipywidgets as widgets
from kit import notebook as nb
from kit.workshops.dashboards import checks, dashboard

nb.start(lang)
model = dashboard.build(lang=lang)""",
        blank='''def survey_slicer(model, partner, output):
    """A Dropdown of surveys that writes the mean of the chosen one into output.value."""
    # YOUR CODE HERE: widgets.Dropdown(options=...), a function for .observe(...), and
    # dashboard.kpis(model, dashboard.Selection(partner=partner, survey=...))["mean"]
    return None''',
        solution='''def survey_slicer(model, partner, output):
    """A Dropdown of surveys that writes the mean of the chosen one into output.value."""
    slicer = widgets.Dropdown(options=dashboard.options(model)["survey"])

    def show(_change=None):
        k = dashboard.kpis(model, dashboard.Selection(partner=partner, survey=slicer.value))
        output.value = "–" if k["mean"] is None else f"{k['mean']:.2f}"

    slicer.observe(show, names="value")
    show()
    return slicer''',
        check="checks.survey_slicer(survey_slicer, model)",
    ),
    Exercise(
        "ex3_chart_for_a_target_group",
        "ex3",
        setup="""import matplotlib.pyplot as plt
from kit import charts, palette
from kit import notebook as nb
from kit.workshops.dashboards import checks, dashboard

nb.start(lang)
model = dashboard.build(lang=lang)
checks.strongest_table(model, "sdo")""",
        blank='''def chart_for_students(model, partner):
    """The partner's three strongest items as horizontal bars, with the data's label."""
    table = checks.strongest_table(model, partner)
    fig, ax = plt.subplots(figsize=(8, 3))
    # YOUR CODE HERE: ax.barh(...), then charts.footnote(ax, model.label)
    return None''',
        solution='''def chart_for_students(model, partner):
    """The partner's three strongest items as horizontal bars, with the data's label."""
    table = checks.strongest_table(model, partner)
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.barh(table["text"], table["mean"], color=palette.SCALE[-1])
    ax.set_xlim(1, 5)
    charts.footnote(ax, model.label)
    return ax''',
        check="checks.audience_chart(chart_for_students, model)",
    ),
)
