"""`kit serve`: the notebooks as Voilà apps, and what a visitor must not get.

The server runs from `/` (not the repository) so that only the configuration `kit serve` names
is in force, as on a real machine. Each page is rendered once for the session (``rendered``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import html
import json
import re
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

from kit import paths, serve, workshops
from tests.conftest import served_notebooks

ROOT = paths.ROOT
pytestmark = pytest.mark.xdist_group("voila")


def status(url: str) -> int:
    """The HTTP status of ``url`` after redirects (the path is sent exactly as written)."""
    import http.client
    from urllib.parse import urlsplit

    for _ in range(5):
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        response.read()
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location")
            url = (
                location
                if location.startswith("http")
                else f"{parts.scheme}://{parts.netloc}{location}"
            )
            continue
        return response.status
    return 599


def test_the_configuration_is_checked_in_and_follows_the_registry():
    config = json.loads((ROOT / "voila.json").read_text())
    voila = config["VoilaConfiguration"]
    assert voila["strip_sources"] is True and voila["show_tracebacks"] is False
    assert config["MappingKernelManager"]["cull_idle_timeout"] > 0
    pools = config["VoilaKernelManager"]["kernel_pools_config"]
    assert pools == serve.pools()
    for w in workshops.REGISTRY:
        for app in w.apps:
            assert pools[app.filename]["pool_size"] == app.pool
            assert (paths.notebooks_dir("fi") / app.filename).exists()
    assert pools["default"]["pool_size"] == 0
    cmd = serve.command(9999)
    assert f"--Voila.config_file_paths={ROOT}" in cmd and "--Voila.ip=127.0.0.1" in cmd
    assert str(paths.notebooks_dir("fi")) in cmd
    assert str(paths.notebooks_dir("sv")) in serve.command(9999, lang="sv")
    # the page says its language, for screen readers
    assert "--VoilaExporter.language_code=fi" in cmd
    assert "--VoilaExporter.language_code=sv" in serve.command(9999, lang="sv")
    # a page on a busy laptop waits for its outputs as long as kit run does (nbclient's 4 s
    # left the apps blank under load)
    from kit import runner

    assert config["VoilaExecutor"]["iopub_timeout"] == runner.IOPUB_TIMEOUT


def test_a_taken_port_is_refused_or_passed_over_never_moved_silently():
    """A port something already listens on: the attendees' (or a facilitators' port given) is
    refused in one line naming the option; where the facilitators' default (``port + 1``) is
    taken, the day takes another free one and prints that; Voilà itself is never let to move
    to another port than the printed address and the join code name."""
    import socket

    from kit.errors import KitInputError

    assert "--Voila.port_retries=0" in serve.command(9999)
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        taken = held.getsockname()[1]
        assert not serve.port_free("127.0.0.1", taken)
        with pytest.raises(KitInputError) as info:
            serve.check_ports(serve.plan(taken, facilitator_port=serve.free_port()))
        assert info.value.parameter == "--port" and str(taken) in info.value.message("en")
        with pytest.raises(KitInputError) as info:
            serve.check_ports(serve.plan(serve.free_port(), facilitator_port=taken))
        assert info.value.parameter == "--facilitator-port"
        # the facilitators' default port taken: another one, free, and the plan names it
        day = serve.plan(taken - 1)
        assert day.facilitator_port != taken and serve.port_free("127.0.0.1", day.facilitator_port)
        assert f":{day.facilitator_port}/" in day.facilitator_url()
    day = serve.plan(taken - 1)
    assert day.facilitator_port == taken  # free again: the default


def test_start_notebook_renders_as_an_app(rendered):
    page = rendered["00_start_here.ipynb"].html
    # the story is rendered Markdown (HTML entities); outputs are embedded as JSON
    assert "Aloita tästä" in html.unescape(page)
    assert "SYNTEETTINEN DEMOAINEISTO" in page
    assert '"output_type": "error"' not in page and "Traceback" not in page
    assert "image/png" in page


@pytest.mark.parametrize("notebook", served_notebooks())
def test_rendered_page_contains_no_notebook_source(rendered, notebook):
    page = rendered[notebook].html
    nb = nbformat.read(paths.notebooks_dir("fi") / notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if len(line) > 25 and not line.startswith("#"):
                assert line not in page and json.dumps(line)[1:-1] not in page, line


@pytest.mark.parametrize(
    "path",
    [
        "/voila/files/01_dashboards.ipynb",  # a notebook's source
        "/voila/files/00_start_here.ipynb",
        "/voila/files/../data/partners.csv",  # a file under data/, via ../
        "/voila/files/%2e%2e/data/partners.csv",
        "/voila/files/..%2fdata%2fpartners.csv",
        "/voila/files/data/partners.csv",
        "/voila/render/../data/partners.csv",
        "/voila/files/../../kit/cli.py",  # Python outside notebooks/
        "/voila/files/../../voila.json",
        "/voila/render/../en/01_dashboards.ipynb",  # another language's folder
        "/voila/static/../../../../../etc/passwd",  # CVE-2024-30265's path
        "/voila/files/../../../../etc/passwd",
    ],
)
def test_files_and_paths_outside_the_allowlist_are_refused(served, path):
    assert status(served + path) in (403, 404)


def test_a_kernel_execute_request_from_the_client_is_refused(served, tmp_path):
    """Open the app's kernel websocket like a browser does and ask it to run code."""
    from tornado.websocket import websocket_connect

    target = tmp_path / "pwned"
    page = (
        urllib.request.urlopen(f"{served}/voila/render/01_dashboard_app.ipynb", timeout=240)
        .read()
        .decode()
    )
    kernel = re.search(r'"kernelId": *"([^"]+)"', page).group(1)
    session = uuid.uuid4().hex

    def message(kind: str, content: dict) -> str:
        return json.dumps(
            {
                "header": {
                    "msg_id": uuid.uuid4().hex,
                    "username": "visitor",
                    "session": session,
                    "msg_type": kind,
                    "version": "5.3",
                    "date": dt.datetime.now(dt.UTC).isoformat(),
                },
                "parent_header": {},
                "metadata": {},
                "content": content,
                "channel": "shell",
                "buffers": [],
            }
        )

    async def probe() -> list[str]:
        ws = await websocket_connect(
            f"{served.replace('http', 'ws')}/api/kernels/{kernel}/channels?session_id={session}"
        )
        await ws.write_message(
            message(
                "execute_request",
                {
                    "code": f"open({str(target)!r}, 'w').write('x')",
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                },
            )
        )
        await ws.write_message(message("kernel_info_request", {}))
        seen = []
        try:
            while True:
                raw = await asyncio.wait_for(ws.read_message(), 8)
                if raw is None:
                    break
                if isinstance(raw, str):
                    seen.append(json.loads(raw)["header"]["msg_type"])
        except TimeoutError:
            pass
        ws.close()
        return seen

    # in a thread of its own: the session's browser (playwright) holds this thread's event loop
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        seen = thread.submit(lambda: asyncio.run(probe())).result()
    assert "kernel_info_reply" in seen  # the channel works for allowed messages ...
    assert "execute_reply" not in seen and "execute_input" not in seen
    assert not target.exists()  # ... but the code never ran


def _descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.mark.slow
@pytest.mark.xdist_group("voila")
def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive
