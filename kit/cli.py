"""The ``kit`` command: validate files, build demo data, run the demo, check the environment.

Every message comes from the catalogue in the language of ``--lang`` (or ``KIT_LANG``; Finnish
by default). Bad input ends with one line naming the file, row and column, and exit status 1;
never with a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kit import __version__, i18n
from kit.errors import KitInputError
from kit.i18n import t

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def _lang_from(argv: Sequence[str]) -> str:
    """``--lang`` anywhere on the line, else ``KIT_LANG`` (any case), else Finnish."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang", type=str.lower, choices=i18n.LANGS)
    known, _ = pre.parse_known_args(argv)
    env = os.environ.get("KIT_LANG", "").strip().lower()
    if env and env not in i18n.LANGS and not known.lang:
        print(t("cli.bad_kit_lang", i18n.DEFAULT_LANG, value=env, valid=", ".join(i18n.LANGS)),
              file=sys.stderr)
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
    argparse._ = lambda text: t(_ARGPARSE_WORDS[text], lang) if text in _ARGPARSE_WORDS else text


def build_parser(lang: str) -> argparse.ArgumentParser:
    """The argument parser, with help texts in ``lang``."""
    from kit import schemas, synth

    _translate_argparse(lang)
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="kit", description=t("cli.description", lang), epilog=t("cli.epilog", lang),
        formatter_class=fmt)
    parser.add_argument("--lang", type=str.lower, choices=i18n.LANGS, default=lang,
                        help=t("cli.lang", lang))
    parser.add_argument("--version", action="version", version=f"kit {__version__}",
                        help=t("cli.argparse.version", lang))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=t("cli.commands", lang))
    # every command also takes --lang after its name (kit validate --lang en ...)
    lang_option = argparse.ArgumentParser(add_help=False)
    lang_option.add_argument("--lang", type=str.lower, choices=i18n.LANGS,
                             default=argparse.SUPPRESS, help=t("cli.lang", lang))

    p = sub.add_parser("validate", help=t("cli.validate.help", lang), parents=[lang_option],
                       description=t("cli.validate.description", lang),
                       epilog=t("cli.validate.epilog", lang), formatter_class=fmt)
    p.add_argument("paths", nargs="+", metavar="PATH", help=t("cli.validate.paths", lang))
    p.add_argument("--kind", choices=list(schemas.KINDS), help=t("cli.validate.kind", lang))

    p = sub.add_parser("demo-data", help=t("cli.demo_data.help", lang), parents=[lang_option],
                       description=t("cli.demo_data.description", lang), formatter_class=fmt)
    p.add_argument("--scale", choices=synth.SCALES, default="partners",
                   help=t("cli.demo_data.scale", lang))
    p.add_argument("--out", type=Path, help=t("cli.demo_data.out", lang))
    p.add_argument("--seed", type=int, default=synth.SEED, help=t("cli.demo_data.seed", lang))
    p.add_argument("--force", action="store_true", help=t("cli.demo_data.force", lang))

    sub.add_parser("demo", help=t("cli.demo.help", lang), parents=[lang_option],
                   description=t("cli.demo.description", lang), formatter_class=fmt)
    sub.add_parser("env", help=t("cli.env.help", lang), parents=[lang_option],
                   description=t("cli.env.description", lang), formatter_class=fmt)

    p = sub.add_parser("funding", help=t("cli.funding.help", lang), parents=[lang_option],
                       description=t("cli.funding.description", lang),
                       epilog=t("cli.funding.epilog", lang), formatter_class=fmt)
    p.add_argument("--counts", required=True, type=Path, metavar="FILE",
                   help=t("cli.funding.counts", lang))
    p.add_argument("--format", choices=("csv", "table"), default="csv",
                   help=t("cli.funding.format", lang))

    from kit import export, onepager

    p = sub.add_parser("export", help=t("cli.export.help", lang), parents=[lang_option],
                       description=t("cli.export.description", lang),
                       epilog=t("cli.export.epilog", lang), formatter_class=fmt)
    p.add_argument("--format", choices=export.FORMATS, default="parquet",
                   help=t("cli.export.format", lang))
    p.add_argument("--out", type=Path, required=True, metavar="DIR",
                   help=t("cli.export.out", lang))
    p.add_argument("--partner", metavar="ID", help=t("cli.export.partner", lang))
    p.add_argument("--dataset", choices=("demo", "national"), default="demo",
                   help=t("cli.export.dataset", lang))

    from kit import runner

    p = sub.add_parser("run", help=t("cli.run.help", lang), parents=[lang_option],
                       description=t("cli.run.description", lang),
                       epilog=t("cli.run.epilog", lang), formatter_class=fmt)
    p.add_argument("--workshop", default="all", metavar="NAME",
                   help=t("cli.run.workshop", lang) + f" ({', '.join(runner.WORKSHOPS)})")
    p.add_argument("--partner", default="all", metavar="ID", help=t("cli.run.partner", lang))
    p.add_argument("--jobs", type=int, default=None, metavar="N", help=t("cli.run.jobs", lang))
    p.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR",
                   help=t("cli.run.out", lang))
    p.add_argument("--fresh-kernels", action="store_true", help=t("cli.run.fresh", lang))

    p = sub.add_parser("serve", help=t("cli.serve.help", lang), parents=[lang_option],
                       description=t("cli.serve.description", lang),
                       epilog=t("cli.serve.epilog", lang), formatter_class=fmt)
    p.add_argument("--port", type=int, default=8866, help=t("cli.serve.port", lang))
    p.add_argument("--ip", default="127.0.0.1", help=t("cli.serve.ip", lang))
    p.add_argument("--token", nargs="?", const="", default=None,
                   help=t("cli.serve.token", lang))

    p = sub.add_parser("assess", help=t("cli.assess.help", lang), parents=[lang_option],
                       description=t("cli.assess.description", lang),
                       epilog=t("cli.assess.epilog", lang), formatter_class=fmt)
    p.add_argument("action", choices=("import", "export", "demo", "check"),
                   help=t("cli.assess.action", lang))
    p.add_argument("file", nargs="?", type=Path, metavar="FILE", help=t("cli.assess.file", lang))
    p.add_argument("--store", type=Path, default=None, metavar="PATH",
                   help=t("cli.assess.store", lang))

    p = sub.add_parser("onepager", help=t("cli.onepager.help", lang), parents=[lang_option],
                       description=t("cli.onepager.description", lang), formatter_class=fmt)
    p.add_argument("--partner", default="all", metavar="ID", help=t("cli.onepager.partner", lang))
    p.add_argument("--audience", choices=[*onepager.AUDIENCES, "all"], default="all",
                   help=t("cli.onepager.audience", lang))
    p.add_argument("--period", metavar="PERIOD", help=t("cli.onepager.period", lang))
    p.add_argument("--out", type=Path, default=Path("reports/onepagers"), metavar="DIR",
                   help=t("cli.onepager.out", lang))
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
    handlers = {"validate": cmd_validate, "demo-data": cmd_demo_data, "demo": cmd_demo,
                "env": cmd_env, "funding": cmd_funding, "export": cmd_export,
                "onepager": cmd_onepager, "run": cmd_run, "serve": cmd_serve,
                "assess": cmd_assess}
    try:
        status = handlers[args.command](args)
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


