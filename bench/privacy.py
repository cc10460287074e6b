"""Benchmark of the privacy rule: what it hides, how long it takes, and what an attacker finds.

Run with `make bench` (or `python bench/privacy.py`). For the bundled demo data and the
national data set (154 providers, built with `kit demo-data --scale national`), it records:

- small cells (finest cells × questions of 1–4 respondents or answers);
- cells hidden to protect them, and their share of the finest cells;
- the decision's time (made afresh, not from the cache), on one core and on every core;
- how many answer counts of 1–4 groups the independent interval attacker of
  `tests/attacker.py` pins to a positive value (it must be 0): on the demo, everything the
  dashboard model shows (the cube of every partner and the network, and the finest
  breakdown); on the national data, every breakdown by provider, period, survey and
  qualification subset, by question;
- group disclosure (`tests/attacker.py`'s `disclosure`): small groups × questions whose share
  of answers 1–2 or 4–5 a reader can pin (0 % included), and whose mean a reader can bound to
  an interval narrower than one point (national: 100 small groups × questions at random from
  the latest period's päättökysely of qualification completers).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from attacker import PEOPLE, Published, attack, disclosure  # noqa: E402
from run import decide as decide_afresh  # noqa: E402
from run import report  # noqa: E402
from test_attacker import dashboard_tables as demo_tables  # noqa: E402

from kit import datasets, feedback, suppression  # noqa: E402

#: small groups × questions whose disclosure is measured on the national data (six LPs each,
#: over a whole period and survey: a few seconds each)
NATIONAL_SAMPLE = 100


def decide(tidy, parallel: bool) -> tuple[float, suppression.Pattern]:
    """The decision made afresh, on every core or on one."""
    saved = suppression.PARALLEL_CELLS
    suppression.PARALLEL_CELLS = saved if parallel else 10**12
    try:
        start = time.perf_counter()
        pattern = decide_afresh(tidy)
        return time.perf_counter() - start, pattern
    finally:
        suppression.PARALLEL_CELLS = saved


def cost(pattern: suppression.Pattern) -> str:
    r = pattern.report
    share = r.finest_protected / r.finest
    surveys = pattern.table(feedback.PEOPLE_ORDER[:3])
    lost = int((surveys["hidden"] & ~surveys["small"]).sum())
    return (
        f"{r.finest:,} finest cells × questions: {r.finest_small:,} small "
        f"({r.finest_small / r.finest:.1%}), {r.finest_protected:,} hidden to protect them "
        f"({share:.1%}, {r.finest_protected / max(r.finest_small, 1):.2f} per small one); "
        f"provider surveys hidden to protect: {lost} of {len(surveys):,}; "
        f"{r.pinned_fixed} pins found and fixed by the audit, {r.pinned_left} left"
    )


def disclosed(found) -> str:
    s = found.summary()
    return (
        f"{s['groups']:,} small groups × questions: share of answers 1–2 pinned in "
        f"{s['low_share_pinned']:,}, of 4–5 in {s['high_share_pinned']:,}; mean bounded "
        f"to less than one point in {s['mean_narrow']:,}"
    )


def breakdown_tables(tidy) -> list[Published]:
    subsets = [list(c) for k in range(len(PEOPLE) + 1) for c in itertools.combinations(PEOPLE, k)]
    return [
        Published("+".join(by) or "total", feedback.summary(tidy, by=[*by, "question_id"]))
        for by in subsets
    ]


class Rows(list):
    """The measurements, each also printed as it is taken (the whole run takes minutes)."""

    def append(self, row: tuple) -> None:
        super().append(row)
        print(f"{row[0]}: {row[1]:.1f} s · {row[2]}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--no-attack", action="store_true", help="skip the attacker runs")
    parser.add_argument(
        "--no-national-attack",
        action="store_true",
        help="skip the interval attacker on the national data (about 7 minutes)",
    )
    parser.add_argument(
        "--title",
        default="privacy rule",
        help="the results' heading in RESULTS.md (e.g. 'privacy rule, before')",
    )
    args = parser.parse_args()
    rows = Rows()
    demo = datasets.load("demo")
    for parallel in (False, True):
        t, pattern = decide(demo.feedback, parallel)
        rows.append(
            (f"demo: decide ({'every core' if parallel else 'one core'})", t, cost(pattern))
        )
    if not args.no_attack:
        tables = demo_tables(demo)
        start = time.perf_counter()
        found = attack(
            tables,
            tables[0].frame,
            demo.response.rename(columns={"answered": "respondents"})[
                ["y_tunnus", "period", "survey", "respondents"]
            ],
        )
        rows.append(
            (
                "demo: interval attacker on the dashboard model",
                time.perf_counter() - start,
                f"{found.targets:,} counts of 1–4 groups tried, {found.lps:,} LPs: "
                f"{len(found.findings)} pinned",
            )
        )
        start = time.perf_counter()
        found = disclosure(
            tables,
            tables[0].frame,
            demo.response.rename(columns={"answered": "respondents"})[
                ["y_tunnus", "period", "survey", "respondents"]
            ],
        )
        rows.append(
            (
                "demo: group disclosure on the dashboard model",
                time.perf_counter() - start,
                disclosed(found),
            )
        )
    national = datasets.load("national")
    for parallel in (False, True):
        t, pattern = decide(national.feedback, parallel)
        rows.append(
            (f"national: decide ({'every core' if parallel else 'one core'})", t, cost(pattern))
        )
    if not args.no_attack:
        # period by period: people of different periods never overlap, and a table pooling
        # periods shows a cell only where every period's part is shown, so it is a sum of
        # the per-period cells and tells the reader nothing more (one LP over all periods at
        # once took over 15 minutes)
        start = time.perf_counter()
        targets = lps = pinned = 0
        for period in (
            [] if args.no_national_attack else sorted(national.feedback["period"].unique())
        ):
            tables = breakdown_tables(national.feedback[national.feedback["period"] == period])
            found = attack(tables, tables[-1].frame)
            targets, lps, pinned = (
                targets + found.targets,
                lps + found.lps,
                pinned + len(found.findings),
            )
        if not args.no_national_attack:
            rows.append(
                (
                    "national: interval attacker on every breakdown by question, per period",
                    time.perf_counter() - start,
                    f"{targets:,} counts of 1–4 groups tried, {lps:,} LPs: {pinned} pinned",
                )
            )
        # group disclosure takes six LPs per small group and question: one period and survey
        latest = sorted(national.feedback["period"].unique())[-1]
        one = national.feedback[
            (national.feedback["period"] == latest)
            & (national.feedback["survey"] == "tutkinnon_suorittaneet")
        ]
        start = time.perf_counter()
        tables = breakdown_tables(one)
        found = disclosure(tables, tables[-1].frame, sample=NATIONAL_SAMPLE)
        rows.append(
            (
                f"national: group disclosure on every breakdown, {latest}, "
                f"tutkinnon_suorittaneet, {NATIONAL_SAMPLE} groups × questions at random",
                time.perf_counter() - start,
                disclosed(found),
            )
        )
    report(rows, args.title, "privacy.py", not args.no_record, digits=1, details="result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
