"""The JupyterHub deployment (`deploy/jupyterhub_config.py`, `kit/hub.py`), tried on loopback:
JupyterHub from PyPI, configurable-http-proxy from npm (`make setup` installs it into
.venv/node), the dummy authenticator, and the kit's two hub-managed Voilà services.

Two attendees and a facilitator sign in. Each attendee opens the form through the attendee
service and gets a live app (the page, then every widget's state over the kernel's websocket),
and their kernel knows who signed in (``KIT_PARTICIPANT=hub:<name>``, also when the browser
sends a participant header of its own). Each fills in the form and sends it over the same
websocket, as the page would (widget messages only); the facilitator's live view, through the
facilitator service, counts both. An attendee gets nothing else: not the facilitator service,
the console, another attendee's kernel, a server of their own, a contents API or a store's file.

Without configurable-http-proxy the test is skipped locally; in CI it fails instead.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from kit import paths

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub")]
CONFIG = paths.ROOT / "deploy" / "jupyterhub_config.py"
PASSWORD = "workshop-test"
ATTENDEES = ("anna", "bertil")
FACILITATOR = "fiona"
TIMEOUT = 120.0


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


def _service_processes() -> list[int]:
    """Pids of the kit's hub services (``python -m kit.hub``) on this machine."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"kit.hub" in cmd and b"--audience" in cmd:
                found.append(int(proc.name))
    return found


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    proxy = _proxy()
    if proxy is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "configurable-http-proxy is missing: .ci/run installs npm where none is, "
                "make setup installs it"
            )
        pytest.skip("configurable-http-proxy is not installed (npm install, see Makefile)")
    state = tmp_path_factory.mktemp("hub")
    port, api, proxy_api, apps, facilitator = _ports(5)
    before = set(_service_processes())
    env = {
        **os.environ,
        "KIT_HUB_PORT": str(port),
        "KIT_HUB_API_PORT": str(api),
        "KIT_HUB_PROXY_API_PORT": str(proxy_api),
        "KIT_HUB_APPS_PORT": str(apps),
        "KIT_HUB_FACILITATOR_PORT": str(facilitator),
        "KIT_HUB_STATE": str(state),
        "KIT_HUB_AUTH": "dummy",
        "KIT_HUB_PROXY": proxy,
        "KIT_HUB_LANG": "fi",
        "KIT_HUB_FACILITATORS": FACILITATOR,
        "KIT_HUB_PRIME": "0",  # the form needs none
        "KIT_PARTICIPANT": "hub:leaked",
    }  # the hub's own environment must not reach kernels
    log = state / "hub.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(CONFIG)],
            cwd=str(state),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
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
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        pid = state / "hub" / "proxy.pid"  # a hub that failed leaves its proxy running
        try:
            number = int(pid.read_text())
            if b"configurable-http-proxy" in Path(f"/proc/{number}/cmdline").read_bytes():
                os.kill(number, signal.SIGTERM)
        except (OSError, ValueError):
            pass
        # the hub stops its services, and each service its Voilà and kernels
        for _ in range(40):
            left = set(_service_processes()) - before
            if not left:
                break
            time.sleep(0.5)
        assert not left, f"services left running: {left}"


