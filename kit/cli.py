"""The ``kit`` command: validate files, build demo data, run and serve the workshops.

Every message comes from the catalogue in the language of ``--lang`` (or ``KIT_LANG``; Finnish
by default). Bad input ends with one line naming the file, row and column, and exit status 1;
never with a traceback.

**Fast.** Building the parser imports nothing heavy: ``kit --help``, ``kit CMD --help`` and a
wrong argument answer at once. A command's own modules (pandas, papermill, matplotlib) are
imported only when that command runs. Each :class:`Command` names its handler as
``"module:function"``; the core commands are below, and a workshop adds its own through the
``commands`` module its registry entry names (see :mod:`kit.workshops.spec`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kit import __version__, i18n
from kit.errors import KitInputError
from kit.i18n import t
from kit.workshops.spec import Command, resolve

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2

#: choices the parser offers without importing the modules that own them (tests/test_cli.py
#: checks that they agree: kit.synth.SCALES and SEED, kit.export.FORMATS, kit.datasets.NAMES)
SCALES = ("partners", "national")
SEED = 2026
EXPORT_FORMATS = ("parquet", "csv", "xlsx")
DATASETS = ("demo", "national")


def _lang_from(argv: Sequence[str]) -> str:
    """``--lang`` anywhere on the line, else ``KIT_LANG`` (any case), else Finnish."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang", type=str.lower, choices=i18n.LANGS)
    known, _ = pre.parse_known_args(argv)
    env = os.environ.get("KIT_LANG", "").strip().lower()
    if env and env not in i18n.LANGS and not known.lang:
        print(
            t("cli.bad_kit_lang", i18n.DEFAULT_LANG, value=env, valid=", ".join(i18n.LANGS)),
            file=sys.stderr,
        )
    return known.lang or (env if env in i18n.LANGS else i18n.DEFAULT_LANG)


#: argparse's own messages → catalogue keys (argparse looks its words up through ``_``)
_ARGPARSE_WORDS = {
    "usage: ": "cli.argparse.usage",
    "options": "cli.argparse.options",
    "positional arguments": "cli.argparse.positional",
    "show this help message and exit": "cli.argparse.help",
    "show program's version number and exit": "cli.argparse.version",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "the following arguments are required: %s": "cli.argparse.required",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.choice",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "expected one argument": "cli.argparse.one_argument",
}


def _translate_argparse(lang: str) -> None:
    """Make argparse's own words (usage, errors) speak ``lang``, through its gettext hook."""

    def translated(text: str) -> str:
        return t(_ARGPARSE_WORDS[text], lang) if text in _ARGPARSE_WORDS else text

    argparse._ = translated  # type: ignore[attr-defined]  # argparse's gettext hook


# --- the core commands' arguments ---------------------------------------------------------------


def _validate(p: argparse.ArgumentParser, lang: str) -> None:
    from kit import schemas  # declarations only: no pandas

    p.add_argument("paths", nargs="+", metavar="PATH", help=t("cli.validate.paths", lang))
    p.add_argument(
        "--kind", choices=[*schemas.kinds(), schemas.ARVO], help=t("cli.validate.kind", lang)
    )


def _import(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("source", choices=("arvo",), help=t("cli.import.source", lang))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=t("cli.import.files", lang))
    p.add_argument(
        "--provider", required=True, metavar="Y-TUNNUS", help=t("cli.import.provider", lang)
    )
    p.add_argument("--survey", metavar="SURVEY", help=t("cli.import.survey", lang))
    p.add_argument(
        "--out", type=Path, required=True, metavar="OUT.csv", help=t("cli.import.out", lang)
    )
    p.add_argument("--skip-unknown", action="store_true", help=t("cli.import.skip_unknown", lang))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--append", action="store_true", help=t("cli.import.append", lang))
    mode.add_argument("--force", action="store_true", help=t("cli.import.force", lang))


def _demo_data(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--scale", choices=SCALES, default="partners", help=t("cli.demo_data.scale", lang)
    )
    p.add_argument("--out", type=Path, help=t("cli.demo_data.out", lang))
    p.add_argument("--seed", type=int, default=SEED, help=t("cli.demo_data.seed", lang))
    p.add_argument("--force", action="store_true", help=t("cli.demo_data.force", lang))


def _nothing(_p: argparse.ArgumentParser, _lang: str) -> None:
    """A command without arguments of its own."""


def _verbose(p: argparse.ArgumentParser, lang: str) -> None:
    """``--verbose``: the libraries' log lines on the terminal, not in the run's log file."""
    p.add_argument("--verbose", action="store_true", help=t("cli.verbose", lang))


def _funding(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--counts", required=True, type=Path, metavar="FILE", help=t("cli.funding.counts", lang)
    )
    p.add_argument(
        "--format", choices=("csv", "table"), default="csv", help=t("cli.funding.format", lang)
    )


def _export(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--format", choices=EXPORT_FORMATS, default="parquet", help=t("cli.export.format", lang)
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help=t("cli.export.out", lang))
    p.add_argument("--partner", metavar="ID", help=t("cli.export.partner", lang))
    _dataset_argument(p, t("cli.export.dataset", lang), lang)


def _dataset_argument(p: argparse.ArgumentParser, text: str, lang: str) -> None:
    """``--dataset NAME_OR_PATH``, default the demo: its help names the data sets on offer."""
    help_ = f"{text} ({', '.join(DATASETS)}; {t('cli.dataset_path', lang)})"
    p.add_argument("--dataset", default="demo", metavar="NAME_OR_PATH", help=help_)


