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
import sys
import time

from kit.commands import EXIT_BAD_INPUT, EXIT_OK, build_data, check_each, run_all, shown
from kit.errors import KitInputError
from kit.i18n import t
from kit.numbers import number
from kit.progress import bar


def main(args: argparse.Namespace) -> int:
    """Run the demo; returns 0, or 1 when a file is bad or a report failed."""
    from kit import datasets, overview, partners, paths, privacy, synth, workshops

    lang = args.lang
    steps = 3 + len(workshops.REGISTRY)
    step = iter(range(1, steps + 1))

    def prefix() -> str:
        return f"{next(step)}/{steps} "

    print(t("demo.title", lang))
    print()
    started = time.perf_counter()
    if datasets.is_built("demo"):
        print(prefix() + t("demo.step_data_found", lang, folder=shown(paths.demo_dir())))
    else:
        build_data(paths.demo_dir(), "partners", synth.SEED, lang)
        print(
            prefix()
            + t(
                "demo.step_data_built",
                lang,
                folder=shown(paths.demo_dir()),
                seconds=number(time.perf_counter() - started, 1, lang),
            )
        )

    files = (
        sorted(paths.demo_dir().rglob("*.csv"))
        + sorted(paths.reference_dir().glob("*.csv"))
        + [
            paths.data_dir() / n
            for n in (
                "partners.csv",
                "questions.csv",
                "qualifications.csv",
                "criteria.csv",
                "criteria_levels.csv",
                "indicators.csv",
                "perspectives.csv",
            )
        ]
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
    print(t("demo.respondents_heading", lang))
    print(overview.respondents_table(data, lang=lang).to_string(index=False))
    print()
    last = data.periods()[-1]
    print(t("demo.rates_heading", lang, period=last))
    print(
        overview.response_rates(data, last, lang, only=partners.y_tunnukset("network")).to_string(
            index=False
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
    reports = paths.reports_dir()
    for w in workshops.REGISTRY:
        print()
        lines = w.call("showcase", lang, reports) or []
        for i, line in enumerate(lines):
            print((prefix() if i == 0 else "") + line)
    print()
    failed = run_all(
        "all",
        "all",
        lang,
        reports,
        done_key="demo.run",
        prefix=prefix(),
        verbose=getattr(args, "verbose", False),
    )
    print()
    print(t("demo.next", lang, seconds=number(time.perf_counter() - started, 1, lang)))
    return EXIT_BAD_INPUT if bad or failed else EXIT_OK
