"""Workshop 4's notebooks and exercises, as cells (:mod:`kit.cells` writes them in fi/sv/en)."""

from __future__ import annotations

from kit.cells import Code, Exercise, Md, Notebook, Params

REPORT = Notebook(
    "04_work_based_learning",
    (
        Md("ws4.title"),
        Params("""# Parameters (papermill: -p partner taitotalo -p lang sv)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en
dataset = "demo"  # demo (six partners, synthetic), or a path: your own data
work_periods = ""  # a path: your work-period list (CSV or xlsx, eHOKS field names); empty: the demo
materials = ""  # a path: your guidance-material register; empty: the bundled demo register
record = ""  # kit run: where to write the headline figures (JSON)"""),
        Code("""from kit import datasets, partners
from kit import notebook as nb
from kit.workshops.work_based_learning import charts
from kit.workshops.work_based_learning import model as wbl

nb.start(lang)
partner = partners.check(partner)"""),
        Md("ws4.process"),
        Code("""m = wbl.build(datasets.load(datasets.check(dataset)), lang=lang,
              work_periods=work_periods or None, register=materials or None)
nb.banner(m.label, m.synthetic)
nb.show(m.process_table(), caption=m.mapping_label())"""),
        Md("ws4.hurts"),
        Code("""ax = charts.swimlane(m.chart_data(partner), names=m.process.names(lang), lanes=m.actor_names(),
                     label=m.label, title=nb.t("ws4.chart_title", who=partners.display_name(partner)),
                     note=nb.t("ws4.chart_note"), lang=lang)
nb.say("ws4.saved", files=", ".join(m.save_chart(ax, partner)))
nb.say("ws4.ranking", text=m.ranking(partner))"""),
        Md("ws4.why"),
        Code("nb.show(m.critical_table(partner), caption=m.label)"),
        Md("ws4.money"),
        Code("""nb.show(m.money_table(partner), caption=m.label)
nb.say("ws4.money_note", **m.money_words())"""),
        Md("ws4.lost"),
        Code("""nb.banner(m.periods_label(), m.periods_synthetic)
nb.show(m.stages_table(partner), caption=m.periods_label())
nb.say("ws4.lost_result", **m.lost_words(partner))
nb.show(m.to_fix(partner).head(20), caption=m.periods_label())"""),
        Md("ws4.material"),
        Code("""nb.banner(m.register_label(), m.register_demo)
nb.show(m.material_gaps(), caption=m.register_label())
nb.show(m.review_list(), caption=m.register_label())"""),
        Md("ws4.actions"),
        Code("""nb.show(m.actions(partner), caption=m.label)
nb.say("ws4.saved", files=", ".join(m.export(partner)))"""),
        Md("ws4.prompts"),
        Code("nb.record(record, wbl.headline(m, partner))"),
    ),
)

APP = Notebook(
    "04_vote",
    (
        Params("""# Parameters (the voting app: kit serve, then 04_vote.ipynb)
partner = "network"  # whose critical points are marked: careeria, …, sdo or network
lang = "fi"  # fi, sv or en
store = ""  # where votes go: "" (the workshop's store) or a path"""),
        Md("ws4.app"),
        Code("""from kit import app, partners
from kit.workshops.work_based_learning import view

app.start(lang)
app.shell(view.maker(partners.check(partner), store), lang, "04_vote", "ws4.app")"""),
    ),
)

NOTEBOOKS = (REPORT, APP)

EXERCISES = (
    Exercise(
        "ex9_duration_weighted_share",
        "ex9",
        setup="""from kit import notebook as nb
from kit.workshops.work_based_learning import checks

nb.start(lang)""",
        blank='''def tep_factor(kesto, answered, period):
    """The duration-weighted response share and the correction factor (share, factor)."""
    # YOUR CODE HERE: Σ(answered × kesto) / Σ kesto, then the factor of the period's rule
    return None''',
        solution='''def tep_factor(kesto, answered, period):
    """The duration-weighted response share and the correction factor (share, factor)."""
    share = sum(k for k, a in zip(kesto, answered) if a) / sum(kesto)
    if int(period[:4]) >= 2024:
        factor = 1 / share if share >= 0.6 else 1 / 0.6 + 2.0 * (0.6 - share)
    elif share >= 0.7:
        factor = 1 / share
    else:
        factor = 857 / 350 if share <= 0.2 else 1 / 0.7 + 2.04 * (0.7 - share)
    return share, factor''',
        check="checks.tep_factor(tep_factor)",
    ),
    Exercise(
        "ex10_critical_share",
        "ex10",
        setup="""from kit import notebook as nb
from kit.workshops.work_based_learning import checks

nb.start(lang)""",
        blank='''def low_share(counts):
    """The share of answers 1–2 among the answers 1–5; None for fewer than five."""
    # YOUR CODE HERE: leave "eos" out, and hide a group under five
    return None''',
        solution='''def low_share(counts):
    """The share of answers 1–2 among the answers 1–5; None for fewer than five."""
    scale = sum(counts.get(v, 0) for v in ("1", "2", "3", "4", "5"))
    if scale < 5:
        return None
    return (counts.get("1", 0) + counts.get("2", 0)) / scale''',
        check="checks.low_share(low_share)",
    ),
)
