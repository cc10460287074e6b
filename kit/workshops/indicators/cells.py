"""Workshop 3's notebooks and exercises, as cells (:mod:`kit.cells` writes them in fi/sv/en)."""

from __future__ import annotations

from kit.cells import Code, Exercise, Md, Notebook, Params

REPORT = Notebook(
    "03_indicators",
    (
        Md("ws3.title"),
        Params("""# Parameters (papermill: -p partner kiinko -p lang sv)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en
dataset = "demo"  # demo (six partners), national (154 providers), or a path: your own data
store = "demo"  # scorecard entries: "demo" (synthetic), "" (the workshop's store) or a path
record = ""  # kit run: where to write the headline figures (JSON)"""),
        Code("""from kit import charts, datasets, partners
from kit import notebook as nb
from kit.workshops.indicators import charts as indicator_charts
from kit.workshops.indicators import model as indicators

nb.start(lang)
partner = partners.check(partner)"""),
        Md("ws3.usable"),
        Md("ws3.registry"),
        Code("""m = indicators.build(datasets.load(datasets.check(dataset)), lang=lang,
                     store=indicators.store_for(store))
nb.banner(m.label, m.synthetic)
nb.show(m.registry.table(lang))"""),
        Md("ws3.values"),
        Code("nb.show(m.table(partner), caption=m.label)"),
        Code("""charts.trend(m.trend("RR_PT", partner), label=m.label, ylabel=m.registry.name("RR_PT", lang),
             title=m.registry.name("RR_PT", lang));"""),
        Md("ws3.spc"),
        Code("""signals = m.spc("MEAN_A", partner)
nb.say("ws3.spc_result", points=signals.points, assurance=nb.t(f"spc.{signals.assurance or 'none'}"),
       special=0 if signals.chart is None else int(signals.chart.points["special"].sum()))
if signals.chart is not None:
    indicator_charts.control(signals.chart.points, **m.spc_lines(signals, "MEAN_A"), label=m.label,
                   title=m.registry.name("MEAN_A", lang), ylabel=nb.t("dashboard.kpi_mean"),
                   names=m.spc_names());"""),
        Md("ws3.euros"),
        Code("nb.say('ws3.euros_line', sentence=m.euros(partner))"),
        Md("ws3.funnel"),
        Code("""table, lines, od, theta = m.funnel("aloittaneet", partner)
indicator_charts.funnel(table, limits=lines, centre=theta, label=indicators.reference_label(lang),
              marks={p: partners.display_name(p, lang) for p in (partner, "network")},
              xlabel=nb.t("ws3.funnel_x"), ylabel=nb.t("ws3.funnel_y"),
              names={"95": "95 %", "998": "99,8 %", "od": nb.t("ws3.funnel_od")}, lang=lang);
nb.say("ws3.funnel_result", **m.funnel_figures(od))"""),
        Md("ws3.usability"),
        Code("nb.show(m.usability(partner), caption=m.label)"),
        Md("ws3.scorecard"),
        Code("nb.html(m.card_html(partner))"),
        Md("ws3.racer"),
        Code("nb.show(m.racer(), caption=m.store_label())"),
        Md("ws3.prompts"),
        Code("nb.record(record, indicators.headline(m, partner))"),
    ),
)

APP = Notebook(
    "03_scorecard",
    (
        Params("""# Parameters (the scorecard app: kit serve, then 03_scorecard.ipynb)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en
store = ""  # where edits go: "" (the workshop's store), "demo" (synthetic) or a path"""),
        Md("ws3.app"),
        Code("""from kit import app, datasets, partners
from kit.workshops.indicators import view

app.start(lang)
app.shell(view.maker(datasets.load("demo"), partners.check(partner), store), lang,
          "03_scorecard", "ws3.app")"""),
    ),
)

NOTEBOOKS = (REPORT, APP)

EXERCISES = (
    Exercise(
        "ex6_wilson_interval",
        "ex6",
        setup="""import math
from kit import notebook as nb
from kit.workshops.indicators import checks

nb.start(lang)""",
        blank='''def my_wilson(successes, n, z=1.96):
    """The Wilson 95 % interval (low, high) of successes / n."""
    p = successes / n
    # YOUR CODE HERE: the centre (p + z²/2n) / (1 + z²/n) and the half-width from the task
    return None''',
        solution='''def my_wilson(successes, n, z=1.96):
    """The Wilson 95 % interval (low, high) of successes / n."""
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half''',
        check="checks.wilson(my_wilson)",
    ),
    Exercise(
        "ex7_is_the_change_real",
        "ex7",
        setup="""import math
from kit import notebook as nb
from kit.workshops.indicators import checks

nb.start(lang)""",
        blank='''def change_is_real(answered1, targeted1, answered2, targeted2):
    """True if the response rate changed more than chance explains (two-sided, 5 %)."""
    # YOUR CODE HERE: the pooled rate, its standard error, z, and |z| > 1.96
    return None''',
        solution='''def change_is_real(answered1, targeted1, answered2, targeted2):
    """True if the response rate changed more than chance explains (two-sided, 5 %)."""
    p1, p2 = answered1 / targeted1, answered2 / targeted2
    pooled = (answered1 + answered2) / (targeted1 + targeted2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / targeted1 + 1 / targeted2))
    return abs(p2 - p1) / se > 1.96''',
        check="checks.real_change(change_is_real)",
    ),
    Exercise(
        "ex8_rate_an_indicator",
        "ex8",
        setup="""from kit import notebook as nb
from kit.workshops.indicators import checks

nb.start(lang)""",
        blank="""# Rate the indicator RR_PT on RACER: 0 puuttuva, 1 alkava, 2 kehittynyt, 3 edistynyt.
# YOUR CODE HERE: a level for each criterion, and why (one sentence per level below 2)
my_rating = {"relevant": None, "accepted": None, "credible": None, "easy": None, "robust": None}
my_reasons = {}""",
        solution="""my_rating = {"relevant": 3, "accepted": 2, "credible": 2, "easy": 3, "robust": 1}
my_reasons = {"robust": "The provider times and targets the survey itself, so the rate can rise "
                        "without the students' experience changing."}""",
        check="checks.racer(my_rating, my_reasons)",
    ),
)
