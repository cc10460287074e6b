"""Serve the workshop notebooks as Voilà apps: `kit serve`.

Voilà runs over ``notebooks/`` with the checked-in configuration ``voila.json`` (repository
root), which:

* strips notebook sources from the page and hides tracebacks;
* culls idle kernels (``cull_idle_timeout`` 600 s, checked every 60 s, also when a closed tab
  left its kernel "connected": upstream voila issue 1458);
* keeps two kernels preheated for the facilitator's dashboard app (``01_dashboard_app.ipynb``), so the first
  visitors see it at once;
* serves only images from ``notebooks/`` (``file_allowlist``) and never notebooks, Python,
  data files, hidden files or anything under ``data/`` (``file_denylist``); paths outside
  ``notebooks/`` are not reachable at all;
* listens on 127.0.0.1 unless told otherwise.

The standalone Voilà app forwards only widget messages from the browser to a kernel; an
``execute_request`` is dropped, so a visitor cannot run code. What a visitor can do is set any
widget to a value it accepts: the apps' models check every value against the valid ones
(:meth:`kit.dashboard.Model.check`) and no notebook reads the query string.
"""

from __future__ import annotations

import subprocess
import sys

from kit import paths

CONFIG = paths.ROOT / "voila.json"
NOTEBOOKS = paths.ROOT / "notebooks"


def command(port: int = 8866, ip: str = "127.0.0.1", token: str | None = None,
            extra: list[str] | None = None) -> list[str]:
    """The Voilà command line ``kit serve`` runs (``extra``: more Voilà options, e.g. for
    benchmarks)."""
    cmd = [sys.executable, "-m", "voila", str(NOTEBOOKS), "--no-browser", f"--port={port}",
           f"--Voila.ip={ip}", f"--Voila.config_file_paths={paths.ROOT}"]
    if token is not None:
        cmd.append(f"--token={token}" if token else "--token")
    return cmd + list(extra or [])


def serve(port: int = 8866, ip: str = "127.0.0.1", token: str | None = None) -> int:
    """Run Voilà in the foreground until interrupted; returns its exit status."""
    try:
        return subprocess.call(command(port, ip, token), cwd=str(paths.ROOT))
    except KeyboardInterrupt:
        return 0
