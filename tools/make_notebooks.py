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
periods = None  # funding periods to show, e.g. "2022-23,2023-24,2024-25"; None = all
dataset = "demo"  # demo (six partners) or national (154 providers)''', ["parameters"]),
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
nb.html(onepager.build(model, partner, "staff", lang=lang).html)''',
    '''nb.say("ws1.reflect")''',
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
