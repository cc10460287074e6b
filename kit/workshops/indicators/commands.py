"""Workshop 3's commands: ``kit indicators funnel`` and ``kit scorecard`` (the parser part
imports nothing heavy)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kit.i18n import t
from kit.workshops.spec import Command

SURVEYS = (
    "aloittaneet",
    "tutkinnon_suorittaneet",
    "tutkinnon_osia_suorittaneet",
    "tyopaikkaohjaajakysely",
    "tyopaikkakysely",
)


def _indicators(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("action", choices=("funnel",), help=t("cli.indicators.action", lang))
    p.add_argument(
        "--counts", required=True, type=Path, metavar="FILE", help=t("cli.funding.counts", lang)
    )
    p.add_argument(
        "--survey", required=True, choices=SURVEYS, help=t("cli.indicators.survey", lang)
    )
    p.add_argument(
        "--format", choices=("csv", "table"), default="csv", help=t("cli.funding.format", lang)
    )


def indicators(args: argparse.Namespace) -> int:
    """``kit indicators funnel``: one row per provider with someone targeted."""
    from kit import funnel, loader, numbers

    lang = args.lang
    resp = loader.load_response([args.counts])
    rows = resp[(resp["survey"] == args.survey) & (resp["targeted"].fillna(0) > 0)]
    rows = rows.groupby(["y_tunnus"], as_index=False)[["targeted", "answered"]].sum()
    if rows.empty:
        from kit.errors import KitInputError

        raise KitInputError("funnel_no_rows", file=str(args.counts), survey=args.survey)
    table = funnel.limits(rows)[funnel.COLUMNS]
    numeric = ["rate", "lower95", "upper95", "lower998", "upper998"]
    if args.format == "csv":
        out = table.copy()
        for c in numeric:
            out[c] = out[c].map(lambda v: f"{v:.6f}")
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        shown = table.copy()
        for c in numeric:
            shown[c] = shown[c].map(lambda v: numbers.percent(v, 1, lang))
        shown["position"] = shown["position"].map(lambda v: t(f"funnel.{v}", lang))
        print(shown.to_string(index=False))
    theta = funnel.pooled(rows["answered"], rows["targeted"])
    print(
        t(
            "cli.indicators.footer",
            lang,
            rows=len(table),
            theta=f"{theta:.6f}",
            above=int((table["position"] == "above").sum()),
            below=int((table["position"] == "below").sum()),
        ),
        file=sys.stderr,
    )
    return 0


def _scorecard(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--partner", default="network", metavar="ID", help=t("cli.export.partner", lang))
    p.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help=t("cli.scorecard.out", lang)
    )
    p.add_argument(
        "--dataset", default="demo", metavar="NAME_OR_PATH", help=t("cli.export.dataset", lang)
    )


def scorecard(args: argparse.Namespace) -> int:
    """``kit scorecard``: the xlsx (one sheet per partner) and the partner's page as HTML and
    PNG."""
    from kit import datasets, files, partners
    from kit.commands import shown
    from kit.workshops.indicators import model
    from kit.workshops.indicators import scorecard as cards

    lang = args.lang
    partner = partners.check(args.partner, parameter="--partner")
    m = model.build(datasets.load(datasets.check(args.dataset)), lang=lang)
    out = Path(args.out)
    book = cards.export_xlsx(
        {p: m.card(p) for p in partners.ids()}, out / "scorecards.xlsx", m.label, lang, m.registry
    )
    page = files.write_text(
        out / f"scorecard_{partner}.html", cards.page(m.card_html(partner), lang)
    )
    png = cards.png(
        m.card(partner), m.registry, partner, m.label, out / f"scorecard_{partner}.png", lang
    )
    print(t("cli.scorecard.done", lang, label=m.label))
    for f in (book, page, png):
        print(f"  {shown(f)}")
    return 0


COMMANDS = (
    Command("indicators", _indicators, "kit.workshops.indicators.commands:indicators"),
    Command("scorecard", _scorecard, "kit.workshops.indicators.commands:scorecard"),
)
