"""Benchmark (c): the dashboard as a Voilà app under `kit serve`, in a real browser.

Measures the time from opening the page to the first rendered dashboard widget (the KPI cards),
cold (no preheated kernel) and preheated (the first visitor after the pool filled), then 10 and
30 visitors arriving at once (p50 and p95), and the memory of each kernel. Uses playwright with
Debian's chromium (one browser, one page per visitor). Run with `make bench` or
`python bench/voila.py`; appends to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import report  # noqa: E402

from kit import serve  # noqa: E402
from kit.workshops.dashboards import synthetic as dashboards_demo  # noqa: E402

NOTEBOOK = "01_dashboard_app.ipynb"  # the facilitator's app (preheated)
READY = '.kit-dashboard .kit-card[data-kpi="0"] .v'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`kit serve` in the background; ``extra`` Voilà options on top of voila.json."""

    def __init__(self, extra: list[str], preheated: bool = True) -> None:
        import tempfile

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(suffix=".log")[1])
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                serve.command(self.port, extra=extra), cwd="/", stdout=out, stderr=subprocess.STDOUT
            )
        for _ in range(600):
            try:
                urllib.request.urlopen(self.url + "/voila/api/contents", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("Voilà did not start")
        # a preheated server is ready for visitors once its pool is full
        for _ in range(600 if preheated else 0):
            if "is filled with" in self.log.read_text(errors="ignore"):
                return
            time.sleep(0.5)

    def kernel_rss_mb(self) -> list[float]:
        """Resident memory of each kernel process started by this server."""
        out = subprocess.run(
            ["ps", "-o", "pid=,rss=,args=", "--ppid", str(self.proc.pid)],
            capture_output=True,
            text=True,
        ).stdout
        return [int(line.split()[1]) / 1024 for line in out.splitlines() if "ipykernel" in line]

    def stop(self) -> None:
        self.log.unlink(missing_ok=True)
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


TIMEOUT_MS = 300_000


async def visit(browser, url: str) -> float | None:
    """Seconds until the dashboard's first KPI card shows, or ``None`` if it never did within
    :data:`TIMEOUT_MS` (counted as a failed visit)."""
    page = await browser.new_page()
    start = time.perf_counter()
    try:
        await page.goto(f"{url}/voila/render/{NOTEBOOK}", timeout=TIMEOUT_MS)
        await page.wait_for_selector(READY, timeout=TIMEOUT_MS)
        return time.perf_counter() - start
    except Exception:  # noqa: BLE001 - a visit that never rendered is a result too
        return None
    finally:
        await page.close()


async def visitors(url: str, n: int) -> list[float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            return list(await asyncio.gather(*(visit(browser, url) for _ in range(n))))
        finally:
            await browser.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crowds", default="10,30", help="simultaneous visitors to try")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    if not shutil.which("chromium"):
        print("needs Debian's chromium (apt install chromium)", file=sys.stderr)
        return 1
    dashboards_demo.prepare()  # the demo data and the national decision
    rows = []
    cold = Server(["--VoilaConfiguration.preheat_kernel=False"], preheated=False)
    try:
        first = asyncio.run(visitors(cold.url, 1))[0]
        rows.append(("cold: first visitor (kernel started on request)", first or float("nan"), ""))
        memory = cold.kernel_rss_mb()
    finally:
        cold.stop()
    warm = Server([])
    try:
        first = asyncio.run(visitors(warm.url, 1))[0]
        rows.append(("preheated: first visitor (pool of 2 ready)", first or float("nan"), ""))
    finally:
        warm.stop()
    for n in (int(x) for x in args.crowds.split(",")):
        server = Server([])
        try:
            results = asyncio.run(visitors(server.url, n))
            rss = server.kernel_rss_mb()
            times = [r for r in results if r is not None]
            failed = len(results) - len(times)
            rows.append(
                (
                    f"{n} visitors at once (preheated server): p50",
                    pct(times, 0.5) if times else float("nan"),
                    (f"p95 {pct(times, 0.95):.1f} s, max {max(times):.1f} s, " if times else "")
                    + f"{failed} of {n} not rendered within "
                    f"{TIMEOUT_MS // 1000} s, {len(rss)} kernels, {sum(rss):.0f} MB in all",
                )
            )
            memory += rss
        finally:
            server.stop()
    rows.append(
        (
            "memory per kernel (median RSS, MB)",
            statistics.median(memory) if memory else 0,
            f"{len(memory)} kernels measured",
        )
    )
    report(rows, "Voilà", "voila.py", not args.no_record, digits=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