def _run(p: argparse.ArgumentParser, lang: str) -> None:
    from kit import workshops

    p.add_argument(
        "--workshop",
        default="all",
        metavar="NAME",
        help=t("cli.run.workshop", lang) + f" ({', '.join(workshops.names())})",
    )
    p.add_argument("--partner", default="all", metavar="ID", help=t("cli.run.partner", lang))
    p.add_argument("--jobs", type=int, default=None, metavar="N", help=t("cli.run.jobs", lang))
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help=t("cli.run.out", lang))
    p.add_argument("--fresh-kernels", action="store_true", help=t("cli.run.fresh", lang))
    _verbose(p, lang)
    _dataset_argument(p, t("cli.run.dataset", lang), lang)


def _serve(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--port", type=int, default=8866, help=t("cli.serve.port", lang))
    p.add_argument("--ip", default="127.0.0.1", help=t("cli.serve.ip", lang))
    p.add_argument("--token", nargs="?", const="", default=None, help=t("cli.serve.token", lang))
    p.add_argument(
        "--room",
        type=int,
        default=30,
        metavar="N",
        help=t("cli.serve.room", lang).replace("%", "%%"),
    )
    p.add_argument(
        "--workshop",
        action="append",
        metavar="NAME",
        help=t("cli.serve.workshop", lang) + f" ({', '.join(_workshop_names())})",
    )
    p.add_argument(
        "--fill-delay", type=float, default=None, metavar="S", help=t("cli.serve.fill_delay", lang)
    )
    p.add_argument(
        "--facilitator-port",
        type=int,
        default=None,
        metavar="PORT",
        help=t("cli.serve.facilitator_port", lang),
    )
    p.add_argument(
        "--facilitator-token",
        default=None,
        metavar="TOKEN",
        help=t("cli.serve.facilitator_token", lang),
    )
    p.add_argument("--host", default=None, metavar="NAME", help=t("cli.serve.host", lang))
    p.add_argument("--verbose", action="store_true", help=t("cli.serve.verbose", lang))


def _room(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "action",
        choices=("status", "open", "close", "reopen", "export"),
        help=t("cli.room.action", lang),
    )
    p.add_argument(
        "workshop",
        nargs="?",
        metavar="WORKSHOP",
        help=t("cli.room.workshop", lang) + f" ({', '.join(_workshop_names(True))})",
    )
    p.add_argument("--store", type=Path, metavar="FILE", help=t("cli.room.store", lang))
    p.add_argument("--out", type=Path, metavar="DIR", help=t("cli.room.out", lang))


CORE: tuple[Command, ...] = (
    Command("validate", _validate, "kit.commands:validate"),
    Command("import", _import, "kit.commands:import_files"),
    Command("demo-data", _demo_data, "kit.commands:demo_data"),
    Command("demo", _verbose, "kit.demo:main"),
    Command("env", _nothing, "kit.commands:env"),
    Command("funding", _funding, "kit.commands:funding"),
    Command("export", _export, "kit.commands:export"),
    Command("run", _run, "kit.commands:run"),
    Command("serve", _serve, "kit.commands:serve"),
    Command("room", _room, "kit.console:command"),
)


def commands() -> list[Command]:
    """Every command: the core ones, then each registered workshop's."""
    from kit import workshops

    found = list(CORE)
    for w in workshops.REGISTRY:
        if w.commands:
            found += list(resolve(w.commands))
    return found


def build_parser(lang: str) -> argparse.ArgumentParser:
    """The argument parser, with help texts in ``lang``."""
    _translate_argparse(lang)
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="kit",
        description=t("cli.description", lang),
        epilog=t("cli.epilog", lang),
        formatter_class=fmt,
    )
    parser.add_argument(
        "--lang", type=str.lower, choices=i18n.LANGS, default=lang, help=t("cli.lang", lang)
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"kit {__version__}",
        help=t("cli.argparse.version", lang),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=t("cli.commands", lang))
    # every command also takes --lang after its name (kit validate --lang en ...)
    lang_option = argparse.ArgumentParser(add_help=False)
    lang_option.add_argument(
        "--lang",
        type=str.lower,
        choices=i18n.LANGS,
        default=argparse.SUPPRESS,
        help=t("cli.lang", lang),
    )
    for command in commands():
        epilog = f"{command.key}.epilog"
        p = sub.add_parser(
            command.name,
            help=t(f"{command.key}.help", lang),
            parents=[lang_option],
            formatter_class=fmt,
            description=t(f"{command.key}.description", lang),
            epilog=t(epilog, lang) if i18n.has(epilog) else None,
        )
        command.arguments(p, lang)
        p.set_defaults(handler=command.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns (and exits with) the status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from(argv)
    i18n.set_language(lang)
    parser = build_parser(lang)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        status = resolve(args.handler)(args)
    except KitInputError as exc:
        print(exc.message(lang), file=sys.stderr)
        status = EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(t("cli.interrupted", lang), file=sys.stderr)
        status = 130
    except BrokenPipeError:
        # the reader went away (kit demo | head): stop quietly
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit flush quiet
        status = EXIT_OK
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def _workshop_names(with_room: bool = False) -> list[str]:
    from kit import workshops

    return [w.name for w in workshops.REGISTRY if w.room or not with_room]
