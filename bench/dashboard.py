"""Benchmarks of workshop 1: the dashboard's slicer latency at demo and national scale, and the
export, summary and funding commands.

Run with `make bench` (or `python bench/dashboard.py`). A slicer change is measured the way the
app does it: :class:`kit.workshops.dashboards.view.DashboardView` sets a slicer's value and redraws every
view (model lookups, HTML and SVG), timed in-kernel from the value change to the last widget
value set. The browser's own paint is not included. Target: under 200 ms at national scale
(154 providers × 6 periods). The first national run decides the privacy pattern for the whole
data set (minutes; stored in data/.cache afterwards), which is reported separately.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import timed  # noqa: E402

from kit import datasets, export, funding, loader, paths  # noqa: E402
from kit.workshops.dashboards import dashboard, onepager  # noqa: E402
from kit.workshops.dashboards.view import DashboardView  # noqa: E402


def slicer_changes(view: DashboardView, model: dashboard.Model, n: int) -> list[float]:
    """Move the slicers through ``n`` changes (partner, period, survey, theme, qualification
    in turn) and return each redraw's seconds."""
    moves = itertools.cycle(
        [
            ("partner", ["careeria", "live", "spesia", "kiinko", "taitotalo", "sdo", "network"]),
            ("period", model.periods[::-1]),
            ("survey", ["aloittaneet", "tutkinnon_suorittaneet", "tutkinnon_osia_suorittaneet"]),
            ("theme", ["all", "guidance", "learning", "all"]),
            ("qualification", ["all", *model.qualifications[:3], "all"]),
        ]
    )
    cursor = {name: 0 for name in ("partner", "period", "survey", "theme", "qualification")}
    view.timings.clear()
    for _ in range(n):
        name, values = next(moves)
        cursor[name] = (cursor[name] + 1) % len(values)
        widget = getattr(view, name)
        value = values[cursor[name]]
        if value in [v for _, v in widget.options] and widget.value != value:
            widget.value = value
    return list(view.timings)


def describe(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (
        f"{len(times)} changes: median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=60, help="slicer changes per scale")
    parser.add_argument("--no-national", action="store_true", help="demo scale only")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    rows = []
    scales = ["demo"] if args.no_national else ["demo", "national"]
    for name in scales:
        start = time.perf_counter()
        data = datasets.load(name)
        rows.append(
            (
                f"{name}: load data (built if missing)",
                time.perf_counter() - start,
                f"{len(data.providers)} providers, {len(data.feedback):,} tidy rows",
            )
        )
        start = time.perf_counter()
        model = dashboard.build(data, lang="en")
        model.stats("theme", "network", "aloittaneet", "all")
        rows.append(
            (
                f"{name}: build the dashboard model (privacy decision included)",
                time.perf_counter() - start,
                f"{len(model.cube):,} cube rows",
            )
        )
        start = time.perf_counter()
        view = DashboardView(model, lang="en")
        rows.append((f"{name}: open the dashboard (first draw)", time.perf_counter() - start, ""))
        times = slicer_changes(view, model, args.changes)
        rows.append(
            (
                f"{name}: slicer change → all views redrawn (median)",
                statistics.median(times),
                describe(times),
            )
        )
    demo = datasets.load("demo")
    model = dashboard.build(demo, lang="en")
    t, _ = timed(lambda: onepager.build(model, "sdo", "staff", lang="en"), 3)
    rows.append(("demo: one-page summary (HTML + PNG)", t, "one partner, one audience"))
    with tempfile.TemporaryDirectory() as tmp:
        t, files = timed(lambda: export.write(export.tables(demo), tmp, "parquet"), 3)
        rows.append(("demo: kit export --format parquet", t, f"{len(files)} tables"))
    counts = paths.reference_dir() / "opiskelijapalaute_vahvistetut_2020_2021.csv"
    t, report = timed(lambda: funding.counts_report(loader.load_response([counts])), 3)
    rows.append(
        ("real 2020-21 counts: kit funding (read + rates + factors)", t, f"{len(report)} rows")
    )

    report(rows, "workshop 1 dashboard", "dashboard.py", not args.no_record, digits=3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
