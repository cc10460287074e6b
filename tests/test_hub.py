"""The JupyterHub deployment (`deploy/jupyterhub_config.py`), tried on loopback: JupyterHub
from PyPI, configurable-http-proxy from npm (`make setup` installs it into .venv/node), the
dummy authenticator and the simple local spawner. Two users sign in and open the form; each
gets a live app (the page, then every widget's state over the kernel's websocket) on a server
of their own.

Without configurable-http-proxy the test is skipped locally; in CI it fails instead.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kit import paths

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub")]
CONFIG = paths.ROOT / "deploy" / "jupyterhub_config.py"
PASSWORD = "workshop-test"


def _proxy() -> str | None:
    local = paths.ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(local) if local.exists() else shutil.which("configurable-http-proxy")


def _ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    proxy = _proxy()
    if proxy is None:
        if os.environ.get("CI") == "true":
            pytest.fail("configurable-http-proxy is missing: .ci/run installs npm where none is, "
                        "make setup installs it")
        pytest.skip("configurable-http-proxy is not installed (npm install, see Makefile)")
    state = tmp_path_factory.mktemp("hub")
    port, api, proxy_api = _ports(3)
    env = {**os.environ, "KIT_HUB_PORT": str(port), "KIT_HUB_API_PORT": str(api),
           "KIT_HUB_PROXY_API_PORT": str(proxy_api), "KIT_HUB_STATE": str(state),
           "KIT_HUB_AUTH": "dummy", "KIT_HUB_PASSWORD": PASSWORD, "KIT_HUB_SPAWNER": "simple",
           "KIT_HUB_PROXY": proxy, "KIT_HUB_LANG": "fi"}
    log = state / "hub.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(Path(sys.executable).with_name("jupyterhub")), "-f",
                                 str(CONFIG)], cwd=str(state), env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/hub/login", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("JupyterHub stopped:\n" + log.read_text()[-3000:])
                time.sleep(0.5)
        else:
            pytest.fail("JupyterHub did not start:\n" + log.read_text()[-3000:])
        yield url, state, log
    finally:
        import signal

        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)


def _sign_in(url: str, name: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/hub/login", timeout=30).read().decode()
    xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": name, "password": PASSWORD,
                                   "_xsrf": xsrf}).encode()
    opener.open(url + "/hub/login?next=", data=body, timeout=120).read()
    return opener, jar


def test_two_users_sign_in_and_each_gets_a_live_form(hub):
    import asyncio
    import concurrent.futures

    sys.path.insert(0, str(paths.ROOT / "bench"))
    from room import attendee_at  # the same protocol-level client as bench/room.py

    url, state, log = hub
    for name in ("anna", "bertil"):
        opener, jar = _sign_in(url, name)
        deadline = time.time() + 180
        while True:  # the hub shows "spawn pending" until the user's server is up
            page = opener.open(f"{url}/user/{name}/voila/render/02_form.ipynb", timeout=240)
            html = page.read().decode()
            if "spawn-pending" not in page.url or time.time() > deadline:
                break
            time.sleep(1)
        assert page.url.endswith(f"/user/{name}/voila/render/02_form.ipynb"), page.url
        assert "Traceback" not in html and '"kernelId"' in html
        kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', html).group(1)
        cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a loop of its own
            result = pool.submit(lambda: asyncio.run(
                attendee_at(f"{url}/user/{name}", kernel, cookies))).result()
        assert "error" not in result, result.get("error")
        assert result["widgets"] > 20  # the form's widgets answered over the websocket
        assert (state / "home" / name).is_dir()  # a server of their own
    text = log.read_text()
    assert "idle-culler" in text  # the culler service runs