def _progress(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="", leave=False, file=sys.stderr,
                disable=None, bar_format="{desc} {bar} {n_fmt}/{total_fmt}")


def cmd_validate(args: argparse.Namespace) -> int:
    """``kit validate PATH...``: one line per file, status 1 if any file is bad."""
    lang = args.lang
    files, skipped = _expand(args.paths)
    for path in skipped:
        print(f"– {t('cli.validate.skipped', lang, file=_shown(path))}", flush=True)
    if not files:
        print(t("cli.validate.nothing", lang), flush=True)
        return EXIT_BAD_INPUT
    bad = 0
    with _progress(len(files), t("cli.validate.checking", lang)) as bar:
        for path, result in _check_each(files, args.kind, bar):
            bar.clear()
            if isinstance(result, KitInputError):
                bad += 1
                print(f"✘ {result.message(lang)}", flush=True)
            else:
                print(f"✔ {_shown(path)}: {result.describe(lang)}", flush=True)
    print(t("cli.validate.result", lang, ok=len(files) - bad, bad=bad), flush=True)
    return EXIT_BAD_INPUT if bad else EXIT_OK


def _check_each(files: Sequence[Path], kind: str | None, bar):
    """Check files one by one, moving the progress bar."""
    from kit import loader

    for file in files:
        result = loader.check_files([file], kind)[0]
        bar.update(1)
        yield result


TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")


def _expand(paths: Sequence[str]) -> tuple[list[Path], list[Path]]:
    """Files to check (folders searched), and files in those folders that are no tables."""
    out: list[Path] = []
    skipped: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                (out if f.suffix.lower() in TABLE_SUFFIXES else skipped).append(f)
        else:
            out.append(p)
    return out, [f for f in skipped if f.suffix.lower() not in (".md", ".json")]


def _shown(path: Path) -> str:
    from kit.paths import relative

    return relative(path)


def cmd_demo_data(args: argparse.Namespace) -> int:
    """``kit demo-data``: build the synthetic data (atomically; existing data kept unless --force)."""
    from kit import paths, synth

    lang = args.lang
    out = args.out or (paths.demo_dir() if args.scale == "partners" else paths.national_dir())
    from kit import datasets

    if args.out is None:
        exists = args.seed == synth.SEED and datasets.is_built(
            "demo" if args.scale == "partners" else "national")
    else:
        exists = out.exists() and any(out.iterdir())
    if exists and not args.force:
        print(t("cli.demo_data.exists", lang, folder=_shown(out)))
        return EXIT_OK
    built = _build(synth, out, args.scale, args.seed, lang)
    key = "cli.demo_data.done" if built.answers else "cli.demo_data.done_aggregate"
    print(t(key, lang, folder=_shown(built.out), files=len(built.files),
            respondents=built.respondents, answers=built.answers))
    return EXIT_OK


def _build(synth, out: Path, scale: str, seed: int, lang: str):
    steps = ["reference", "response", *[f"answers {p}" for p in synth.PERIODS], "aggregate",
             "indicators"]
    with _progress(len(steps), t("cli.demo_data.building", lang)) as bar:
        def step(_name: str) -> None:
            bar.update(1)

        return synth.build(out, scale=scale, seed=seed, progress=step)


def cmd_demo(args: argparse.Namespace) -> int:
    """``kit demo``: the main job on the bundled demo data (build if missing, check, summarise)."""
    from kit import datasets, overview, partners, paths, privacy, synth

    lang = args.lang
    print(t("demo.title", lang))
    print()
    started = time.perf_counter()
    if datasets.is_built("demo"):
        print(t("demo.step_data_found", lang, folder=_shown(paths.demo_dir())))
    else:
        _build(synth, paths.demo_dir(), "partners", synth.SEED, lang)
        print(t("demo.step_data_built", lang, folder=_shown(paths.demo_dir()),
                seconds=f"{time.perf_counter() - started:.1f}"))

    files = sorted(paths.demo_dir().rglob("*.csv")) + sorted(paths.reference_dir().glob("*.csv")) \
        + [paths.data_dir() / n for n in ("partners.csv", "questions.csv", "qualifications.csv")]
    bad = []
    with _progress(len(files), t("cli.validate.checking", lang)) as bar:
        for path, result in _check_each(files, None, bar):
            if isinstance(result, KitInputError):
                bad.append(result)
    print(t("demo.step_validated", lang, ok=len(files) - len(bad), total=len(files)))
    for err in bad:
        print(f"  ✘ {err.message(lang)}", file=sys.stderr)

    data = datasets.load("demo")
    print()
    print("⚠ " + data.label(lang))
    print()
    print(t("demo.respondents_heading", lang))
    print(overview.respondents_table(data, lang=lang).to_string(index=False))
    print()
    last = data.periods()[-1]
    print(t("demo.rates_heading", lang, period=last))
    print(overview.response_rates(data, last, lang, only=partners.y_tunnukset("network"))
          .to_string(index=False))
    print()
    stats = overview.privacy_stats(data)
    print(t("demo.privacy", lang, label=privacy.small_label(), hidden=privacy.hidden_label(lang),
            **stats))
    print()
    _demo_workshop1(data, lang)
    print()
    failed = _demo_run(lang)
    print()
    print(t("demo.next", lang, seconds=f"{time.perf_counter() - started:.1f}"))
    return EXIT_BAD_INPUT if bad or failed else EXIT_OK


