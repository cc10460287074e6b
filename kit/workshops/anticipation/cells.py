"""Workshop 5's notebooks and exercises, as cells (:mod:`kit.cells` writes them in fi/sv/en)."""

from __future__ import annotations

from kit.cells import Code, Exercise, Md, Notebook, Params

REPORT = Notebook(
    "05_anticipation",
    (
        Md("ws5.title"),
        Params("""# Parameters (papermill: -p region Uusimaa -p lang sv)
region = "Uusimaa"  # an ELY area by name or code (ELY01), or SSS for the whole country
partner = "network"  # network (the forum), or careeria, live, spesia, kiinko, taitotalo, sdo
lang = "fi"  # fi, sv or en
dataset = "demo"  # demo (synthetic, StatFin and Vipunen shapes), or a folder of your files
bridge = ""  # a path: your qualification-occupation map; empty: the folder's or the kit's
record = ""  # kit run: where to write the headline figures (JSON)"""),
        Code("""from kit import notebook as nb
from kit import partners
from kit.workshops.anticipation import charts
from kit.workshops.anticipation import model as forum

nb.start(lang)
partner = partners.check(partner)"""),
        Md("ws5.data"),
        Code("""m = forum.build(dataset, lang=lang, bridge=bridge or None)
region = m.region(region)
nb.banner(m.label, m.synthetic)"""),
        Md("ws5.heatmap"),
        Code("""ax = charts.heatmap(m.heatmap_data(partner), names=m.names(), columns=m.regions(),
                   mark=region, label=m.chart_label, title=nb.t("ws5.heatmap_title"), lang=lang)"""),
        Md("ws5.quadrant"),
        Code("""ax = charts.quadrant(m.quadrant(region, partner), **m.quadrant_style(), label=m.chart_label,
                    title=nb.t("ws5.quadrant_title", region=m.region_name(region)), lang=lang)
nb.say("ws5.found", **m.candidate_words(region, partner))
nb.show(m.candidates(region, partner), caption=m.bridge_label())"""),
        Md("ws5.trends"),
        Code("""ax = charts.bands(m.trends(region, partner), names=m.names(), label=m.chart_label,
                 title=nb.t("ws5.trends_title", region=m.region_name(region)),
                 ylabel=nb.t("ws5.col.tightness"))"""),
        Md("ws5.supply"),
        Code("""nb.say("ws5.supply_year", year=m.supply_year(), who=partners.display_name(partner))
nb.show(m.supply_table(partner), caption=m.label)"""),
        Md("ws5.bridge"),
        Code("nb.show(m.bridge_table(partner), caption=m.bridge_label())"),
        Md("ws5.forum"),
        Md("ws5.prompts"),
        Code("nb.record(record, forum.headline(m, partner, region=region))"),
    ),
)

APP = Notebook(
    "05_forum",
    (
        Params("""# Parameters (the forum app: kit serve, then 05_forum.ipynb)
region = ""  # the region the form opens on (a name or ELY code); empty: the whole country
lang = "fi"  # fi, sv or en
dataset = "demo"  # demo, or a folder with your StatFin and Vipunen files
store = ""  # where contributions go: "" (the workshop's store) or a path"""),
        Md("ws5.app"),
        Code("""from kit import app
from kit.workshops.anticipation import view

app.start(lang)
app.shell(view.maker(dataset, region, store), lang, "05_forum", "ws5.app")"""),
    ),
)

ROOM_APP = Notebook(
    "05_forum_room",
    (
        Params("""# Parameters (the facilitator's view of the forum: kit serve, then 05_forum_room.ipynb)
region = ""  # the region whose demand trends rank the proposals; empty: the first
lang = "fi"  # fi, sv or en
dataset = "demo"  # demo, or a folder with your StatFin and Vipunen files
store = ""  # the forum's store: "" (the workshop's store) or a path"""),
        Md("ws5.app_room"),
        Code("""from kit import app
from kit.workshops.anticipation import view

app.start(lang)
app.shell(view.room_maker(dataset, region, store), lang, "05_forum_room", "ws5.app_room")"""),
    ),
)

NOTEBOOKS = (REPORT, APP, ROOM_APP)

EXERCISES = (
    Exercise(
        "ex11_tightness",
        "ex11",
        setup="""from kit import notebook as nb
from kit.workshops.anticipation import checks

nb.start(lang)""",
        blank='''def tightness(vacancies, unemployed):
    """Open vacancies per unemployed jobseeker; None where fewer than five are unemployed."""
    # YOUR CODE HERE: divide, but not on a base of under five people
    return None''',
        solution='''def tightness(vacancies, unemployed):
    """Open vacancies per unemployed jobseeker; None where fewer than five are unemployed."""
    if unemployed < 5:
        return None
    return vacancies / unemployed''',
        check="checks.tightness(tightness)",
    ),
    Exercise(
        "ex12_quadrant",
        "ex12",
        setup="""from kit import notebook as nb
from kit.workshops.anticipation import checks

nb.start(lang)""",
        blank='''def quadrant(low, high, supply, median):
    """candidate, supplied, review, small or uncertain, from the trend's interval and supply."""
    # YOUR CODE HERE: the interval above zero is growing, below zero shrinking
    return None''',
        solution='''def quadrant(low, high, supply, median):
    """candidate, supplied, review, small or uncertain, from the trend's interval and supply."""
    if low > 0:
        return "supplied" if supply > median else "candidate"
    if high < 0:
        return "review" if supply > median else "small"
    return "uncertain"''',
        check="checks.quadrant(quadrant)",
    ),
)
