"""Serve the workshop notebooks as Voilà apps: `kit serve`.

**Two servers, two addresses.** Attendees get the room apps of the day's workshops (the form,
the vote, the forum, the scorecard, the dashboard app) on ``--port`` (8866), and nothing else:
not the live views, the console or a report, which are not even in the folder that server
serves. With ``--workshop NAME`` naming one workshop, the bare address (``http://HOST:8866/``)
opens its app. Facilitators get every notebook (the console ``00_console``, the live views, the
reports) on the next port with a token of their own, which ``kit serve`` makes and prints
unless given. When the room is warm, ``kit serve`` prints the attendees' QR code and short
address (:mod:`kit.joincode`) and announces them to the console and the start page.

Both run Voilà over the notebooks of the chosen language (Finnish by default) with the
checked-in configuration ``voila.json`` (repository root), which:

* strips notebook sources from the page and hides tracebacks;
* culls idle kernels (``cull_idle_timeout`` 600 s, checked every 60 s, also when a closed tab
  left its kernel "connected": upstream voila issue 1458);
* keeps kernels preheated for each workshop's apps, as many as the registry says
  (:func:`pools`; a test checks that ``voila.json`` agrees);
* serves only images (``file_allowlist``) and never notebooks, Python, data files, hidden files
  or anything under ``data/`` (``file_denylist``); paths outside the folder are not reachable;
* listens on 127.0.0.1 unless told otherwise.

**Room mode** (``kit serve --room N``, default 30). For each room app of the chosen workshops
(the registry's :class:`~kit.workshops.spec.App` entries with ``audience`` "room": the form,
the dashboard app, the scorecard) ``kit serve`` keeps N + 10 % kernels pre-warmed, and two for
each facilitator app (the live view). It adds up what that holds in memory
(:func:`memory_needed`, from each app's measured ``kernel_mb``), refuses a room the machine
cannot hold with a message that says what to do, writes the pools into a configuration of its
own (``voila.json`` plus the sizes) and waits until every pooled kernel has *executed* its
notebook (each leaves a mark: :func:`kit.app.mark_ready`) before it prints "ready". Voilà's
own "pool filled" means only that the kernels have started. A pool that runs dry is refilled
after :data:`FILL_DELAY` seconds; a visitor who arrives while it is dry is handed one of the
pending refills and waits for it (up to the delay and a kernel's start), not an error. On Linux
and macOS the room's kernels use Unix sockets (``KernelManager.transport = "ipc"``): with TCP, a
port picked for a new kernel could be taken by a visitor's connection before the kernel bound
it, and the kernel died.

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

import contextlib
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kit import i18n, joincode, paths, workshops
from kit.errors import KitInputError
from kit.i18n import t
from kit.workshops.spec import FACILITATOR, Workshop

CONFIG = paths.ROOT / "voila.json"
GRACE = 15.0  # seconds Voilà gets to shut its kernels down before its group is killed
#: seconds before Voilà refills a pool a visitor took a kernel from. The pool holds the room and
#: 10 % more, so a burst needs no refill; refills start together and take both cores for a
#: while, and started 5 s into a 10 s burst they made its last arrivals wait 8 s. A visitor
#: who finds the pool empty waits for a refill (Voilà hands out the pending one), so a long
#: delay costs them: with 60 s the 12 arrivals beyond a pool of 33 waited 67 s, with 15 s
#: 28 s, while the room itself got live apps at p95 0.2 s (bench/RESULTS.md)
FILL_DELAY = 15.0
SPARE = 0.10  # room apps keep 10 % more kernels than there are attendees (reloads, late-comers)
FACILITATOR_POOL = 2  # the facilitator's screen and the projector
SERVER_MB = 250  # the Voilà server itself
#: a room may use at most this share of the memory the system has available
MEMORY_SHARE = 0.85
#: where the facilitators' server shows the console
CONSOLE_PATH = "/voila/render/00_console.ipynb"


def pools() -> dict[str, dict[str, int]]:
    """Voilà's ``kernel_pools_config``: no preheated kernel by default, and for each app of
    each registered workshop the pool its registry entry asks for."""
    config = {"default": {"pool_size": 0}}
    for app in workshops.apps():
        config[app.filename] = {"pool_size": app.pool}
    return config


def chosen(names: Iterable[str] | None = None) -> list[Workshop]:
    """The workshops whose apps a room warms: ``names`` (checked), or every workshop."""
    by_name = workshops.by_name()
    if not names:
        return list(workshops.REGISTRY)
    out = []
    for name in names:
        if name not in by_name:
            raise KitInputError(
                "unknown_value", parameter="--workshop", value=name, valid=", ".join(by_name)
            )
        out.append(by_name[name])
    return out


def room_pools(room: int, which: Iterable[Workshop] | None = None) -> dict[str, dict[str, int]]:
    """Voilà's ``kernel_pools_config`` for a room of ``room`` attendees: N + 10 % kernels for
    each room app of the workshops ``which`` (default: all), two for each facilitator app, and
    none for anything else."""
    config = {"default": {"pool_size": 0}}
    for app in workshops.apps():
        config[app.filename] = {"pool_size": 0}
    chosen = [
        *workshops.CORE_APPS,
        *(a for w in (workshops.REGISTRY if which is None else which) for a in w.apps),
    ]
    for app in chosen:
        size = FACILITATOR_POOL if app.audience == FACILITATOR else room + math.ceil(room * SPARE)
        config[app.filename] = {"pool_size": size if room else 0}
    return config


def split(config: dict[str, dict[str, int]], audience: str) -> dict[str, dict[str, int]]:
    """The part of a pool configuration for the apps of one ``audience``: the attendees'
    server and the facilitators' each warm only their own apps."""
    mine = {
        a.filename
        for a in workshops.apps()
        if (a.audience == FACILITATOR) == (audience == FACILITATOR)
    }
    return {name: c for name, c in config.items() if name == "default" or name in mine}


