"""Workshop 1's demo data, warm-up and step in ``kit demo`` (named by its registry entry)."""

from __future__ import annotations

from pathlib import Path

from kit import datasets
from kit.i18n import t


def warm(lang: str) -> None:
    """The demo and national data and the national decision (if not there yet), and the
    dashboard model once, so every report in a warm kernel reuses it."""
    from kit.workshops.dashboards import dashboard, synthetic

    synthetic.prepare()
    dashboard.build(datasets.load("demo"), lang=lang)


def showcase(lang: str, reports: Path) -> list[str]:
    """Headline figures per partner, one-page summaries and the Power BI tables."""
    from kit import export, numbers, partners
    from kit.commands import shown
    from kit.progress import bar
    from kit.workshops.dashboards import dashboard, onepager

    data = datasets.load("demo")
    model = dashboard.build(data, lang=lang)
    sel = dashboard.Selection(survey="tutkinnon_suorittaneet")
    lines = [t("demo.ws1_headline", lang, period=model.periods[-1])]
    for partner in partners.ids():
        k = dashboard.kpis(model, sel.with_(partner=partner))
        lines.append(
            f"  {partners.display_name(partner, lang):<36} "
            f"{numbers.number(k['mean'], 2, lang):>5}  "
            f"{numbers.percent(k['response_rate'], 0, lang):>5}"
        )
    pages = []
    with bar(len(partners.ids()) * len(onepager.AUDIENCES), t("cli.onepager.making", lang)) as b:
        for partner in partners.ids():
            for audience in onepager.AUDIENCES:
                pages += onepager.write(
                    onepager.build(model, partner, audience, lang=lang), reports / "onepagers"
                )
                b.update(1)
    tables = export.write(export.tables(data), reports / "powerbi", "parquet")
    summary = t(
        "demo.ws1",
        lang,
        pages=len(pages) // 2,
        onepagers=shown(reports / "onepagers"),
        tables=len(tables),
        export=shown(reports / "powerbi"),
    )
    return [summary, *lines]
