"""Benchmark: a room arriving at once, measured on the server (`kit serve --room N`).

Each attendee's browser runs on their own phone or laptop, so this load does not run N browsers
on the server. A protocol-level client does what a page does on arrival: it fetches the app's
page (Voilà hands it a pre-warmed kernel), opens that kernel's websocket, asks for the widget
comms (``comm_info_request``) and then for every widget's state (the ``jupyter.widget.control``
comm's ``request_states``, as the ipywidgets 8 front end does). "Live" is when the states have
arrived: from then on the page's widgets answer. N attendees arrive at random times within S
seconds; the result is p50 / p95 / max to a live app and the failures, for the form and for
the dashboard app, plus the memory (RSS) of the kernels they got. One real Chromium visitor
(Debian's, through playwright) measures the front-end time on top, after the burst.

    python bench/room.py                      # 30 attendees within 10 s, form and dashboard
    python bench/room.py --room 10 --within 5 --apps form

Appends to bench/RESULTS.md (``--no-record`` not).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import report  # noqa: E402

#: app name -> (workshop, notebook, what a browser waits for)
APPS = {
    "form": ("self_assessment", "02_form.ipynb", ".kit-form"),
    "dashboard": ("dashboards", "01_dashboard_app.ipynb", '.kit-card[data-kpi="0"] .v'),
    "scorecard": ("indicators", "03_scorecard.ipynb", ".kit-scorecard"),
}
CONTROL_VERSION = "1.0.0"  # ipywidgets 8's widget control protocol
TIMEOUT = 120.0  # seconds an attendee waits before the arrival counts as a failure


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """`kit serve --room N --workshop W` in the background, until it says it is ready."""

    def __init__(self, room: int, workshop: str, work: Path, fill_delay: float) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "KIT_STORE_SELF_ASSESSMENT": str(work / "responses.sqlite3"),
            "KIT_STORE_INDICATORS": str(work / "checkins.sqlite3"),
        }
        self.log = work / f"serve-{workshop}.log"
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kit",
                "--lang",
                "en",
                "serve",
                "--room",
                str(room),
                "--workshop",
                workshop,
                "--port",
                str(self.port),
                "--fill-delay",
                str(fill_delay),
            ],
            stdout=subprocess.PIPE,
            stderr=self.log.open("w"),
            text=True,
            env=env,
            cwd="/",
        )
        self.lines = []
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            if line.startswith("Ready:") or line.startswith("The pools are not full"):
                break
        else:
            raise RuntimeError(
                "kit serve stopped:\n" + "\n".join(self.lines) + self.log.read_text()[-3000:]
            )
        self.warm_seconds = time.monotonic() - self.started

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(120)


def _decode(raw: str | bytes) -> dict:
    """A message from the kernel's websocket: JSON text, or (a message with buffers) the
    binary frame: a count, offsets, then the JSON part first."""
    if isinstance(raw, str):
        return json.loads(raw)
    count = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(raw)
    return json.loads(raw[offsets[0] : end])


def _message(
    session: str, msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None
) -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "bench",
            "session": session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": dt.datetime.now(dt.UTC).isoformat(),
        },
        "parent_header": {},
        "metadata": metadata or {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


async def attendee(url: str, notebook: str, delay: float) -> dict:
    """One arrival after ``delay`` seconds: page, websocket, comms, widget states."""
    from tornado.httpclient import AsyncHTTPClient

    await asyncio.sleep(delay)
    started = time.monotonic()
    out = {"delay": delay}
    try:
        page = await AsyncHTTPClient().fetch(
            f"{url}/voila/render/{notebook}", request_timeout=TIMEOUT
        )
        out["page"] = time.monotonic() - started
        out["kernel"] = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page.body.decode()).group(1)
    except Exception as exc:  # noqa: BLE001 - every failure is counted, with its kind
        out["error"] = f"{type(exc).__name__}: {exc}"[:200]
        return out
    live = await attendee_at(url, out["kernel"], started=started)
    return {**out, **live}


async def attendee_at(
    base: str, kernel: str, cookies: str = "", started: float | None = None
) -> dict:
    """What the page does once it has its kernel: open the websocket, ask for the widget
    comms and then every widget's state; seconds from ``started`` (default now)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    started = time.monotonic() if started is None else started
    out: dict = {}
    try:
        session = uuid.uuid4().hex
        ws_url = (
            base.replace("http", "ws", 1) + f"/api/kernels/{kernel}/channels?session_id={session}"
        )
        headers = {"Cookie": cookies} if cookies else {}
        ws = await websocket_connect(HTTPRequest(ws_url, headers=headers, request_timeout=TIMEOUT))
        ws.write_message(
            json.dumps(_message(session, "comm_info_request", {"target_name": "jupyter.widget"}))
        )
        comm = uuid.uuid4().hex
        asked_states = False
        while True:
            raw = await asyncio.wait_for(ws.read_message(), TIMEOUT)
            if raw is None:
                raise RuntimeError("websocket closed")
            msg = _decode(raw)
            kind = msg.get("msg_type") or msg["header"]["msg_type"]
            if kind == "comm_info_reply" and not asked_states:
                out["comms"] = len(msg["content"].get("comms", {}))
                out["comm_info"] = time.monotonic() - started
                ws.write_message(
                    json.dumps(
                        _message(
                            session,
                            "comm_open",
                            {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                            metadata={"version": CONTROL_VERSION},
                        )
                    )
                )
                ws.write_message(
                    json.dumps(
                        _message(
                            session,
                            "comm_msg",
                            {"comm_id": comm, "data": {"method": "request_states"}},
                        )
                    )
                )
                asked_states = True
            elif kind == "comm_msg" and msg["content"].get("comm_id") == comm:
                out["widgets"] = len(msg["content"]["data"].get("states", {}))
                out["live"] = time.monotonic() - started
                break
        ws.close()
    except Exception as exc:  # noqa: BLE001 - every failure is counted, with its kind
        out["error"] = f"{type(exc).__name__}: {exc}"[:200]
    return out


async def burst(url: str, notebook: str, room: int, within: float, seed: int) -> list[dict]:
    from tornado.httpclient import AsyncHTTPClient

    # every attendee fetches at once (tornado's client would queue all but 10)
    AsyncHTTPClient.configure(None, max_clients=max(room, 10))
    rng = random.Random(seed)
    delays = sorted(rng.uniform(0, within) for _ in range(room))

    async def bounded(delay: float) -> dict:
        try:
            return await asyncio.wait_for(attendee(url, notebook, delay), delay + 2 * TIMEOUT)
        except TimeoutError:
            return {"delay": delay, "error": f"no live app after {2 * TIMEOUT:.0f} s"}

    return await asyncio.gather(*(bounded(d) for d in delays))


def kernel_rss(kernels: list[str]) -> list[float]:
    """MB of RSS of the kernel processes with these ids."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().decode(errors="replace")
            if not any(k in cmd for k in kernels):
                continue
            status = (proc / "status").read_text()
        except OSError:
            continue
        out.append(int(status.split("VmRSS:")[1].split()[0]) / 1024)
    return out


def browser_visit(url: str, notebook: str, ready: str) -> float | None:
    """Seconds until one real Chromium page at phone size shows the app, or None."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        started = time.monotonic()
        page.goto(f"{url}/voila/render/{notebook}", timeout=240_000)
        page.locator(ready).first.wait_for(timeout=240_000)
        seconds = time.monotonic() - started
        browser.close()
    return seconds


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--room", type=int, default=30, help="attendees (default 30)")
    parser.add_argument(
        "--within", type=float, default=10.0, help="seconds in which they arrive (default 10)"
    )
    parser.add_argument(
        "--apps",
        default="form,dashboard",
        help=f"comma-separated, of {', '.join(APPS)} (default form,dashboard)",
    )
    parser.add_argument(
        "--arrivals",
        type=int,
        default=None,
        help="how many arrive (default: the room); more than the room's "
        "pool shows what a visitor meets when a pool runs dry",
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--fill-delay",
        type=float,
        default=None,
        help="kit serve's refill delay (default: kit serve's own)",
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium visitor")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    rows = []
    from kit import serve

    delay = serve.FILL_DELAY if args.fill_delay is None else args.fill_delay
    with tempfile.TemporaryDirectory(prefix="kit-room-") as work:
        for name in args.apps.split(","):
            workshop, notebook, ready = APPS[name]
            server = Serve(args.room, workshop, Path(work), delay)
            try:
                rows.append(
                    (
                        f"{name}: kit serve --room {args.room} until ready",
                        server.warm_seconds,
                        server.lines[-1][:90],
                    )
                )
                arrivals = args.arrivals or args.room
                results = asyncio.run(burst(server.url, notebook, arrivals, args.within, args.seed))
                ok = [r for r in results if "live" in r]
                failed = [r for r in results if "error" in r]
                lives = [r["live"] for r in ok]
                pages = [r["page"] for r in ok]
                rows.append(
                    (
                        f"{name}: {arrivals} within {args.within:.0f} s, to a live app p50",
                        pct(lives, 0.5),
                        f"{len(ok)} live, {len(failed)} failed"
                        + (f" ({failed[0]['error']})" if failed else ""),
                    )
                )
                rows.append(
                    (
                        f"{name}: to a live app p95",
                        pct(lives, 0.95),
                        f"max {max(lives, default=float('nan')):.2f} s; "
                        f"widgets per page {ok[0]['widgets'] if ok else '–'}",
                    )
                )
                rows.append(
                    (f"{name}: page HTML p95", pct(pages, 0.95), f"p50 {pct(pages, 0.5):.2f} s")
                )
                rss = kernel_rss([r["kernel"] for r in ok])
                if rss:
                    rows.append(
                        (
                            f"{name}: memory per kernel (MB, median)",
                            statistics.median(rss),
                            f"max {max(rss):.0f} MB over {len(rss)} kernels",
                        )
                    )
                if not args.no_browser:
                    seconds = browser_visit(server.url, notebook, ready)
                    if seconds is not None:
                        rows.append(
                            (
                                f"{name}: one Chromium visitor at 390×844 after the burst",
                                seconds,
                                "page open to the app drawn (front end included)",
                            )
                        )
            finally:
                server.stop()
    report(
        rows,
        f"a room of {args.room}, {args.arrivals or args.room} arriving within "
        f"{args.within:.0f} s, refills after {delay:g} s",
        "room.py",
        record=not args.no_record,
        digits=2,
    )
    failures = sum(1 for r in rows if "failed" in str(r[2]) and not str(r[2]).endswith(" 0 failed"))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
