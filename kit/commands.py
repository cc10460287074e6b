"""What the core ``kit`` commands do, one function each (the parser is :mod:`kit.cli`).

Each handler takes the parsed arguments and returns the exit status; it imports what it needs
when it runs, so the command line stays fast for everything else. Bad input raises
:class:`~kit.errors.KitInputError`, which :func:`kit.cli.main` prints as one line.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kit.errors import KitInputError
from kit.i18n import t
from kit.numbers import number
from kit.progress import bar

if TYPE_CHECKING:
    from kit.synth import Built

EXIT_OK, EXIT_BAD_INPUT = 0, 1
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")


def shown(path: Path) -> str:
    """A path as messages show it (relative to the repository when inside it)."""
    from kit.paths import relative

    return relative(path)


# --- kit validate -------------------------------------------------------------------------------


def validate(args: argparse.Namespace) -> int:
    """``kit validate PATH...``: one line per file, status 1 if any file is bad."""
    lang = args.lang
    files, skipped = expand(args.paths)
    for path in skipped:
        print(f"– {t('cli.validate.skipped', lang, file=shown(path))}", flush=True)
    if not files:
        print(t("cli.validate.nothing", lang), flush=True)
        return EXIT_BAD_INPUT
    bad = 0
    with bar(len(files), t("cli.validate.checking", lang)) as progress:
        for path, result in check_each(files, args.kind, progress):
            progress.clear()
            if isinstance(result, KitInputError):
                bad += 1
                print(f"✘ {result.message(lang)}", flush=True)
            else:
                print(f"✔ {shown(path)}: {result.describe(lang)}", flush=True)
    print(t("cli.validate.result", lang, ok=len(files) - bad, bad=bad), flush=True)
    return EXIT_BAD_INPUT if bad else EXIT_OK


def check_each(files: Sequence[Path], kind: str | None, progress) -> Iterator[tuple]:
    """Check files one by one, moving the progress bar: ``(path, Loaded or KitInputError)``."""
    from kit import loader

    for file in files:
        result = loader.check_files([file], kind)[0]
        progress.update(1)
        yield result


def expand(paths: Sequence[str]) -> tuple[list[Path], list[Path]]:
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


# --- kit import arvo ----------------------------------------------------------------------------


def import_files(args: argparse.Namespace) -> int:
    """``kit import arvo FILE... --provider Y --survey S --out OUT``: Arvo downloads → answers."""
    from kit import importer, loader

    lang = args.lang
    result = importer.import_files(
        args.files,
        provider=args.provider,
        survey=args.survey,
        out=args.out,
        append=args.append,
        force=args.force,
        skip_unknown=args.skip_unknown,
    )
    assert result.out is not None  # import_files chose one
    for d in result.downloads:
        described = loader.Loaded(
            path=d.path, kind="arvo", frame=d.answers, fmt=d.fmt, download=d
        ).describe(lang)
        print(f"✔ {t('cli.import.read', lang, file=shown(d.path), what=described)}", flush=True)
    answers = result.answers
    dates = pd_periods(answers["vastausaika"])
    print(
        t(
            "cli.import.wrote",
            lang,
            file=shown(result.out),
            answers=number(len(answers), 0, lang),
            respondents=number(answers["vastaajatunnus"].nunique(), 0, lang),
            survey=result.survey,
            provider=result.provider,
            periods=", ".join(dates),
        ),
        flush=True,
    )
    missing = sum(d.without_answers for d in result.downloads)
    if missing:
        print(t("cli.import.without_answers", lang, count=missing), flush=True)
    if result.appended:
        print(t("cli.import.appended", lang, rows=number(result.appended, 0, lang)), flush=True)
    print(t("cli.import.next", lang, file=shown(result.out)), flush=True)
    return EXIT_OK


def pd_periods(dates) -> list[str]:
    """The funding periods of ISO dates."""
    import pandas as pd

    from kit import periods

    return sorted(periods.of_dates(pd.to_datetime(pd.Series(dates).drop_duplicates())).unique())


# --- kit demo-data ------------------------------------------------------------------------------


def demo_data(args: argparse.Namespace) -> int:
    """``kit demo-data``: build the synthetic data (atomically; existing data kept unless --force)."""
    from kit import datasets, paths, synth

    lang = args.lang
    out = args.out or (paths.demo_dir() if args.scale == "partners" else paths.national_dir())
    if args.out is None:
        exists = args.seed == synth.SEED and datasets.is_built(
            "demo" if args.scale == "partners" else "national"
        )
    else:
        exists = out.exists() and any(out.iterdir())
    if exists and not args.force:
        print(t("cli.demo_data.exists", lang, folder=shown(out)))
        return EXIT_OK
    built = build_data(out, args.scale, args.seed, lang)
    key = "cli.demo_data.done" if built.answers else "cli.demo_data.done_aggregate"
    print(
        t(
            key,
            lang,
            folder=shown(built.out),
            files=len(built.files),
            respondents=built.respondents,
            answers=built.answers,
        )
    )
    return EXIT_OK


def build_data(out: Path, scale: str, seed: int, lang: str) -> Built:
    """Build synthetic data with a progress bar; returns :class:`kit.synth.Built`."""
    from kit import synth

    with bar(len(synth.STEPS), t("cli.demo_data.building", lang)) as progress:
        return synth.build(out, scale=scale, seed=seed, progress=lambda _step: progress.update(1))


# --- kit env ------------------------------------------------------------------------------------


def env(args: argparse.Namespace) -> int:
    """``kit env``: what is installed, what is missing, and how to fix it."""
    from kit import envcheck

    lang = args.lang
    table = envcheck.report(lang, include_test=True)
    print(table.to_string(index=False))
    problems = envcheck.problems(lang, include_test=True)
    print()
    print(
        t("env.all_ok", lang) if not problems else t("env.some_missing", lang, count=len(problems))
    )
    return EXIT_BAD_INPUT if problems else EXIT_OK


# --- kit funding --------------------------------------------------------------------------------


def funding(args: argparse.Namespace) -> int:
    """``kit funding --counts FILE``: response rates and correction factors per provider and
    survey, from a confirmed-counts file in any shape ``kit validate`` accepts."""
    import pandas as pd

    from kit import funding as funding_model
    from kit import loader, numbers

    lang = args.lang
    resp = loader.load_response([args.counts])
    report = funding_model.counts_report(resp)
    several = report["period"].nunique() > 1
    columns = (["period"] if several else []) + funding_model.COLUMNS
    if args.format == "csv":
        out = report[columns].copy()
        for c in ("response_rate", "correction_factor"):
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.6f}")
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        table = report.copy()
        table["response_rate"] = table["response_rate"].map(lambda v: numbers.percent(v, 1, lang))
        table["correction_factor"] = table["correction_factor"].map(
            lambda v: numbers.number(v, 6, lang)
        )
        print(table[columns].to_string(index=False))
    periods_seen = ", ".join(sorted(report["period"].unique()))
    print(
        t(
            "cli.funding.footer",
            lang,
            periods=periods_seen,
            rows=len(report),
            formula=", ".join(
                sorted({funding_model.formula(p).label(lang) for p in report["period"].unique()})
            ),
        ),
        file=sys.stderr,
    )
    return EXIT_OK


# --- kit export ---------------------------------------------------------------------------------


def export(args: argparse.Namespace) -> int:
    """``kit export``: the protected star schema for Power BI and Excel."""
    from kit import datasets, partners
    from kit import export as star

    lang = args.lang
    if args.partner is not None:
        partners.check(args.partner, parameter="--partner")
    data = datasets.load(args.dataset)
    files = star.write(star.tables(data, args.partner), args.out, args.format)
    print(
        t("cli.export.done", lang, count=len(files), folder=shown(args.out), label=data.label(lang))
    )
    for f in files:
        print(f"  {shown(f)}")
    return EXIT_OK


# --- kit run ------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """``kit run``: every workshop notebook for every partner, in parallel warm kernels."""
    from kit import paths

    if args.jobs is not None and args.jobs < 1:
        raise KitInputError("unknown_value", parameter="--jobs", value=args.jobs, valid="1, 2, …")
    out = args.out if args.out is not None else paths.reports_dir()
    if args.out is None and args.dataset not in ("demo", "national"):
        # one's own data gets its own folder: never mixed with (or over) the demo's reports
        out = paths.reports_dir() / f"own-{Path(str(args.dataset)).resolve().name}"
    failed = run_all(
        args.workshop,
        args.partner,
        args.lang,
        out,
        args.jobs,
        args.fresh_kernels,
        "cli.run.done",
        dataset=args.dataset,
        verbose=args.verbose,
    )
    return EXIT_BAD_INPUT if failed else EXIT_OK


def run_all(
    workshop: str,
    partner: str,
    lang: str,
    out: Path,
    n_jobs: int | None = None,
    fresh: bool = False,
    done_key: str = "cli.run.done",
    prefix: str = "",
    dataset: str = "demo",
    verbose: bool = False,
    pool=None,
) -> int:
    """``kit run`` with a progress bar and a summary; returns the number of failures. The
    libraries' log lines go to ``run.log`` in ``out`` (the summary names it) unless
    ``verbose``. ``pool`` lends kernels already warming (:func:`kit.runner.start`); the run
    closes them when it ends."""
    from kit import runner

    if verbose:
        os.environ[runner.VERBOSE_ENV] = "1"
    quiet = runner.keep_library_log(runner.log_path(out))
    jobs = runner.plan(workshop, partner, lang, dataset)
    started = time.perf_counter()
    with bar(len(jobs), t("cli.run.running", lang)) as progress:

        def moved(outcome) -> None:
            progress.set_postfix_str(f"{outcome.job.workshop}/{outcome.job.partner}", refresh=False)
            progress.update(1)

        try:
            outcomes = runner.run(
                jobs, out, n_jobs, progress=moved, fresh=fresh, lang=lang, pool=pool
            )
        finally:
            if pool is not None:
                pool.close()
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(
            t(
                "cli.run.failed_line",
                lang,
                workshop=o.job.workshop,
                partner=o.job.partner,
                cell=o.cell if o.cell is not None else "–",
                error=o.error,
                notebook=shown(o.files.get("ipynb", out)),
            ),
            file=sys.stderr,
        )
    print(
        prefix
        + t(
            done_key,
            lang,
            ok=len(outcomes) - len(failed),
            total=len(outcomes),
            seconds=number(time.perf_counter() - started, 1, lang),
            index=shown(Path(out) / "index.html"),
        )
        + (t("cli.run.log", lang, log=shown(runner.log_path(out))) if quiet else "")
    )
    return len(failed)


# --- kit serve ----------------------------------------------------------------------------------


def serve(args: argparse.Namespace) -> int:
    """``kit serve``: the notebooks as Voilà apps with the checked-in configuration."""
    from kit import runner
    from kit import serve as server

    lang = args.lang
    if not 1 <= args.port <= 65535:
        raise KitInputError("unknown_value", parameter="--port", value=args.port, valid="1–65535")
    which = server.chosen(args.workshop)
    room = args.room
    need = server.check_room(room, which, lang)
    runner.prepare(which)
    from kit import partners

    partners.ids()  # the partners' snapshot, for the lean app kernels
    refused = server.prime(which, lang)
    if refused:
        print(refused, file=sys.stderr)
        return 1
    day = server.plan(
        args.port, args.ip, args.token, args.facilitator_port, args.facilitator_token, args.host
    )
    server.check_ports(day)
    print(
        t(
            "cli.serve.starting",
            lang,
            url=day.attendee_url(),
            config=shown(server.CONFIG),
            facilitator=day.facilitator_url(),
        ),
        flush=True,
    )
    if room:
        pools = server.room_pools(room, which)
        sizes = ", ".join(
            f"{name} {c['pool_size']}"
            for name, c in pools.items()
            if name != "default" and c["pool_size"]
        )
        have = server.available_mb()
        print(
            t(
                "cli.serve.room_plan",
                lang,
                room=room,
                pools=sizes,
                need=f"{need / 1024:.1f} GB",
                have=f"{have / 1024:.1f} GB" if have else "?",
            ),
            flush=True,
        )
    delay = server.FILL_DELAY if args.fill_delay is None else args.fill_delay
    verbose = getattr(args, "verbose", False) or os.environ.get(runner.VERBOSE_ENV)
    log = None if verbose else server.log_path()
    if log is not None:
        print(t("cli.serve.log", lang, log=shown(log)), flush=True)
    return server.serve(
        args.port,
        args.ip,
        args.token,
        lang=lang,
        room=room,
        which=which,
        fill_delay=delay,
        say=lambda text: print(text, flush=True),
        day=day,
        log=log,
    )