def memory_needed(room: int, which: Iterable[Workshop] | None = None) -> int:
    """MB a room holds at its fullest: every pool full (Voilà refills what the room took) and
    each attendee's kernel of the largest room app in use, plus the two servers (attendees'
    and facilitators')."""
    which = list(workshops.REGISTRY if which is None else which)
    pools = room_pools(room, which)
    apps = [*workshops.CORE_APPS, *(a for w in which for a in w.apps)]
    warm = sum(pools[a.filename]["pool_size"] * a.kernel_mb for a in apps)
    in_use = room * max((a.kernel_mb for a in apps if a.audience != FACILITATOR), default=0)
    return 2 * SERVER_MB + warm + in_use


def available_mb() -> int | None:
    """MB the system has available (``MemAvailable``), or ``None`` where it cannot tell."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def check_room(room: int, which: list[Workshop], lang: str | None = None) -> int:
    """The MB a room needs, or a refusal that says how big a room fits and what to do."""
    if room < 0 or room > 500:
        raise KitInputError("unknown_value", parameter="--room", value=room, valid="0–500")
    need, have = memory_needed(room, which), available_mb()
    if have is None or need <= have * MEMORY_SHARE:
        return need
    fits = max(
        (n for n in range(room, -1, -1) if memory_needed(n, which) <= have * MEMORY_SHARE),
        default=0,
    )
    each = ", ".join(
        f"--workshop {w.name} {_gb(memory_needed(room, [w]))}"
        for w in which
        if any(a.audience != FACILITATOR for a in w.apps)
    )
    raise KitInputError(
        "serve_room_too_big",
        parameter="--room",
        room=room,
        need=_gb(need),
        have=_gb(have),
        fits=fits,
        each=each or "–",
    )


def _gb(mb: float) -> str:
    return f"{mb / 1024:.1f} GB"


_PRIME = """
import sys
from kit.errors import KitInputError
from kit.workshops.spec import resolve
try:
    resolve(sys.argv[1])()