def _demo_run(lang: str) -> int:
    """``kit run`` of every workshop for every partner; returns the number of failures."""
    from kit import paths, runner

    jobs = runner.plan("all", "all", lang)
    started = time.perf_counter()
    out = paths.ROOT / "reports"
    with _progress(len(jobs), t("cli.run.running", lang)) as bar:
        outcomes = runner.run(jobs, out, progress=lambda _o: bar.update(1), lang=lang)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(t("cli.run.failed_line", lang, workshop=o.job.workshop, partner=o.job.partner,
                cell=o.cell if o.cell is not None else "–", error=o.error), file=sys.stderr)
    print(t("demo.run", lang, ok=len(outcomes) - len(failed), total=len(outcomes),
            seconds=f"{time.perf_counter() - started:.1f}", index=out / "index.html"))
    return len(failed)


def _demo_workshop1(data, lang: str) -> None:
    """Workshop 1 in the demo: headline figures, one-page summaries and the Power BI tables."""
    from kit import dashboard, export, onepager, partners, paths

    model = dashboard.build(data, lang=lang)
    sel = dashboard.Selection(survey="tutkinnon_suorittaneet")
    print(t("demo.ws1_headline", lang, period=model.periods[-1]))
    for partner in partners.ids():
        k = dashboard.kpis(model, sel.with_(partner=partner))
        mean = "–" if k["mean"] is None else f"{k['mean']:.2f}"
        rate = "–" if k["response_rate"] is None else f"{k['response_rate']:.0%}"
        print(f"  {partners.display_name(partner, lang):<36} {mean:>5}  {rate:>4}")
    reports = paths.ROOT / "reports"
    pages = []
    with _progress(len(partners.ids()) * len(onepager.AUDIENCES),
                   t("cli.onepager.making", lang)) as bar:
        for partner in partners.ids():
            for audience in onepager.AUDIENCES:
                pages += onepager.write(onepager.build(model, partner, audience, lang=lang),
                                        reports / "onepagers")
                bar.update(1)
    tables = export.write(export.tables(data), reports / "powerbi", "parquet")
    print(t("demo.ws1", lang, pages=len(pages) // 2, onepagers=_shown(reports / "onepagers"),
            tables=len(tables), export=_shown(reports / "powerbi")))


def cmd_env(args: argparse.Namespace) -> int:
    """``kit env``: what is installed, what is missing, and how to fix it."""
    from kit import envcheck

    lang = args.lang
    table = envcheck.report(lang, include_test=True)
    print(table.to_string(index=False))
    problems = envcheck.problems(lang, include_test=True)
    print()
    print(t("env.all_ok", lang) if not problems else t("env.some_missing", lang, count=len(problems)))
    return EXIT_BAD_INPUT if problems else EXIT_OK


def cmd_funding(args: argparse.Namespace) -> int:
    """``kit funding --counts FILE``: response rates and correction factors per provider and
    survey, from a confirmed-counts file in any shape ``kit validate`` accepts."""
    import pandas as pd

    from kit import funding, loader

    lang = args.lang
    resp = loader.load_response([args.counts])
    report = funding.counts_report(resp)
    several = report["period"].nunique() > 1
    columns = (["period"] if several else []) + funding.COLUMNS
    if args.format == "csv":
        out = report[columns].copy()
        for c in ("response_rate", "correction_factor"):
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.6f}")
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        shown = report.copy()
        shown["answered"] = shown["answered"].astype("object").where(
            ~shown["suppressed"], shown["respondents_label"])
        for c, f in (("response_rate", "{:.1%}"), ("correction_factor", "{:.6f}")):
            shown[c] = shown[c].map(lambda v, f=f: "–" if pd.isna(v) else f.format(v))
        print(shown[columns].to_string(index=False))
    periods_seen = ", ".join(sorted(report["period"].unique()))
    print(t("cli.funding.footer", lang, periods=periods_seen,
            formula=", ".join(sorted({funding.formula(p).label(lang)
                                      for p in report["period"].unique()})),
            hidden=int(report["suppressed"].sum()), label=_small()), file=sys.stderr)
    return EXIT_OK


def _small() -> str:
    from kit import privacy

    return privacy.small_label()


