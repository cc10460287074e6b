"""Serve the workshop notebooks as Voilà apps: `kit serve`.

Voilà runs over ``notebooks/<lang>/`` (the notebooks of the chosen language, Finnish by
default) with the checked-in configuration ``voila.json`` (repository root), which:

* strips notebook sources from the page and hides tracebacks;
* culls idle kernels (``cull_idle_timeout`` 600 s, checked every 60 s, also when a closed tab
  left its kernel "connected": upstream voila issue 1458);
* keeps kernels preheated for each workshop's apps, as many as the registry says
  (:func:`pools`; a test checks that ``voila.json`` agrees);
* serves only images (``file_allowlist``) and never notebooks, Python, data files, hidden files
  or anything under ``data/`` (``file_denylist``); paths outside the folder are not reachable;
* listens on 127.0.0.1 unless told otherwise.

**Stopping cleanly.** ``kit serve`` runs Voilà in a process group of its own and forwards
SIGTERM, SIGHUP and Ctrl+C to it; Voilà then shuts its kernels down. If it has not exited after
:data:`GRACE` seconds, the whole group is killed. So ``kill PID`` on ``kit serve`` frees the
port and the kernels' memory, and no server is left behind.

The standalone Voilà app forwards only widget messages from the browser to a kernel; an
``execute_request`` is dropped, so a visitor cannot run code. What a visitor can do is set any
widget to a value it accepts: the apps' models check every value against the valid ones and no
notebook reads the query string.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from kit import paths, workshops

CONFIG = paths.ROOT / "voila.json"
GRACE = 15.0  # seconds Voilà gets to shut its kernels down before its group is killed


def pools() -> dict[str, dict[str, int]]:
    """Voilà's ``kernel_pools_config``: no preheated kernel by default, and for each app of
    each registered workshop the pool its registry entry asks for."""
    config = {"default": {"pool_size": 0}}
    for w in workshops.REGISTRY:
        for app in w.apps:
            config[app.filename] = {"pool_size": app.pool}
    return config


def command(port: int = 8866, ip: str = "127.0.0.1", token: str | None = None,
            extra: list[str] | None = None, lang: str = "fi") -> list[str]:
    """The Voilà command line ``kit serve`` runs (``extra``: more Voilà options, e.g. for
    benchmarks)."""
    cmd = [sys.executable, "-m", "voila", str(paths.notebooks_dir(lang)), "--no-browser",
           f"--port={port}", f"--Voila.ip={ip}", f"--Voila.config_file_paths={paths.ROOT}"]
    if token is not None:
        cmd.append(f"--token={token}" if token else "--token")
    return cmd + list(extra or [])


def serve(port: int = 8866, ip: str = "127.0.0.1", token: str | None = None,
          lang: str = "fi") -> int:
    """Run Voilà in the foreground until it ends or ``kit serve`` is told to stop (Ctrl+C,
    SIGTERM, SIGHUP), which is passed on to Voilà and its kernels; returns Voilà's status (0
    after a requested stop)."""
    proc = subprocess.Popen(command(port, ip, token, lang=lang), cwd=str(paths.ROOT),
                            start_new_session=True)
    stopped = []

    def stop(_signum: int, _frame: object) -> None:
        stopped.append(True)
        _stop(proc)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        status = proc.wait()
    except KeyboardInterrupt:
        stopped.append(True)
        _stop(proc)
        status = 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            _stop(proc)
    return 0 if stopped else status


def _stop(proc: subprocess.Popen, grace: float = GRACE) -> None:
    """Ask Voilà's process group to end (SIGTERM); kill it after ``grace`` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