class Browser:
    """One person's browser: the hub's cookies, and fetches that report the status."""

    def __init__(self, url: str, name: str | None) -> None:
        self.url, self.name = url, name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.landed = ""
        if name is None:  # signed out
            return
        page = self.opener.open(url + "/hub/login", timeout=30).read().decode()
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"username": name, "password": PASSWORD, "_xsrf": xsrf}
        ).encode()
        self.landed = self.opener.open(url + "/hub/login?next=", data=body, timeout=TIMEOUT).url

    def get(
        self, path: str, headers: dict | None = None, data: bytes | None = None
    ) -> tuple[int, str, str]:
        """Status, final URL and text of a GET (a POST with ``data``), after redirects (the
        hub's OAuth)."""
        request = urllib.request.Request(self.url + path, headers=headers or {}, data=data)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as r:
                return r.status, r.url, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, e.url, e.read().decode(errors="replace")

    def cookies(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def app(self, service: str, notebook: str, headers: dict | None = None) -> str:
        """Open an app through a service; its kernel's id."""
        status, final, html = self.get(f"/services/{service}/voila/render/{notebook}", headers)
        assert status == 200 and final.endswith(notebook), (status, final, html[:300])
        assert "Traceback" not in html
        return re.search(r'"kernelId":\s*"([0-9a-f-]+)"', html).group(1)


def _kernel_environment(kernel: str) -> dict[str, str]:
    """The environment the kernel process with this id was started with."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"kernel-{kernel}".encode() not in (proc / "cmdline").read_bytes():
                continue
            raw = (proc / "environ").read_bytes()
        except OSError:
            continue
        return dict(item.decode().split("=", 1) for item in raw.split(b"\0") if b"=" in item)
    raise AssertionError(f"no process for kernel {kernel}")


class Page:
    """What a Voilà page does with its kernel's widgets, over the websocket: every widget's
    state (as bench/room.py's client fetches it), then clicks and values as widget messages,
    keeping the states the kernel sends back."""

    def __init__(self, base: str, kernel: str, cookies: str) -> None:
        self.base, self.kernel, self.cookies = base, kernel, cookies
        self.session = uuid.uuid4().hex
        self.states: dict[str, dict] = {}
        self.ws = None

    async def __aenter__(self) -> Page:
        from room import CONTROL_VERSION, _message
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = (
            self.base.replace("http", "ws", 1)
            + f"/api/kernels/{self.kernel}/channels?session_id={self.session}"
        )
        self.ws = await websocket_connect(
            HTTPRequest(url, headers={"Cookie": self.cookies}, request_timeout=TIMEOUT)
        )
        control = uuid.uuid4().hex
        self.ws.write_message(
            json.dumps(
                _message(
                    self.session,
                    "comm_open",
                    {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                    metadata={"version": CONTROL_VERSION},
                )
            )
        )
        ask = _message(
            self.session, "comm_msg", {"comm_id": control, "data": {"method": "request_states"}}
        )
        self.ws.write_message(json.dumps(ask))
        while True:
            msg = await self._read()
            if msg["msg_type"] == "comm_msg" and msg["content"].get("comm_id") == control:
                self.states = {k: v["state"] for k, v in msg["content"]["data"]["states"].items()}
                return self

    async def __aexit__(self, *exc: object) -> None:
        self.ws.close()

    async def _read(self) -> dict:
        from room import _decode

        raw = await asyncio.wait_for(self.ws.read_message(), TIMEOUT)
        if raw is None:
            raise RuntimeError("websocket closed")
        msg = _decode(raw)
        msg["msg_type"] = msg.get("msg_type") or msg["header"]["msg_type"]
        content = msg.get("content", {})
        if msg["msg_type"] == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.states[content["comm_id"]] = dict(content["data"]["state"])
        elif msg["msg_type"] == "comm_msg" and content.get("comm_id") in self.states:
            data = content.get("data", {})
            if data.get("method") in ("update", "echo_update"):
                self.states[content["comm_id"]].update(data.get("state", {}))
        elif msg["msg_type"] == "comm_close":
            self.states.pop(content.get("comm_id"), None)
        return msg

    async def send(self, model: str, data: dict) -> None:
        """A widget message, as the page sends it; returns when the kernel has handled it."""
        from room import _message

        out = _message(self.session, "comm_msg", {"comm_id": model, "data": data})
        self.ws.write_message(json.dumps(out))
        while True:
            msg = await self._read()
            if (
                msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
                and msg.get("parent_header", {}).get("msg_id") == out["header"]["msg_id"]
            ):
                return

    def find(self, model: str, **state: object) -> list[str]:
        """The ids of widgets of ``model`` (e.g. ``ButtonModel``) with these state values."""
        return [
            k
            for k, v in self.states.items()
            if v.get("_model_name") == model
            and all(v.get(key) == value for key, value in state.items())
        ]

    def shown(self) -> set[str]:
        """The widgets the page shows: the app's view and all its descendants."""
        children = {k: v.get("children", []) for k, v in self.states.items()}
        roots = {
            k
            for k, v in self.states.items()
            if "kit-form" in v.get("_dom_classes", ()) or "kit-live" in v.get("_dom_classes", ())
        }
        seen, todo = set(), list(roots)
        while todo:
            k = todo.pop()
            if k not in seen:
                seen.add(k)
                todo += [c.removeprefix("IPY_MODEL_") for c in children.get(k, [])]
        return seen

    async def click(self, label: str) -> None:
        """Click the shown, enabled button with this label."""
        (button,) = [
            b
            for b in self.find("ButtonModel", description=label, disabled=False)
            if b in self.shown()
        ]
        await self.send(button, {"method": "custom", "content": {"event": "click"}})

    async def set(self, model: str, **state: object) -> None:
        """Set a widget's values, as a change in the page does."""
        await self.send(model, {"method": "update", "state": state, "buffer_paths": []})


async def _answer_the_form(base: str, kernel: str, cookies: str, name: str) -> str:
    """An attendee's visit to the form: their name, one level, through the pages, send;
    returns the status the form shows."""
    from kit.i18n import t

    async with Page(base, kernel, cookies) as page:
        (box,) = [k for k in page.find("TextModel") if k in page.shown()]
        await page.set(box, value=name)
        await page.click(t("form.next", "fi"))
        levels = [
            k
            for k in page.find("ToggleButtonsModel")
            if k in page.shown() and "kit-levels" in page.states[k].get("_dom_classes", ())
        ]
        await page.set(levels[0], index=3)
        while not page.find("ButtonModel", description=t("form.submit", "fi")):
            await page.click(t("form.next", "fi"))
        await page.click(t("form.submit", "fi"))
        return " ".join(
            str(page.states[k].get("value", ""))
            for k in page.shown()
            if page.states[k].get("_model_name") == "HTMLModel"
        )


async def _websocket_error(url: str, cookies: str, origin: str) -> str:
    """Why a websocket from a page at ``origin`` was refused ("" if it opened)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    try:
        ws = await websocket_connect(
            HTTPRequest(url, headers={"Cookie": cookies, "Origin": origin})
        )
    except Exception as exc:  # noqa: BLE001 - the refusal is the answer
        return str(exc)
    ws.close()
    return ""


def _run(coroutine) -> object:
    """Run a coroutine on a loop of its own (pytest's thread may have one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_attendees_get_the_form_as_themselves_and_the_facilitator_sees_both(hub):
    sys.path.insert(0, str(paths.ROOT / "bench"))
    from room import attendee_at  # the same protocol-level client as bench/room.py

    from kit import hub as kit_hub
    from kit import room
    from kit.i18n import t
    from kit.workshops.self_assessment.store import WORKSHOP, ResponseStore

    assert kit_hub.PARTICIPANT_ENV == room.PARTICIPANT_ENV
    url, state, log = hub
    people = {name: Browser(url, name) for name in (*ATTENDEES, FACILITATOR)}
    for name in ATTENDEES:
        assert people[name].landed.endswith("/services/kit/")
        start = people[name].get("/services/kit")[2]  # the start page lists their apps
        assert "02_form.ipynb" in start and "02_live" not in start and "00_console" not in start
    assert people[FACILITATOR].landed.endswith("/services/kit-facilitator/")
    assert "02_live.ipynb" in people[FACILITATOR].get("/services/kit-facilitator/")[2]

    kernels = {}
    for name in ATTENDEES:
        browser = people[name]
        # a participant header from the browser is dropped: the hub's login decides
        kernels[name] = browser.app(
            "kit", "02_form.ipynb", headers={"X-Kit-Participant": "hub:somebody-else"}
        )
        live = _run(attendee_at(f"{url}/services/kit", kernels[name], browser.cookies()))
        assert "error" not in live, live.get("error")
        assert live["widgets"] > 20  # the form's widgets answered over the websocket
        env = _kernel_environment(kernels[name])
        assert env["KIT_PARTICIPANT"] == f"hub:{name}"
        assert not {k for k in env if k.startswith("JUPYTERHUB_") or k.startswith("HTTP_")}
        assert env["KIT_STATE_DIR"] == str(state / "shared")  # the rooms' stores

    # another attendee's kernel is not theirs to open, even with its id
    anna, bertil = (people[n] for n in ATTENDEES)
    other = _run(attendee_at(f"{url}/services/kit", kernels["anna"], bertil.cookies()))
    assert "404" in other.get("error", ""), other
    assert bertil.get(f"/services/kit/api/kernels/{kernels['anna']}")[0] == 404

    # another site's page can neither open an attendee's kernel nor shut it down
    channels = (
        f"{url.replace('http', 'ws', 1)}/services/kit/api/kernels/{kernels['anna']}"
        f"/channels?session_id={uuid.uuid4().hex}"
    )
    assert "403" in _run(_websocket_error(channels, anna.cookies(), "http://elsewhere.example"))
    assert _run(_websocket_error(channels, anna.cookies(), url)) == ""  # her own page: opens
    shutdown = f"/services/kit/voila/api/shutdown/{kernels['anna']}"
    assert anna.get(shutdown, {"Sec-Fetch-Site": "cross-site"}, data=b"")[0] == 403
    assert anna.get(f"/services/kit/api/kernels/{kernels['anna']}")[0] == 200  # still there

    # nothing else: no facilitator app, console, report, server, contents API or store
    store = state / "shared" / f"{WORKSHOP}.sqlite3"
    for path in (
        "/services/kit-facilitator/voila/render/02_live.ipynb",
        "/services/kit-facilitator/",
        "/services/kit-facilitator/api/contents",
        "/services/kit/voila/render/02_live.ipynb",
        "/services/kit/voila/render/00_console.ipynb",
        "/services/kit-facilitator/voila/render/00_console.ipynb",
        "/services/kit/voila/render/02_self_assessment.ipynb",
        "/services/kit/voila/tree",
        "/services/kit/api/contents",
        "/services/kit/voila/api/contents",
        "/services/kit/api/terminals",
        "/services/kit/voila/files/02_form.ipynb",
        "/services/kit/voila/files/responses.sqlite3",
        "/services/kit/voila/files/" + "../" * 8 + str(store).lstrip("/"),
        f"/services/kit/voila/files/{store}",
        "/user/anna/",
        "/user/anna/api/contents",
        "/user/anna/terminals/1",
        "/hub/spawn",
        "/hub/spawn/anna",
    ):
        status = anna.get(path)[0]
        assert status in (403, 404), f"{path}: {status}"
    assert anna.get("/hub/api/users/anna/server", data=b"{}")[0] == 403  # no spawning
    _status, final, _html = Browser(url, None).get("/services/kit/voila/render/02_form.ipynb")
    assert "/hub/login" in final  # signed out: to the hub's login

    # both send the form, which stores each answer as its hub user's; the facilitator's
    # live view counts both
    for name in ATTENDEES:
        shown = _run(
            _answer_the_form(
                f"{url}/services/kit", kernels[name], people[name].cookies(), f"Testaaja {name}"
            )
        )
        assert t("form.saved_signed_in", "fi") in shown, shown  # no code: the login is theirs
    assert {i.participant for i in ResponseStore(store).items()} == {
        f"hub:{name}" for name in ATTENDEES
    }
    facilitator = people[FACILITATOR]
    kernel = facilitator.app("kit-facilitator", "02_live.ipynb")
    assert _kernel_environment(kernel)["KIT_PARTICIPANT"] == f"hub:{FACILITATOR}"

    async def answered() -> str:
        async with Page(f"{url}/services/kit-facilitator", kernel, facilitator.cookies()) as page:
            return " ".join(str(page.states[k].get("value", "")) for k in page.shown())

    assert t("live.answered", "fi", n=2) in _run(answered())
    text = log.read_text()
    assert "Traceback" not in text.split("JupyterHub is now running")[-1], text[-3000:]
