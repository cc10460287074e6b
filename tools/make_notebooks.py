"""Write the workshop notebooks from their cell lists (run: python tools/make_notebooks.py).

Notebooks are committed without outputs; keeping their cells here makes a change reviewable as
text and keeps every notebook in the same shape: a tagged parameters cell, then short cells
that call kit/ and tell the story from the catalogue.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent

DASHBOARDS = [
    ('''# Parameters (papermill: -p partner sdo -p lang en -p periods 2023-24,2024-25)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en
periods = None  # funding periods to show, None for all, or for example "2023-24,2024-25"
dataset = "demo"  # demo (six partners) or national (154 providers)
record = ""  # kit run: where to write the headline figures (JSON)''', ["parameters"]),
    '''from kit import cards, charts, dashboard, dashboard_view, datasets, funding, funding_view
from kit import notebook as nb, onepager, partners, privacy, surveys

nb.start(lang)
partner = partners.check(partner)
nb.say("ws1.title", partner=partners.display_name(partner))''',
    '''data = datasets.load(datasets.check(dataset))
model = dashboard.build(data, periods_shown=periods, lang=lang)
sel = model.check(dashboard.Selection(partner=partner))
nb.say("ws1.data")
nb.banner(model.label, model.synthetic)''',
    '''nb.say("ws1.kpis", survey=nb.t(f"survey.{sel.survey}"), period=sel.period)
nb.html(cards.STYLE + cards.kpi_cards(dashboard.kpis(model, sel)))''',
    '''nb.say("ws1.trend")
charts.trend(dashboard.trend(model, sel), label=model.label,
             ylabel=nb.t("dashboard.kpi_mean"), note=nb.t("dashboard.hidden_note"));''',
    '''nb.say("ws1.likert")
charts.likert(dashboard.likert(model, sel), label=model.label,
              scale=surveys.scale_labels(), note=privacy.hidden_label());''',
    '''nb.say("ws1.comparison")
charts.comparison(dashboard.comparison(model, sel), label=model.label,
                  xlabel=nb.t("dashboard.kpi_mean"));''',
    '''nb.say("ws1.critical")
nb.html(cards.ranked(dashboard.critical_points(model, sel)))''',
    '''nb.say("ws1.dashboard")
dashboard_view.app(model, partner=partner, lang=lang)''',
    '''nb.say("ws1.funding")
rates = funding.partner_rates(data, partner, model.periods)
nb.show(funding.display(rates), caption=model.label)''',
    '''nb.say("ws1.curves")
charts.factor_curves(funding.curves(), marks=funding.marks(rates), label=model.label,
                     xlabel=nb.t("ws1.curves_x"), ylabel=nb.t("ws1.curves_y"));''',
    '''nb.say("ws1.shares")
nb.show(funding.shares(data, partner, model.periods), caption=model.label)''',
    '''nb.say("ws1.what_if")
funding_view.what_if_app(rates, lang)''',
    '''nb.say("ws1.communicate", partner=partner)
nb.html(onepager.build(model, partner, "staff", lang=lang, png=False).html)''',
    '''nb.say("ws1.reflect")
nb.record(record, dashboard.headline(model, sel))''',
]


DASHBOARD_APP = [
    ('''# Parameters (the facilitator's app: kit serve, then 01_dashboard_app.ipynb)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en''', ["parameters"]),
    '''from kit import dashboard, dashboard_view, datasets, partners
from kit import notebook as nb

nb.start(lang)
nb.say("ws1.app", partner=partners.display_name(partners.check(partner)))''',
    '''model = dashboard.build(datasets.load("demo"), lang=lang)
dashboard_view.app(model, partner=partner, lang=lang)''',
]


SELF_ASSESSMENT = [
    ('''# Parameters (papermill: -p partner spesia -p lang en)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en
store = "demo"  # "demo" (synthetic) or the path of a response store (.sqlite3)
record = ""  # kit run: where to write the headline figures (JSON)''', ["parameters"]),
    '''from kit import assessment, charts, partners, selfassess
from kit import notebook as nb

nb.start(lang)
partner = partners.check(partner)
nb.say("ws2.title", partner=partners.display_name(partner))''',
    '''answers = selfassess.demo_store() if store == "demo" else selfassess.ResponseStore(store)
criteria, responses = selfassess.load_criteria(), answers.responses()
nb.banner(answers.label(), answers.meta().get("synthetic") == "true")
nb.say("ws2.data", criteria=len(criteria), responses=answers.count())''',
    '''nb.say("ws2.distribution")
table = assessment.distribution(responses, partner)
charts.levels(table.assign(criterion=table["criterion"] + " · " + table["role"]),
              label=answers.label(), names=selfassess.level_names(), note=nb.small_label());''',
    '''nb.say("ws2.consensus")
nb.show(assessment.display(assessment.consensus(table).head(8)), caption=answers.label())''',
    '''nb.say("ws2.radar")
charts.radar(assessment.radar(responses, partner), label=answers.label(),
             names=assessment.series_names(), levels=selfassess.level_names());''',
    '''nb.say("ws2.gaps")
gaps = assessment.gaps(responses, criteria, partner).head(6)
nb.show(assessment.display(gaps), caption=answers.label())
nb.show(assessment.display(assessment.priorities(responses, criteria, partner)))''',
    '''nb.say("ws2.plan")
plan = assessment.plan(responses, criteria, partner)
nb.show(plan, caption=answers.label())
nb.say("ws2.plan_saved", files=", ".join(assessment.export_plan(plan, partner)))''',
    '''nb.say("ws2.reflect")
nb.record(record, assessment.headline(responses, criteria, partner))''',
]

STORE_PARAMETERS = ('''# Parameters
lang = "fi"  # fi, sv or en
store = ""  # response store; empty: $KIT_SELFASSESS_STORE or data/selfassess/responses.sqlite3''',
                    ["parameters"])

FORM = [
    STORE_PARAMETERS,
    '''from kit import selfassess, selfassess_view
from kit import notebook as nb

nb.start(lang)
nb.say("ws2.form")''',
    '''answers = selfassess.ResponseStore(store or None)
selfassess_view.FormView(answers, selfassess.load_criteria(), lang).widget''',
]

LIVE = [
    STORE_PARAMETERS,
    '''from kit import selfassess, selfassess_view
from kit import notebook as nb

nb.start(lang)
nb.say("ws2.live")''',
    '''answers = selfassess.ResponseStore(store or None)
selfassess_view.LiveView(answers, selfassess.load_criteria(), lang).widget''',
]


EXERCISE_START = ("# Parameters\nlang = \"fi\"  # fi, sv or en", ["parameters"])

EX1_SETUP = '''from kit import checks
from kit import notebook as nb

nb.start(lang)
nb.say("ex1.task")'''
EX1_BLANK = '''def my_correction_factor(rate, period):
    """The non-response correction factor for response rate `rate` in `period`."""
    start = int(period[:4])
    # YOUR CODE HERE: the three formulas in the task above
    return None'''
EX1_SOLUTION = '''def my_correction_factor(rate, period):
    """The non-response correction factor for response rate `rate` in `period`."""
    start = int(period[:4])
    full_at = 0.8 if start == 2018 else 0.7 if start <= 2023 else 0.6
    if rate >= full_at:
        return 1 / rate
    if start == 2018:
        return 1 + 15 / 16 * rate - 25 / 32 * rate**2
    if start <= 2023:
        return 857 / 350 if rate <= 0.2 else 1 / 0.7 + 2.04 * (0.7 - rate)
    return 1 / 0.6 + 2.0 * (0.6 - rate)'''

EX2_SETUP = '''import ipywidgets as widgets
from kit import checks, dashboard
from kit import notebook as nb

nb.start(lang)
model = dashboard.build(lang=lang)
nb.say("ex2.task")'''
EX2_BLANK = '''def survey_slicer(model, partner, output):
    """A Dropdown of surveys that writes the mean of the chosen one into output.value."""
    # YOUR CODE HERE: widgets.Dropdown(options=...), a function for .observe(...), and
    # dashboard.kpis(model, dashboard.Selection(partner=partner, survey=...))["mean"]
    return None'''
EX2_SOLUTION = '''def survey_slicer(model, partner, output):
    """A Dropdown of surveys that writes the mean of the chosen one into output.value."""
    slicer = widgets.Dropdown(options=dashboard.options(model)["survey"])

    def show(_change=None):
        k = dashboard.kpis(model, dashboard.Selection(partner=partner, survey=slicer.value))
        output.value = "–" if k["mean"] is None else f"{k['mean']:.2f}"

    slicer.observe(show, names="value")
    show()
    return slicer'''

EX3_SETUP = '''import matplotlib.pyplot as plt
from kit import charts, checks, dashboard
from kit import notebook as nb

nb.start(lang)
model = dashboard.build(lang=lang)
nb.say("ex3.task")
checks.strongest_table(model, "sdo")'''
EX3_BLANK = '''def chart_for_students(model, partner):
    """The partner's three strongest items as horizontal bars, with the data's label."""
    table = checks.strongest_table(model, partner)
    fig, ax = plt.subplots(figsize=(8, 3))
    # YOUR CODE HERE: ax.barh(...), then charts.footnote(ax, model.label)
    return None'''
EX3_SOLUTION = '''def chart_for_students(model, partner):
    """The partner's three strongest items as horizontal bars, with the data's label."""
    table = checks.strongest_table(model, partner)
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.barh(table["text"], table["mean"], color="#2166ac")
    ax.set_xlim(1, 5)
    charts.footnote(ax, model.label)
    return ax'''

#: each exercise: (file name, catalogue key, setup, blank answer, solution, check)
EXERCISES = [
    ("ex1_correction_factor", "ex1", EX1_SETUP, EX1_BLANK, EX1_SOLUTION,
     "checks.correction_factor(my_correction_factor)"),
    ("ex2_add_a_slicer", "ex2", EX2_SETUP, EX2_BLANK, EX2_SOLUTION,
     "checks.survey_slicer(survey_slicer, model)"),
    ("ex3_chart_for_a_target_group", "ex3", EX3_SETUP, EX3_BLANK, EX3_SOLUTION,
     "checks.audience_chart(chart_for_students, model)"),
]


EX4_SETUP = '''from kit import checks
from kit import notebook as nb

nb.start(lang)
nb.say("ex4.task")'''
EX4_BLANK = '''def my_agreement(levels):
    """The share of `levels` within one level of their median."""
    # YOUR CODE HERE: the median (statistics.median), then count |level - median| <= 1
    return None'''
EX4_SOLUTION = '''def my_agreement(levels):
    """The share of `levels` within one level of their median."""
    import statistics

    median = statistics.median(levels)
    return sum(abs(v - median) <= 1 for v in levels) / len(levels)'''
EX5_SETUP = '''from kit import assessment, checks, selfassess
from kit import notebook as nb

nb.start(lang)
nb.say("ex5.task")
table = assessment.radar(selfassess.demo_store().responses(), "spesia")
table'''
EX5_BLANK = '''def largest_gap(table):
    """The criterion whose self and peer medians differ most."""
    # YOUR CODE HERE: drop rows with a missing self or peer, then the largest |self - peer|
    return None'''
EX5_SOLUTION = '''def largest_gap(table):
    """The criterion whose self and peer medians differ most."""
    both = table.dropna(subset=["self", "peer"])
    gaps = (both["self"] - both["peer"]).abs()
    return both.loc[gaps.idxmax(), "criterion"]'''

EXERCISES_2 = [
    ("ex4_agreement", "ex4", EX4_SETUP, EX4_BLANK, EX4_SOLUTION,
     "checks.agreement(my_agreement)"),
    ("ex5_largest_gap", "ex5", EX5_SETUP, EX5_BLANK, EX5_SOLUTION,
     "checks.largest_gap(largest_gap, table)"),
]


def build(cells: list, path: Path) -> None:
    """Write ``cells`` (source, or (source, tags)) as a clean notebook at ``path``."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(cells):
        source, tags = (cell, []) if isinstance(cell, str) else cell
        code = new_code_cell(source)
        code.id = f"{path.stem[:2]}-{i:02d}"  # stable ids keep diffs small
        code.metadata = {"tags": tags} if tags else {}
        nb.cells.append(code)
    nbformat.write(nb, path)


if __name__ == "__main__":
    build(DASHBOARDS, ROOT / "notebooks" / "01_dashboards.ipynb")
    build(DASHBOARD_APP, ROOT / "notebooks" / "01_dashboard_app.ipynb")
    build(SELF_ASSESSMENT, ROOT / "notebooks" / "02_self_assessment.ipynb")
    build(FORM, ROOT / "notebooks" / "02_form.ipynb")
    build(LIVE, ROOT / "notebooks" / "02_live.ipynb")
    for workshop, exercises in (("01_dashboards", EXERCISES),
                                ("02_self_assessment", EXERCISES_2)):
        for name, key, setup, blank, solution, check in exercises:
            for folder, answer in ((f"exercises/{workshop}", blank),
                                   (f"exercises/solutions/{workshop}", solution)):
                (ROOT / folder).mkdir(parents=True, exist_ok=True)
                build([EXERCISE_START, setup, answer, check, f'nb.say("{key}.after")'],
                      ROOT / folder / f"{name}.ipynb")
