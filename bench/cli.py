"""Benchmark: how fast the `kit` command answers, as whole processes (what a user waits for).

Run with `make bench` (or `python bench/cli.py`). Each command runs ``--repeat`` times as a new
process; the table gives the median, the fastest and the slowest wall time. ``--kit PATH``
measures another installation's `kit` (for example an older checkout, to compare before and
after); ``--label`` names it in RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import report  # noqa: E402 - the shared table and RESULTS.md writer

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ("kit --help", ["--help"]),
    ("kit validate --help", ["validate", "--help"]),
    ("kit run --help", ["run", "--help"]),
    ("kit export --help", ["export", "--help"]),
    ("a wrong argument (kit export --format pdf)", ["export", "--format", "pdf", "--out", "x"]),
    ("kit validate of one small file (data/partners.csv)", ["validate", "data/partners.csv"]),
]


def timed(cmd: list[str], repeat: int) -> list[float]:
    """Wall times of ``repeat`` runs of ``cmd`` (output discarded)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            cmd,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "KIT_LANG": "en"},
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (median)")
    parser.add_argument(
        "--kit",
        default=str(Path(sys.executable).with_name("kit")),
        help="the kit command to time (default: this environment's)",
    )
    parser.add_argument("--label", default="this checkout", help="what --kit is, for the record")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    rows = []
    for name, arguments in COMMANDS:
        times = timed([args.kit, *arguments], args.repeat)
        rows.append(
            (
                name,
                statistics.median(times),
                f"min {min(times):.2f} s, max {max(times):.2f} s, {args.repeat} runs",
            )
        )
    report(
        rows,
        f"command line, {args.label}",
        "cli.py",
        not args.no_record,
        digits=2,
        details="spread",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