except KitInputError as exc:
    print(exc.message(), file=sys.stderr)
    sys.exit(1)
"""


def prime(which: Iterable[Workshop], lang: str | None = None) -> str | None:
    """Make what the app kernels read (each workshop's ``before_serving``), each in a process
    of its own, so that ``kit serve`` does not keep the models' memory while it serves;
    returns the first refusal's message (a bad reference file), or ``None``."""
    env = {**os.environ, **({"KIT_LANG": lang} if lang else {})}
    for w in which:
        if not w.before_serving:
            continue
        done = subprocess.run(
            [sys.executable, "-c", _PRIME, w.before_serving],
            capture_output=True,
            text=True,
            env=env,
        )
        if done.returncode:
            lines = done.stderr.strip().splitlines()
            return lines[-1] if lines else w.before_serving
    return None


def room_config(
    room: int,
    which: list[Workshop],
    folder: Path,
    fill_delay: float = FILL_DELAY,
    audience: str | None = None,
) -> Path:
    """Write ``voila.json`` for a room into ``folder``: the checked-in settings with the
    room's pools (only ``audience``'s apps, when given) and refill delay."""
    config = json.loads(CONFIG.read_text(encoding="utf-8"))
    pools = room_pools(room, which)
    config["VoilaKernelManager"]["kernel_pools_config"] = (
        split(pools, audience) if audience else pools
    )
    config["VoilaKernelManager"]["fill_delay"] = fill_delay
    if os.name == "posix":
        # kernels talk over Unix sockets beside their connection files: under a burst a TCP
        # port picked for a new kernel was taken by then (a visitor's connection) and the
        # kernel died ("Address already in use"; bench/room.py --arrivals 45)
        config.setdefault("KernelManager", {})["transport"] = "ipc"
    target = Path(folder) / "voila.json"
    target.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return target


def warm_count(folder: Path) -> dict[str, int]:
    """How many pooled kernels of each app have drawn it (the marks in ``folder``)."""
    out: dict[str, int] = {}
    for mark in Path(folder).glob("*.*"):
        out[mark.name.rsplit(".", 1)[0]] = out.get(mark.name.rsplit(".", 1)[0], 0) + 1
    return out


def command(
    port: int = 8866,
    ip: str = "127.0.0.1",
    token: str | None = None,
    extra: list[str] | None = None,
    lang: str = "fi",
    config_dir: Path | None = None,
    target: Path | None = None,
) -> list[str]:
    """The Voilà command line ``kit serve`` runs (``extra``: more Voilà options, e.g. for
    benchmarks; ``config_dir``: where its ``voila.json`` is, default the repository's;
    ``target``: the folder or notebook to serve, default every notebook of ``lang``)."""
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(target or paths.notebooks_dir(lang)),
        "--no-browser",
        f"--port={port}",
        # never another port than the one asked for: the printed address and the join code
        # name this one (Voilà would silently take the next free one)
        "--Voila.port_retries=0",
        f"--Voila.ip={ip}",
        f"--Voila.config_file_paths={config_dir or paths.ROOT}",
        # the pages' <html lang>: screen readers read the page in its language
        f"--VoilaExporter.language_code={i18n.check_lang(lang)}",
    ]
    if token is not None:
        cmd.append(f"--token={token}" if token else "--token")
    return cmd + list(extra or [])


def attendee_target(which: list[Workshop], lang: str, folder: Path) -> Path:
    """What the attendees' server serves: copies of the room apps of ``which`` in ``folder``
    (never a facilitator's app, a report or the console). With one workshop of one room app,
    that notebook itself, so that the bare address opens it."""
    folder.mkdir(parents=True, exist_ok=True)
    apps = [a for w in which for a in w.apps if a.audience != FACILITATOR]
    for app in apps:
        shutil.copy2(paths.notebooks_dir(lang) / app.filename, folder / app.filename)
    return folder / apps[0].filename if len(apps) == 1 else folder


