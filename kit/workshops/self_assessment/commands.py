"""Workshop 2's command: ``kit assess`` (its parser part imports nothing heavy)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kit.errors import KitInputError
from kit.i18n import t
from kit.workshops.spec import Command


def _arguments(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "action", choices=("import", "export", "demo", "check"), help=t("cli.assess.action", lang)
    )
    p.add_argument("file", nargs="?", type=Path, metavar="FILE", help=t("cli.assess.file", lang))
    p.add_argument(
        "--store", type=Path, default=None, metavar="PATH", help=t("cli.assess.store", lang)
    )


def assess(args: argparse.Namespace) -> int:
    """``kit assess``: move self-assessment answers between a store and spreadsheets."""
    from kit.commands import shown
    from kit.workshops.self_assessment import spreadsheet, synthetic
    from kit.workshops.self_assessment import store as stores

    lang = args.lang
    if args.action == "demo":
        target = synthetic.build_demo(args.store)
        print(t("cli.assess.demo_done", lang, file=shown(target)))
        return 0
    store = stores.ResponseStore(args.store)
    if args.action == "check":
        print(
            t(
                "cli.assess.check",
                lang,
                file=shown(store.path),
                count=store.count(),
                integrity=store.integrity(),
                label=store.label(lang),
            )
        )
        return 0 if store.integrity() == "ok" else 1
    if args.file is None:
        raise KitInputError("assess_needs_file", parameter="FILE", action=args.action)
    if args.action == "import":
        count = spreadsheet.import_file(store, args.file)
        print(
            t(
                "cli.assess.imported",
                lang,
                count=count,
                file=shown(args.file),
                store=shown(store.path),
            )
        )
    else:
        out = spreadsheet.export(store, args.file)
        print(t("cli.assess.exported", lang, count=store.count(), file=shown(out)))
    return 0


COMMANDS = (Command("assess", _arguments, "kit.workshops.self_assessment.commands:assess"),)
