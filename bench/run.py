"""Benchmarks of the foundation: building, loading, checking and summarising data.

Run with `make bench` (or `python bench/run.py`). Prints a table and appends it, with the
machine's details, to bench/RESULTS.md. Timings are medians of several runs; nothing here is a
pass/fail test.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from kit import feedback, loader, response, suppression, synth

RESULTS = Path(__file__).with_name("RESULTS.md")


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Median wall time of ``fn()`` in seconds, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def arguments(doc: str, repeat: int = 5) -> argparse.ArgumentParser:
    """A benchmark's parser: its description, ``--repeat`` and ``--no-record``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=repeat, help="runs per measurement (median)")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    return parser


@contextlib.contextmanager
def scratch_work() -> Iterator[Path]:
    """A temporary ``KIT_WORK_DIR`` for what a benchmark builds; removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KIT_WORK_DIR"] = str(Path(tmp) / "work")
        yield Path(tmp)


def decide(tidy: pd.DataFrame) -> suppression.Pattern:
    """The feedback decision for ``tidy``, made afresh (not from the cache)."""
    return suppression.build(
        tidy,
        feedback.PEOPLE_ORDER,
        5,
        feedback.COUNTS,
        feedback.POINT_COUNTS,
        item="question_id",
        separate=feedback.SEPARATE,
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = cpu
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, {platform.system()} {platform.release()}"
    )


def report(
    rows: list[tuple],
    title: str,
    script: str,
    record: bool = True,
    digits: int = 3,
    details: str = "details",
) -> str:
    """Print ``rows`` (measurement, seconds, details) as a table and, when ``record``, append
    it to RESULTS.md under ``title`` with the machine's details."""
    table = pd.DataFrame(rows, columns=["measurement", "seconds", details])
    table["seconds"] = table["seconds"].map(lambda s: f"{s:.{digits}f}")
    text = table.to_string(index=False)
    print(text)
    if record:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        with RESULTS.open("a", encoding="utf-8") as f:
            f.write(f"\n## {stamp} · {title} (`bench/{script}`)\n\n{machine()}\n\n{text}\n")
        print(f"\nappended to {RESULTS}")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t, built = timed(lambda: synth.build(tmp / "demo"), 1)
        rows.append(
            ("build demo data (6 partners, 6 periods)", t, f"{built.answers:,} answer rows")
        )
        t, national = timed(lambda: synth.build(tmp / "national", scale="national"), 1)
        rows.append(
            ("build national data (154 providers)", t, f"{national.respondents:,} respondents")
        )

        answers = sorted((tmp / "demo" / "answers").glob("opiskelijapalaute_*.csv"))[-1]
        t, loaded = timed(lambda: loader.read(answers), args.repeat)
        rows.append(
            (
                "read + validate one Arvo answer file",
                t,
                f"{len(loaded.frame):,} rows, {len(loaded.frame) / t:,.0f} rows/s",
            )
        )
        t, tidy = timed(lambda: feedback.from_answers(loaded.frame), args.repeat)
        rows.append(("answers → tidy counts", t, f"{len(tidy):,} groups"))

        demo = loader.load_feedback([tmp / "demo" / "feedback_counts.csv"])
        t, pattern = timed(lambda: decide(demo), 1)
        hidden, total = pattern.hidden_count()
        rows.append(
            (
                "demo: decide the privacy pattern (once per data set)",
                t,
                f"{hidden:,} of {total:,} cells hidden",
            )
        )

        agg = tmp / "national" / "feedback_counts.csv"
        t, nat = timed(lambda: loader.load_feedback([agg]), args.repeat)
        rows.append(("national: read + validate + tidy aggregate", t, f"{len(nat):,} rows"))
        t, pattern = timed(lambda: decide(nat), 1)
        hidden, total = pattern.hidden_count()
        rows.append(
            (
                "national: decide the privacy pattern (once per data set)",
                t,
                f"{hidden:,} of {total:,} cells hidden",
            )
        )
        feedback.decision(nat)  # stored: the summaries below cut from it
        counts = tmp / "national" / "response_counts.csv"
        t, resp = timed(lambda: loader.load_response([counts]), args.repeat)
        rows.append(("national: read + validate response counts", t, f"{len(resp):,} rows"))

        for by in (
            ["y_tunnus"],
            ["y_tunnus", "period"],
            ["y_tunnus", "period", "survey"],
            ["y_tunnus", "period", "survey", "qualification"],
        ):
            t, out = timed(lambda by=by: feedback.summary(nat, by=by), args.repeat)
            rows.append(
                (
                    f"national: protected summary by {' × '.join(by)}",
                    t,
                    f"{len(out):,} groups, {int(out['suppressed'].sum()):,} hidden",
                )
            )
        t, out = timed(
            lambda: feedback.summary(
                nat, by=["period"], select={"y_tunnus": "2918298-7", "survey": "aloittaneet"}
            ),
            args.repeat,
        )
        rows.append(("national: one provider's trend (select)", t, f"{len(out)} periods"))
        t, out = timed(
            lambda: response.summary(resp, by=["y_tunnus", "period", "survey"]), args.repeat
        )
        rows.append(
            ("national: response rates (participation, as published)", t, f"{len(out):,} groups")
        )

    report(rows, "foundation", "run.py", not args.no_record, details="size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
