"""``kit demo`` (what ``make demo`` runs): the main job on the bundled demo data, step by step.

1. the demo data (built if missing, labelled synthetic);
2. every file checked as ``kit validate`` would, then who answered and what the privacy rule
   hides;
3. each registered workshop's own step (its ``showcase``: one-page summaries and Power BI
   tables for workshop 1, the assessment store for workshop 2, …);
4. ``kit run`` of every workshop for every partner, ending with the path of
   ``reports/index.html``.

It says what it did and where to look next, in the language of ``--lang``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

from kit import paths
from kit.commands import EXIT_BAD_INPUT, EXIT_OK, build_data, check_each, run_all, shown
from kit.errors import KitInputError
from kit.i18n import t
from kit.numbers import number, percent
from kit.progress import bar


def main(args: argparse.Namespace) -> int:
    """Run the demo; returns 0, or 1 when a file is bad or a report failed."""
    from kit import runner, workshops

    lang = args.lang
    steps = 3 + len(workshops.REGISTRY)
    step = iter(range(1, steps + 1))

    def prefix() -> str:
        return f"{next(step)}/{steps} "

    print(t("demo.title", lang))
    print()
    started = time.perf_counter()
    _data_step(prefix, lang, started)
    reports = paths.reports_dir()
    if getattr(args, "verbose", False):
        os.environ[runner.VERBOSE_ENV] = "1"
    runner.keep_library_log(runner.log_path(reports))
    # the report kernels start warming now, beside the checks and the workshops' own steps
    pool = runner.start(runner.plan("all", "all", lang), reports)
    try:
        bad = _check_step(prefix, lang)
        print()
        for w in workshops.REGISTRY:
            lines = w.call("showcase", lang, reports) or []
            for i, line in enumerate(lines):
                print((prefix() if i == 0 else "") + line)
    except BaseException:
        pool.close()
        raise
    print()
    failed = run_all("all", "all", lang, reports, done_key="demo.run", prefix=prefix(), pool=pool)
    print()
    print(t("demo.next", lang, seconds=number(time.perf_counter() - started, 1, lang)))
    return EXIT_BAD_INPUT if bad or failed else EXIT_OK


def _data_step(prefix: Callable[[], str], lang: str, started: float) -> None:
    """Step 1: the demo data, built if missing."""
    from kit import datasets, synth

    if datasets.is_built("demo"):
        print(prefix() + t("demo.step_data_found", lang, folder=shown(paths.demo_dir())))
        return
    build_data(paths.demo_dir(), "partners", synth.SEED, lang)
    seconds = number(time.perf_counter() - started, 1, lang)
    print(
        prefix() + t("demo.step_data_built", lang, folder=shown(paths.demo_dir()), seconds=seconds)
    )


def _check_step(prefix: Callable[[], str], lang: str) -> list[KitInputError]:
    """Step 2: every file checked as ``kit validate`` would; then the data's label, who
    answered, and what the privacy rule hides. Returns the files' errors."""
    from kit import datasets, overview, partners, privacy

    files = (
        sorted(paths.demo_dir().rglob("*.csv"))
        + sorted(paths.reference_dir().glob("*.csv"))
        + [paths.data_dir() / n for n in REGISTERS]
    )
    bad = []
    with bar(len(files), t("cli.validate.checking", lang)) as progress:
        for _path, result in check_each(files, None, progress):
            if isinstance(result, KitInputError):
                bad.append(result)
    print(prefix() + t("demo.step_validated", lang, ok=len(files) - len(bad), total=len(files)))
    for err in bad:
        print(f"  ✘ {err.message(lang)}", file=sys.stderr)
    data = datasets.load("demo")
    print()
    print("⚠ " + data.label(lang))
    print()
    last = data.periods()[-1]
    seen = overview.participation(data, last, only=partners.y_tunnukset("network"))
    print(
        t(
            "demo.participation",
            lang,
            period=last,
            answered=number(seen["answered"], 0, lang),
            targeted=number(seen["targeted"], 0, lang),
            rate=percent(seen["rate"], 0, lang),
            low=percent(seen["low"], 0, lang),
            high=percent(seen["high"], 0, lang),
            notebook=shown(paths.notebooks_dir(lang) / "00_start_here.ipynb"),
        )
    )
    print()
    stats = overview.privacy_stats(data)
    print(
        t(
            "demo.privacy",
            lang,
            label=privacy.small_label(),
            hidden=privacy.hidden_label(lang),
            **stats,
        )
    )
    return bad


#: the registers in ``data/`` that the demo checks beside the data
REGISTERS = (
    "partners.csv",
    "questions.csv",
    "qualifications.csv",
    "criteria.csv",
    "criteria_levels.csv",
    "indicators.csv",
    "perspectives.csv",
)
