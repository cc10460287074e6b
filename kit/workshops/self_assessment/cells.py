"""Workshop 2's notebooks and exercises, as cells (:mod:`kit.cells` writes them in fi/sv/en)."""

from __future__ import annotations

from kit.cells import Code, Exercise, Md, Notebook, Params

REPORT = Notebook(
    "02_self_assessment",
    (
        Md("ws2.title"),
        Params("""# Parameters (papermill: -p partner spesia -p lang en)
partner = "network"  # careeria, live, spesia, kiinko, taitotalo, sdo or network
lang = "fi"  # fi, sv or en
store = "demo"  # "demo" (synthetic) or the path of a response store (.sqlite3)
record = ""  # kit run: where to write the headline figures (JSON)"""),
        Code("""from kit import notebook as nb
from kit import partners
from kit.workshops.self_assessment import assessment, charts, criteria

nb.start(lang)
partner = partners.check(partner)
nb.say("notebook.partner", partner=partners.display_name(partner))"""),
        Md("ws2.data"),
        Code("""m = assessment.build(store, lang=lang)
table, responses = m.criteria, m.responses
nb.banner(m.label, m.synthetic)
nb.say("ws2.data_size", criteria=len(table), responses=m.count)"""),
        Md("ws2.distribution"),
        Code("""levels = assessment.distribution(responses, partner)
charts.levels(levels.assign(criterion=levels["criterion"] + " · " + levels["role"]),
              label=m.label, names=criteria.level_names(), note=nb.small_label());"""),
        Md("ws2.consensus"),
        Code("nb.show(assessment.display(assessment.consensus(levels).head(8)), caption=m.label)"),
        Md("ws2.radar"),
        Code("""charts.radar(assessment.radar(responses, partner), label=m.label,
             names=assessment.series_names(), levels=criteria.level_names());"""),
        Md("ws2.gaps"),
        Code("""gaps = assessment.gaps(responses, table, partner).head(6)
nb.show(assessment.display(gaps), caption=m.label)
nb.show(assessment.display(assessment.priorities(responses, table, partner)))"""),
        Md("ws2.plan"),
        Code("""plan = assessment.plan(responses, table, partner)
nb.show(plan, caption=m.label)
nb.say("ws2.plan_saved", files=", ".join(assessment.export_plan(plan, partner)))"""),
        Md("ws2.reflect"),
        Code("nb.record(record, assessment.headline(m, partner))"),
    ),
)

_STORE_PARAMETERS = """# Parameters
lang = "fi"  # fi, sv or en
store = ""  # response store; empty: $KIT_STORE_SELF_ASSESSMENT or data/state/self_assessment.sqlite3"""


def _store_app(name: str, story: str, make: str) -> Notebook:
    """An app over the response store (the form, the live view): lean, with a language
    selector (:mod:`kit.app`)."""
    module = make.split(".")[0]
    return Notebook(
        name,
        (
            Params(_STORE_PARAMETERS),
            Md(story),
            Code(f'''from kit import app

app.start(lang, lean=True)  # first: keeps pyarrow out of this kernel
from kit.workshops.self_assessment import criteria, {module}
from kit.workshops.self_assessment.store import ResponseStore
answers = ResponseStore(store or None)
app.shell(lambda lang, _old: {make}(answers, criteria.plain(), lang),
          lang, "{name}", "{story}")'''),
        ),
    )


FORM = _store_app("02_form", "ws2.form", "form.FormView")
LIVE = _store_app("02_live", "ws2.live", "view.LiveView")

NOTEBOOKS = (REPORT, FORM, LIVE)

EXERCISES = (
    Exercise(
        "ex4_agreement",
        "ex4",
        setup="""from kit import notebook as nb
from kit.workshops.self_assessment import checks

nb.start(lang)""",
        blank='''def my_agreement(levels):
    """The share of `levels` within one level of their median."""
    # YOUR CODE HERE: the median (statistics.median), then count |level - median| <= 1
    return None''',
        solution='''def my_agreement(levels):
    """The share of `levels` within one level of their median."""
    import statistics

    median = statistics.median(levels)
    return sum(abs(v - median) <= 1 for v in levels) / len(levels)''',
        check="checks.agreement(my_agreement)",
    ),
    Exercise(
        "ex5_largest_gap",
        "ex5",
        setup="""from kit import notebook as nb
from kit.workshops.self_assessment import assessment, checks, synthetic

nb.start(lang)
table = assessment.radar(synthetic.demo_store().responses(), "spesia")
table""",
        blank='''def largest_gap(table):
    """The criterion whose self and peer medians differ most."""
    # YOUR CODE HERE: drop rows with a missing self or peer, then the largest |self - peer|
    return None''',
        solution='''def largest_gap(table):
    """The criterion whose self and peer medians differ most."""
    both = table.dropna(subset=["self", "peer"])
    gaps = (both["self"] - both["peer"]).abs()
    return both.loc[gaps.idxmax(), "criterion"]''',
        check="checks.largest_gap(largest_gap, table)",
    ),
)
