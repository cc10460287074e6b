"""Workshop 1's command: ``kit onepager`` (its parser part imports nothing heavy)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kit.i18n import t
from kit.workshops.spec import Command

#: the target groups (kit.workshops.dashboards.onepager.AUDIENCES; a test checks they agree)
AUDIENCES = ("students", "staff", "worklife")


def _arguments(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--partner", default="all", metavar="ID", help=t("cli.onepager.partner", lang))
    p.add_argument(
        "--audience",
        choices=[*AUDIENCES, "all"],
        default="all",
        help=t("cli.onepager.audience", lang),
    )
    p.add_argument("--period", metavar="PERIOD", help=t("cli.onepager.period", lang))
    p.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help=t("cli.onepager.out", lang)
    )


def onepager(args: argparse.Namespace) -> int:
    """``kit onepager``: one-page summaries (PNG and HTML) for target groups."""
    from kit import partners, paths
    from kit.commands import shown
    from kit.progress import bar
    from kit.workshops.dashboards import dashboard
    from kit.workshops.dashboards import onepager as pages

    lang = args.lang
    wanted = (
        partners.ids()
        if args.partner == "all"
        else [partners.check(args.partner, parameter="--partner")]
    )
    audiences = list(pages.AUDIENCES) if args.audience == "all" else [args.audience]
    out = args.out if args.out is not None else paths.reports_dir() / "onepagers"
    model = dashboard.build(lang=lang)
    written = []
    with bar(len(wanted) * len(audiences), t("cli.onepager.making", lang)) as progress:
        for partner in wanted:
            for audience in audiences:
                page = pages.build(model, partner, audience, args.period, lang)
                written += pages.write(page, out)
                progress.update(1)
    print(t("cli.onepager.done", lang, count=len(written), folder=shown(out), label=model.label))
    return 0


COMMANDS = (Command("onepager", _arguments, "kit.workshops.dashboards.commands:onepager"),)
