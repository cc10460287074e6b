"""Benchmark (a): `kit run` of every workshop for every partner against a serial loop of the
plain `papermill` command over the same notebooks and parameters, side by side in one run.

Also each notebook's floor: the time of the same notebook in an already-running, warmed kernel,
one after another (no start-up, no parallelism). Run with `make bench` or
`python bench/batch.py`; appends to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import report  # noqa: E402

from kit import paths, runner  # noqa: E402
from kit.workshops.dashboards import synthetic as dashboards_demo  # noqa: E402


def serial_cli(jobs: list[runner.Job], out: Path) -> float:
    """The baseline: one `papermill` process per notebook, one after another."""
    papermill = Path(sys.executable).with_name("papermill")
    start = time.perf_counter()
    for job in jobs:
        subprocess.run(
            [
                str(papermill),
                str(job.notebook),
                str(out / f"{job.stem}.ipynb"),
                "-p",
                "partner",
                job.partner,
                "-p",
                "lang",
                job.lang,
                "--cwd",
                str(job.notebook.parent),
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def floors(jobs: list[runner.Job], out: Path) -> dict[str, float]:
    """Each notebook's time in one already-running warm kernel, run one after another."""
    import papermill as pm

    pool = runner.KernelPool(1, paths.ROOT / "notebooks")
    times: dict[str, float] = {}
    try:
        for job in jobs:
            km = pool.take()
            start = time.perf_counter()
            pm.execute_notebook(
                str(job.notebook),
                str(out / f"floor_{job.stem}.ipynb"),
                parameters={"partner": job.partner, "lang": job.lang},
                km=km,
                kernel_name=runner.KERNEL,
                progress_bar=False,
            )
            times[f"{job.workshop}/{job.partner}"] = time.perf_counter() - start
            pool.give_back(km, healthy=True)
    finally:
        pool.close()
    return times


def per_workshop(outcomes: list[runner.Outcome], n_jobs: int) -> list[tuple]:
    """Per workshop: the first reports (one per worker, in the plan's order) against the
    rest, and the slowest against the median (no report should take twice the median)."""
    rows = []
    for name in dict.fromkeys(o.job.workshop for o in outcomes):
        times = [o.seconds for o in outcomes if o.job.workshop == name]
        first, rest = times[:n_jobs], times[n_jobs:] or times
        middle = statistics.median(times)
        rows.append(
            (
                f"  {name}: {len(times)} reports, median",
                middle,
                f"first {', '.join(f'{s:.1f}' for s in first)} s; rest median "
                f"{statistics.median(rest):.1f} s; slowest {max(times) / middle:.2f}× the median",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="kit run --jobs")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median)")
    parser.add_argument("--floors", action="store_true", help="also --fresh-kernels and floors")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    dashboards_demo.prepare()  # the demo data and the national decision
    jobs = runner.plan("all", "all", "fi")
    serials, parallels, outcomes = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for i in range(args.repeat):
            (tmp / f"serial{i}").mkdir()
            serials.append(serial_cli(jobs, tmp / f"serial{i}"))
            start = time.perf_counter()
            outcomes = runner.run(jobs, tmp / f"kit{i}", n_jobs=args.jobs)
            parallels.append(time.perf_counter() - start)
            print(f"run {i + 1}: serial {serials[-1]:.1f} s, kit run {parallels[-1]:.1f} s")
        if args.floors:
            start = time.perf_counter()
            runner.run(jobs, tmp / "fresh", n_jobs=args.jobs, fresh=True)
            fresh = time.perf_counter() - start
            floor = floors(jobs, tmp)
    serial, parallel = statistics.median(serials), statistics.median(parallels)
    failed = sum(1 for o in outcomes if not o.ok)
    n = len(jobs)
    rows = [
        (
            f"serial `papermill` CLI loop, {n} notebooks (median of {args.repeat})",
            serial,
            f"{serial / n:.1f} s each; runs {', '.join(f'{s:.0f}' for s in serials)} s",
        ),
        (
            f"kit run --jobs {args.jobs} (warm kernels, reused; median of {args.repeat})",
            parallel,
            f"{serial / parallel:.2f}× faster than the serial loop; {failed} failed; runs "
            f"{', '.join(f'{s:.0f}' for s in parallels)} s",
        ),
        ("per report, the last kit run (the index's seconds):", float("nan"), ""),
        *per_workshop(outcomes, args.jobs),
    ]
    if args.floors:
        rows += [
            (
                f"kit run --jobs {args.jobs} --fresh-kernels",
                fresh,
                f"{serial / fresh:.2f}× faster than the serial loop",
            ),
            (
                "floor: the same notebooks in one running kernel, in turn",
                sum(floor.values()),
                f"median {statistics.median(floor.values()):.1f} s per notebook",
            ),
        ]
        rows += [(f"  floor {name}", seconds, "") for name, seconds in floor.items()]
    report(rows, "batch runs", "batch.py", not args.no_record, digits=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