@dataclass
class Plan:
    """The two servers of a workshop day: where each listens and with which token."""

    port: int
    ip: str
    token: str | None
    facilitator_port: int
    facilitator_token: str
    host: str

    def attendee_url(self) -> str:
        """The attendees' address (with their token, where one is set)."""
        return joincode.address(self.host, self.port, self.token)

    def facilitator_url(self, path: str = "/") -> str:
        """The facilitators' address (of ``path``), with their own token."""
        return joincode.address(self.host, self.facilitator_port, self.facilitator_token, path)


def plan(
    port: int = 8866,
    ip: str = "127.0.0.1",
    token: str | None = None,
    facilitator_port: int | None = None,
    facilitator_token: str | None = None,
    host: str | None = None,
) -> Plan:
    """The servers' addresses and tokens: the attendees' token as given (``""``: a new random
    one; ``None``: none), the facilitators' always set (given, or a new random one), their
    port as given, else ``port + 1``, else (where that is taken) one the system has free."""
    if token == "":
        token = secrets.token_urlsafe(9)
    if facilitator_port is None:
        facilitator_port = port + 1 if port_free(ip, port + 1) else free_port(ip)
    return Plan(
        port,
        ip,
        token,
        facilitator_port,
        facilitator_token or secrets.token_urlsafe(18),
        host or joincode.host_for(ip),
    )


def port_free(ip: str, port: int) -> bool:
    """Whether a server could listen on ``port`` of ``ip`` now (as Voilà binds it)."""
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError:
            return False
    return True


def free_port(ip: str = "127.0.0.1") -> int:
    """A port of ``ip`` that nothing listens on, as the system hands one out."""
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as sock:
        sock.bind((ip, 0))
        return int(sock.getsockname()[1])


def check_ports(day: Plan) -> None:
    """Refuse, in one line naming the option to change, a day whose port or facilitators' port
    something else already listens on (Voilà would fail, or the printed address and join code
    would lead elsewhere)."""
    if day.port == day.facilitator_port:
        raise KitInputError("port_taken", parameter="--facilitator-port", port=day.port)
    for option, port in (("--port", day.port), ("--facilitator-port", day.facilitator_port)):
        if not port_free(day.ip, port):
            raise KitInputError("port_taken", parameter=option, port=port)


def serve(
    port: int = 8866,
    ip: str = "127.0.0.1",
    token: str | None = None,
    lang: str = "fi",
    room: int = 0,
    which: list[Workshop] | None = None,
    fill_delay: float = FILL_DELAY,
    say=print,
    timeout: float = 900.0,
    day: Plan | None = None,
    log: Path | None = None,
) -> int:
    """Run the day's two Voilà servers in the foreground until they end or ``kit serve`` is
    told to stop (Ctrl+C, SIGTERM, SIGHUP), which is passed on to both and their kernels;
    returns Voilà's status (0 after a requested stop).

    **Attendees** get the room apps of ``which`` on ``port`` (with ``token`` where one is set),
    and nothing else: not the live views, the console or any report. **Facilitators** get every
    notebook on ``day.facilitator_port`` with their own token. With ``room`` > 0 the pools
    are sized for the room (see the module's docstring) and ``say`` is told when they are warm;
    then the join code is announced (:func:`kit.joincode.announce`) and printed."""
    from kit import app

    which = list(workshops.REGISTRY if which is None else which)
    day = day or plan(port, ip, token)
    with (
        tempfile.TemporaryDirectory(prefix="kit-serve-") as work,
        _output(log) as output,
    ):
        env = dict(os.environ)
        ready = Path(work) / "ready"
        configs = {}
        for audience in ("room", FACILITATOR):
            folder = Path(work) / f"config-{audience}"
            folder.mkdir()
            room_config(room, which, folder, fill_delay, audience)
            configs[audience] = folder
        pools = {
            name[: -len(".ipynb")]: c["pool_size"]
            for name, c in room_pools(room, which).items()
            if name != "default" and c["pool_size"]
        }
        if pools:
            env[app.READY_ENV] = str(ready)
        target = attendee_target(which, lang, Path(work) / "attendees")
        procs = [
            subprocess.Popen(
                command(
                    day.port,
                    day.ip,
                    day.token or None,
                    lang=lang,
                    config_dir=configs["room"],
                    target=target,
                ),
                cwd=str(target if target.is_dir() else target.parent),
                start_new_session=True,
                env=env,
                stdout=output,
                stderr=output,
            ),
            subprocess.Popen(
                command(
                    day.facilitator_port,
                    day.ip,
                    day.facilitator_token,
                    lang=lang,
                    config_dir=configs[FACILITATOR],
                ),
                cwd=str(paths.ROOT),
                start_new_session=True,
                env=env,
                stdout=output,
                stderr=output,
            ),
        ]
        stopped = []

        def stop(_signum: int, _frame: object) -> None:
            stopped.append(True)
            for proc in procs:
                _stop(proc)

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
        join = joincode.Join(day.attendee_url(), ",".join(w.name for w in which), os.getpid())
        try:
            if pools:
                _wait_warm(procs, ready, pools, say, timeout, lang)
            if all(p.poll() is None for p in procs):
                joincode.announce(join)
                say(joincode.terminal(join.url))
                say(
                    t(
                        "cli.serve.join",
                        lang,
                        url=join.url,
                        short=join.short(),
                        console=day.facilitator_url(CONSOLE_PATH),
                    )
                )
            status = _wait_any(procs)
            if status and not stopped and log is not None:
                # a server that ended on its own: its last words, which went to the log
                tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
                print("\n".join(tail), file=sys.stderr)
        except KeyboardInterrupt:
            stopped.append(True)
            status = 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for proc in procs:
                if proc.poll() is None:
                    _stop(proc)
            joincode.withdraw(os.getpid())
    return 0 if stopped else status


@contextlib.contextmanager
def _output(log: Path | None) -> Iterator[IO[bytes] | None]:
    """Where the servers write what they print: the file ``log`` (a new one each day), or the
    terminal when it is ``None`` (``--verbose``)."""
    if log is None:
        yield None
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as handle:
        yield handle


def log_path() -> Path:
    """Where ``kit serve`` keeps the servers' own lines (Voilà's, Jupyter's, the kernels'):
    ``serve.log`` in the state folder."""
    return paths.state_dir() / "serve.log"


def _wait_any(procs: list[subprocess.Popen]) -> int:
    """Wait until one of the servers ends; returns its status."""
    while True:
        for proc in procs:
            code = proc.poll()
            if code is not None:
                return code
        time.sleep(0.5)


def _wait_warm(
    procs: list[subprocess.Popen],
    folder: Path,
    pools: dict[str, int],
    say,
    timeout: float,
    lang: str,
) -> None:
    """Show the pools warming (a progress bar) and say "ready" once every pooled kernel has
    drawn its app; a pool still short after ``timeout`` seconds is named."""
    from tqdm import tqdm

    total = sum(pools.values())
    started = time.monotonic()
    with tqdm(
        total=total, desc=t("cli.serve.warming", lang), unit="", file=sys.stderr, disable=None
    ) as bar:
        while all(p.poll() is None for p in procs):
            counts = warm_count(folder)
            warm = sum(min(counts.get(name, 0), size) for name, size in pools.items())
            bar.update(warm - bar.n)
            if warm >= total:
                break
            if time.monotonic() - started > timeout:
                short = ", ".join(
                    f"{n} {counts.get(n, 0)}/{size}"
                    for n, size in pools.items()
                    if counts.get(n, 0) < size
                )
                say(t("cli.serve.still_warming", lang, short=short))
                return
            time.sleep(0.5)
    if all(p.poll() is None for p in procs):
        say(t("cli.serve.ready", lang, kernels=total, seconds=f"{time.monotonic() - started:.0f}"))


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