def cmd_export(args: argparse.Namespace) -> int:
    """``kit export``: the protected star schema for Power BI and Excel."""
    from kit import datasets, export, partners

    lang = args.lang
    if args.partner is not None:
        partners.check(args.partner, parameter="--partner")
    data = datasets.load(args.dataset)
    files = export.write(export.tables(data, args.partner), args.out, args.format)
    print(t("cli.export.done", lang, count=len(files), folder=_shown(args.out),
            label=data.label(lang)))
    for f in files:
        print(f"  {_shown(f)}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """``kit run``: every workshop notebook for every partner, in parallel warm kernels."""
    from kit import runner

    lang = args.lang
    if args.jobs is not None and args.jobs < 1:
        raise KitInputError("unknown_value", parameter="--jobs", value=args.jobs, valid="1, 2, …")
    jobs = runner.plan(args.workshop, args.partner, lang)
    started = time.perf_counter()
    with _progress(len(jobs), t("cli.run.running", lang)) as bar:
        def step(outcome) -> None:
            bar.set_postfix_str(f"{outcome.job.workshop}/{outcome.job.partner}", refresh=False)
            bar.update(1)

        outcomes = runner.run(jobs, args.out, args.jobs, progress=step, fresh=args.fresh_kernels,
                              lang=lang)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(t("cli.run.failed_line", lang, workshop=o.job.workshop, partner=o.job.partner,
                cell=o.cell if o.cell is not None else "–", error=o.error), file=sys.stderr)
    print(t("cli.run.done", lang, ok=len(outcomes) - len(failed), total=len(outcomes),
            seconds=f"{time.perf_counter() - started:.1f}", index=_shown(args.out / "index.html")))
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """``kit serve``: the notebooks as Voilà apps with the checked-in configuration."""
    from kit import datasets, serve

    lang = args.lang
    if not 1 <= args.port <= 65535:
        raise KitInputError("unknown_value", parameter="--port", value=args.port,
                            valid="1–65535")
    datasets.ensure("demo")
    where = f"http://{args.ip}:{args.port}/"
    print(t("cli.serve.starting", lang, url=where, config=_shown(serve.CONFIG)), flush=True)
    return serve.serve(args.port, args.ip, args.token)


def cmd_assess(args: argparse.Namespace) -> int:
    """``kit assess``: move self-assessment answers between a store and spreadsheets."""
    from kit import selfassess

    lang = args.lang
    if args.action == "demo":
        target = selfassess.build_demo(args.store)
        print(t("cli.assess.demo_done", lang, file=_shown(target)))
        return EXIT_OK
    store = selfassess.ResponseStore(args.store)
    if args.action == "check":
        print(t("cli.assess.check", lang, file=_shown(store.path), count=store.count(),
                integrity=store.integrity(), label=store.label(lang)))
        return EXIT_OK if store.integrity() == "ok" else EXIT_BAD_INPUT
    if args.file is None:
        raise KitInputError("assess_needs_file", parameter="FILE", action=args.action)
    if args.action == "import":
        count = selfassess.import_file(store, args.file)
        print(t("cli.assess.imported", lang, count=count, file=_shown(args.file),
                store=_shown(store.path)))
    else:
        out = selfassess.export(store, args.file)
        print(t("cli.assess.exported", lang, count=store.count(), file=_shown(out)))
    return EXIT_OK


def cmd_onepager(args: argparse.Namespace) -> int:
    """``kit onepager``: one-page summaries (PNG and HTML) for target groups."""
    from kit import dashboard, onepager, partners

    lang = args.lang
    wanted = partners.ids() if args.partner == "all" else [
        partners.check(args.partner, parameter="--partner")]
    audiences = list(onepager.AUDIENCES) if args.audience == "all" else [args.audience]
    model = dashboard.build(lang=lang)
    written = []
    with _progress(len(wanted) * len(audiences), t("cli.onepager.making", lang)) as bar:
        for partner in wanted:
            for audience in audiences:
                page = onepager.build(model, partner, audience, args.period, lang)
                written += onepager.write(page, args.out)
                bar.update(1)
    print(t("cli.onepager.done", lang, count=len(written), folder=_shown(args.out),
            label=model.label))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
