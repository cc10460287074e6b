"""The workshop's apps behind JupyterHub's login: one Voilà per hub service, behind a small
authenticating proxy (``python -m kit.hub --audience room``; ``deploy/jupyterhub_config.py``
runs two, see ``deploy/README.md``).

**What runs.** The hub starts this module as a managed service (``c.JupyterHub.services``). It
listens on the service's own loopback port for the service's URL prefix
(``/services/<name>/``) at once; with ``--prime`` it then makes what the app kernels read
(each workshop's ``before_serving``, as ``kit serve`` does: :func:`kit.serve.prime`); then it
starts one Voilà on a free loopback port with a random token (a configuration file in a private
temporary folder, not the command line). Requests wait until Voilà answers. Voilà runs in the hub's
account (or the service's ``user``), so the stores it writes (``KIT_STATE_DIR``) belong
to that account; no attendee has a server, a terminal or a
file browser of their own. Voilà and its kernels get the service's environment without the
hub's credentials (``JUPYTERHUB_*``). When the hub stops the service (SIGINT or SIGTERM), or the
hub dies (Linux: ``PR_SET_PDEATHSIG``), Voilà is stopped and its kernels shut down; when Voilà
dies, the service exits and the hub starts it again.

**Who gets in.** Every request but the OAuth callback needs the hub's login
(:class:`Gate`, JupyterHub's :class:`~jupyterhub.services.auth.HubOAuthenticated`): a
browser without the service's cookie is sent through the hub's login and OAuth, and a signed-in
user without the service's access scope (``access:services!service=<name>``, which the hub's
roles grant) gets 403. Of Voilà's URLs the proxy forwards only:

* ``voila/render/<app>`` for the apps of its audience, from the registry
  (:func:`apps_for`): ``room`` serves the apps whose :class:`~kit.workshops.spec.App` has
  ``audience == "room"``, ``facilitator`` every app; never a report notebook, the tree or
  Voilà's contents API;
* the page's assets (``voila/static``, ``voila/templates``, ``voila/labextensions``,
  ``voila/api/themes``) and images (``voila/files``, which Voilà's allowlist limits to images);
* a kernel's websocket (``api/kernels/<id>/channels``), model (``api/kernels/<id>``) and
  shutdown (``voila/api/shutdown/<id>``) only for a kernel that this proxy's own render request
  started *for the same user*: knowing another attendee's kernel id is not enough.

Everything else is 404. Voilà itself drops a browser's ``execute_request``: an attendee sets
widget values, never runs code. Requests that change something (POST) must come from the
service's own pages (``Sec-Fetch-Site`` or ``Origin``), websockets from the same host
(tornado's ``check_origin``). The proxy forwards a fixed set of request headers: the browser's
cookies, ``Authorization`` and any ``X-Kit-Participant`` header never reach Voilà.

**The participant.** On an app's render request the proxy sets ``X-Kit-Participant`` to
``hub:<name>`` (:func:`participant`, the name percent-encoded in the header) from the hub's
answer alone. Voilà passes that header to the new kernel's environment
(``VoilaConfiguration.http_header_envs``) and :class:`ParticipantKernelManager` moves it into
``KIT_PARTICIPANT`` (:data:`PARTICIPANT_ENV`) when it starts the kernel process, so it is
there before the notebook's first line runs (``kit.room.signed_in`` reads it). A render
request without the header (Voilà reached some other way) is refused before a kernel starts
(:func:`require_participant`, Voilà's ``prelaunch_hook``). Voilà's preheated kernels cannot
carry a request's identity (they run the notebook before anyone asks) and Voilà refuses a
``prelaunch_hook`` with ``preheat_kernel``, so the hub's Voilà starts each attendee's kernel on
request: the page is live after the notebook has run (the form about 4 s on an idle machine,
about 15 s each when 10 arrive at once on two cores), not at once from a pool as under
``kit serve --room N``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import html
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path
from typing import IO, Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyterhub.services.auth import (
    HubOAuth,
    HubOAuthCallbackHandler,
    HubOAuthenticated,
    UserNotAllowed,
)
from tornado import httpclient, web, websocket
from tornado.httputil import HTTPHeaders

from kit import paths, workshops
from kit.room import PARTICIPANT_ENV
from kit.workshops.spec import FACILITATOR, ROOM, App

MODULE = "kit.hub"  # this module's name, also when it runs as ``python -m kit.hub``
#: the request header the proxy sets on a render request (and removes from what browsers send)
PARTICIPANT_HEADER = "X-Kit-Participant"
#: where Voilà puts that header in the kernel's environment (``http_header_envs``)
HEADER_ENV = "HTTP_" + PARTICIPANT_HEADER.upper().replace("-", "_")
AUDIENCES = (ROOM, FACILITATOR)
#: seconds a request waits for the service's Voilà (priming and Voilà's start) before a 503
START_TIMEOUT = 300.0
#: seconds Voilà has to answer once started
VOILA_TIMEOUT = 120.0
#: seconds Voilà gets to shut its kernels down when the service stops (the hub sends SIGTERM
#: 10 s after SIGINT, SIGKILL 5 s later)
GRACE = 8.0
#: kernels a service remembers the owner of (the oldest are forgotten first)
MAX_KERNELS = 20000
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_KERNEL_IN_PAGE = re.compile(rb'"kernelId":\s*"(' + _UUID.encode() + rb')"')
_ASSETS = ("voila/static/", "voila/templates/", "voila/labextensions/", "voila/api/themes/")
#: request headers passed on to Voilà (nothing that authenticates or identifies the browser)
_FORWARD = (
    "Accept",
    "Accept-Language",
    "Content-Type",
    "If-None-Match",
    "If-Modified-Since",
    "User-Agent",
    "X-Requested-With",
)
#: response headers passed back (no Set-Cookie: Voilà's own cookies stay between it and us)
_RETURN = (
    "Content-Type",
    "Cache-Control",
    "Pragma",
    "Expires",
    "ETag",
    "Last-Modified",
    "Location",
    "Content-Disposition",
    "X-Content-Type-Options",
)
_MAX_MESSAGE = 256 * 1024 * 1024  # widget states with images are large
#: requests to Voilà at once: a room arrives together, and a render streams for seconds
#: (tornado's client would queue all but 10)
MAX_CLIENTS = 1000


def registered_apps() -> list[App]:
    """Every registered app: the kit's own (the facilitator's console) and each
    workshop's."""
    return workshops.apps()


def apps_for(audience: str) -> tuple[str, ...]:
    """The notebooks (``NN_name.ipynb``) a service for ``audience`` serves, from the registry:
    ``room``: the apps every attendee opens; ``facilitator``: every app."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience {audience!r}: use {' or '.join(AUDIENCES)}")
    return tuple(
        a.filename for a in registered_apps() if audience == FACILITATOR or a.audience == ROOM
    )


def participant(username: str) -> str:
    """The participant id of a hub user: ``hub:<name>``."""
    return f"hub:{username}"


def header_value(username: str) -> str:
    """The ``X-Kit-Participant`` value for a hub user (percent-encoded: names may hold any
    character, headers only ASCII)."""
    return urllib.parse.quote(participant(username), safe=":@._-+")


def from_header(value: str) -> str | None:
    """The participant id an ``X-Kit-Participant`` value carries, or ``None`` for a value the
    proxy cannot have sent."""
    text = urllib.parse.unquote(value.strip())
    if not text.startswith("hub:") or len(text) <= 4 or any(ord(ch) < 32 for ch in text):
        return None
    return text


class ParticipantKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager in the hub's services: a kernel started for a render request
    gets ``KIT_PARTICIPANT`` from the request's ``X-Kit-Participant`` header (which Voilà put in
    the environment it passes, as ``HTTP_X_KIT_PARTICIPANT``); no kernel inherits one
    otherwise."""

    # jupyter_client declares start_kernel synchronous and runs this coroutine behind it
    async def start_kernel(  # type: ignore[override]
        self, *, kernel_id: str | None = None, path: Any = None, **kwargs: Any
    ) -> str:
        """Start a kernel with the participant moved into ``KIT_PARTICIPANT``."""
        env = dict(kwargs.pop("env", None) or os.environ)
        raw = env.pop(HEADER_ENV, None)
        env.pop(PARTICIPANT_ENV, None)
        who = from_header(raw) if raw else None
        if who:
            env[PARTICIPANT_ENV] = who
        return await super().start_kernel(kernel_id=kernel_id, path=path, env=env, **kwargs)


def require_participant(req_handler: web.RequestHandler, notebook: object, cwd: str) -> None:
    """Voilà's ``prelaunch_hook`` in the hub's services: refuse (403) to start an app's
    kernel for a request that did not come through the proxy with a participant."""
    if not from_header(req_handler.request.headers.get(PARTICIPANT_HEADER, "")):
        raise web.HTTPError(403, "no participant: open the apps through the hub")
    return None


# --- Voilà, in a process of its own ------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def voila_config(prefix: str, token: str, folder: Path) -> Path:
    """Write the service's Voilà configuration into ``folder`` (private: it holds the token):
    the repository's ``voila.json`` (no sources, no tracebacks, images only, idle kernels
    culled) without preheated pools, with the participant header passed to kernels, the
    participant's kernel manager and the prelaunch check."""
    from kit import serve

    config = json.loads(serve.CONFIG.read_text(encoding="utf-8"))
    config.pop("VoilaKernelManager", None)
    voila = config.setdefault("VoilaConfiguration", {})
    voila.update(
        preheat_kernel=False,
        http_header_envs=[PARTICIPANT_HEADER],
        multi_kernel_manager_class=f"{MODULE}.ParticipantKernelManager",
    )
    config["Voila"] = {
        **config.get("Voila", {}),
        "ip": "127.0.0.1",
        "base_url": prefix,
        "token": token,
    }
    if os.name == "posix":  # as kit serve's rooms: no port race when many kernels start
        config.setdefault("KernelManager", {})["transport"] = "ipc"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / "voila.json"
    target.touch(mode=0o600)
    target.write_text(json.dumps(config, indent=2), encoding="utf-8")
    (folder / "voila.py").write_text(
        f"from {MODULE} import require_participant\n\n"
        "c.VoilaConfiguration.prelaunch_hook = require_participant  # noqa: F821\n",
        encoding="utf-8",
    )
    return target


def voila_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment Voilà and its kernels get: the service's, without the hub's
    credentials and without any participant."""
    env = dict(os.environ if environ is None else environ)
    for key in list(env):
        if key.startswith("JUPYTERHUB_") or key in ("JPY_API_TOKEN", PARTICIPANT_ENV, HEADER_ENV):
            del env[key]
    return env


def _die_with_parent() -> None:
    """Linux: get SIGTERM when the parent process dies (the hub for this service, this
    service for its Voilà), so nothing outlives a killed hub."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_voila(
    lang: str, prefix: str, port: int, token: str, folder: Path, log: IO[bytes] | None = None
) -> subprocess.Popen:
    """Start the service's Voilà over ``notebooks/<lang>`` on ``127.0.0.1:port``."""
    from kit import serve

    voila_config(prefix, token, folder)
    cmd = serve.command(port, lang=lang, config_dir=folder)
    # not from the configuration folder: its voila.py would shadow the voila package
    return subprocess.Popen(
        cmd,
        cwd=str(folder.parent),
        env=voila_env(),
        stdout=log,
        stderr=log,
        preexec_fn=_die_with_parent if os.name == "posix" else None,
    )


def stop_voila(proc: subprocess.Popen, grace: float = GRACE) -> None:
    """Ask Voilà to stop (it shuts its kernels down); kill it after ``grace`` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        if proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# --- the proxy ---------------------------------------------------------------------------------


class Backend:
    """The service's Voilà as the proxy sees it: where it is, its token, whether it answers,
    and which user each kernel it started belongs to."""

    def __init__(self, url: str, token: str, audience: str, lang: str) -> None:
        self.url, self.token, self.audience, self.lang = url, token, audience, lang
        self.apps = frozenset(apps_for(audience))
        self.ready = asyncio.Event()
        self.owners: collections.OrderedDict[str, str] = collections.OrderedDict()

    def own(self, kernel: str, user: str) -> None:
        """Remember that ``kernel`` was started for ``user``."""
        self.owners[kernel] = user
        while len(self.owners) > MAX_KERNELS:
            self.owners.popitem(last=False)

    def owner(self, kernel: str) -> str | None:
        """The user ``kernel`` was started for, or ``None``."""
        return self.owners.get(kernel)

    def headers(self) -> dict[str, str]:
        """Headers that authenticate the proxy to Voilà."""
        return {"Authorization": f"token {self.token}"}

    async def wait_ready(
        self, proc: subprocess.Popen | None, prefix: str, timeout: float = VOILA_TIMEOUT
    ) -> None:
        """Poll Voilà until it answers (any HTTP status), then set :attr:`ready`."""
        client = httpclient.AsyncHTTPClient()
        probe = f"{self.url}{prefix}api/kernels/00000000-0000-0000-0000-000000000000"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"Voilà stopped with status {proc.returncode}")
            try:
                await client.fetch(
                    probe, headers=self.headers(), request_timeout=5, raise_error=False
                )
                self.ready.set()
                return
            except OSError:
                await asyncio.sleep(0.25)
        raise RuntimeError(f"Voilà did not answer within {timeout:.0f} s")


def route(path: str, apps: frozenset[str]) -> tuple[str, str] | None:
    """What a path under the service's prefix is: ``("landing", "")``, ``("app", name)``,
    ``("asset", path)``, ``("kernel", id)``, ``("channels", id)``, ``("shutdown", id)``, or
    ``None`` (not forwarded: 404)."""
    if path in ("", "voila", "voila/"):
        return ("landing", "")
    if ".." in path.split("/") or "\\" in path or "%" in path:
        return None
    if path.startswith("voila/render/"):
        name = path[len("voila/render/") :]
        return ("app", name) if name in apps else None
    if path.startswith(_ASSETS) or path.startswith("voila/files/"):
        return ("asset", path)
    for kind, pattern in (
        ("channels", rf"api/kernels/({_UUID})/channels"),
        ("kernel", rf"api/kernels/({_UUID})"),
        ("shutdown", rf"voila/api/shutdown/({_UUID})"),
    ):
        found = re.fullmatch(pattern, path)
        if found:
            return (kind, found.group(1))
    return None


def _title(notebook: Path) -> str:
    """A notebook's first Markdown heading (its title in its language), else its name."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return notebook.stem
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#") and line.lstrip("#").startswith(" "):
                    return line.lstrip("#").strip()
    return notebook.stem


def landing(backend: Backend) -> str:
    """The service's start page: its apps under their workshops' names, in its language."""
    from kit.i18n import t

    folder = paths.notebooks_dir(backend.lang)

    def links(names: list[str]) -> str:
        return (
            "<ul>"
            + "".join(
                f'<li><a href="voila/render/{html.escape(name)}">'
                f"{html.escape(_title(folder / name))}</a></li>"
                for name in names
            )
            + "</ul>"
        )

    in_workshops = {a.filename for w in workshops.REGISTRY for a in w.apps}
    own = [
        a.filename
        for a in registered_apps()
        if a.filename in backend.apps and a.filename not in in_workshops
    ]
    parts = [links(own)] if own else []
    for w in workshops.REGISTRY:
        mine = [a.filename for a in w.apps if a.filename in backend.apps]
        if mine:
            parts.append(f"<h2>{html.escape(t(w.label_key(), backend.lang))}</h2>{links(mine)}")
    return (
        f'<!doctype html><html lang="{backend.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Voilà</title><style>body{font-family:sans-serif;max-width:40rem;"
        "margin:1rem auto;padding:0 1rem}li{margin:.6rem 0;font-size:1.1rem}</style>"
        f"</head><body>{''.join(parts)}</body></html>"
    )


class Gate(HubOAuthenticated, websocket.WebSocketHandler):
    """Every request under the service's prefix but the OAuth callback: the hub's login, the
    path's check (:func:`route`), then Voilà over HTTP or a websocket (see the module's
    docstring)."""

    def initialize(self, backend: Backend, hub_auth: HubOAuth, prefix: str) -> None:
        """Set up for one request."""
        self.backend, self.hub_auth, self.prefix = backend, hub_auth, prefix
        self.upstream: websocket.WebSocketClientConnection | None = None
        self.target: tuple[str, str] | None = None

    async def prepare(self) -> None:
        """Identify the hub user (asynchronously; cached by the hub's client)."""
        model = await self.hub_auth.get_user(self, sync=False)
        allowed = None
        if model:
            try:
                allowed = self.check_hub_user(model)
            except UserNotAllowed:  # signed in, but without access to this service
                raise web.HTTPError(403, "not allowed to use this service") from None
        self._hub_auth_user_cache = allowed

    def check_xsrf_cookie(self) -> None:
        """Reading is allowed from anywhere the hub's cookie reaches (module scripts and
        images carry no token); a change must come from this service's own pages."""
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return
        site = self.request.headers.get("Sec-Fetch-Site")
        if site is not None:
            if site not in ("same-origin", "none"):
                raise web.HTTPError(403, "cross-site request")
            return
        origin = self.request.headers.get("Origin")
        if origin and urllib.parse.urlsplit(origin).netloc != self.request.host:
            raise web.HTTPError(403, "cross-origin request")

    def _user(self) -> str:
        user = self.current_user
        if not user:
            if self.request.method in ("GET", "HEAD") and not self._is_websocket():
                self.redirect(self.get_login_url())
                raise web.Finish()
            raise web.HTTPError(403, "sign in through the hub")
        return user["name"]

    def _is_websocket(self) -> bool:
        return self.request.headers.get("Upgrade", "").lower() == "websocket"

    def _check(self, path: str, kinds: tuple[str, ...]) -> tuple[str, str]:
        target = route(path, self.backend.apps)
        if target is None or target[0] not in kinds:
            raise web.HTTPError(404)
        user = self._user()
        if (
            target[0] in ("channels", "kernel", "shutdown")
            and self.backend.owner(target[1]) != user
        ):
            raise web.HTTPError(404)
        return target

    async def get(self, path: str) -> None:
        """The landing page, an app, an asset, a kernel's model, or a kernel's websocket."""
        if self._is_websocket():
            self.target = self._check(path, ("channels",))
            await self._wait_ready()
            await self._connect_upstream()
            try:
                await super().get(path)  # tornado's handshake refuses other sites' pages
            finally:
                if self.ws_connection is None and self.upstream is not None:
                    self.upstream.close()  # the handshake was refused
            return
        kind, _arg = self._check(path, ("landing", "app", "asset", "kernel"))
        if kind == "landing":
            self.set_header("Cache-Control", "no-store")
            self.finish(landing(self.backend))
            return
        await self._forward(path, render=kind == "app")

    async def head(self, path: str) -> None:
        """As GET, for assets."""
        self._check(path, ("asset",))
        await self._forward(path)

    async def post(self, path: str) -> None:
        """A kernel's shutdown (the page's own, when it closes)."""
        _kind, kernel = self._check(path, ("shutdown",))
        await self._forward(path)
        if self.get_status() < 400:
            self.backend.owners.pop(kernel, None)

    async def _wait_ready(self) -> None:
        try:
            await asyncio.wait_for(self.backend.ready.wait(), START_TIMEOUT)
        except TimeoutError:
            raise web.HTTPError(503, "the apps are starting; try again in a moment") from None

    async def _forward(self, path: str, render: bool = False) -> None:
        """Pass the request to Voilà and stream its answer back; a render request carries the
        participant, and the kernel it starts is remembered as this user's."""
        await self._wait_ready()
        user = self._user()
        headers = {k: v for k in _FORWARD if (v := self.request.headers.get(k))}
        headers.update(self.backend.headers())
        if render:
            headers[PARTICIPANT_HEADER] = header_value(user)
        url = f"{self.backend.url}{self.prefix}{urllib.parse.quote(path)}"
        if self.request.query:
            url += "?" + self.request.query
        seen = bytearray()
        found: list[str] = []
        status: list[int] = []
        received = HTTPHeaders()

        def on_header(line: str) -> None:
            if line.startswith("HTTP/"):
                status[:] = [int(line.split()[1])]
                received.clear()
            elif line.strip():
                received.parse_line(line)
            elif status and status[0] != 100:
                self.set_status(status[0])
                for name in _RETURN:
                    if name in received:
                        self.set_header(name, received[name])

        def on_chunk(chunk: bytes) -> None:
            if render and not found and len(seen) < 4_000_000:
                seen.extend(chunk)
                match = _KERNEL_IN_PAGE.search(seen)
                if match:
                    found.append(match.group(1).decode())
                    self.backend.own(found[0], user)
            self.write(chunk)
            self.flush()

        body = self.request.body if self.request.method == "POST" else None
        try:
            await httpclient.AsyncHTTPClient().fetch(
                url,
                method=self.request.method,
                headers=headers,
                body=body,
                header_callback=on_header,
                streaming_callback=on_chunk,
                follow_redirects=False,
                request_timeout=3600,
                raise_error=False,
                decompress_response=True,
            )
        except (TimeoutError, OSError, httpclient.HTTPClientError):
            if not self._headers_written:
                raise web.HTTPError(502, "the apps did not answer") from None
        self.finish()

    # websockets: the kernel's channels
    async def _connect_upstream(self) -> None:
        assert self.target is not None  # set when the websocket was opened
        kernel = self.target[1]
        query = self.request.query
        url = (
            f"{self.backend.url.replace('http', 'ws', 1)}{self.prefix}api/kernels/{kernel}"
            f"/channels" + (f"?{query}" if query else "")
        )
        asked = [
            p.strip()
            for p in self.request.headers.get("Sec-WebSocket-Protocol", "").split(",")
            if p.strip()
        ]
        request = httpclient.HTTPRequest(url, headers=self.backend.headers(), request_timeout=60)
        try:
            self.upstream = await websocket.websocket_connect(
                request, subprotocols=asked or None, max_message_size=_MAX_MESSAGE
            )
        except (OSError, httpclient.HTTPClientError, websocket.WebSocketError) as exc:
            code = getattr(exc, "code", 502)
            raise web.HTTPError(404 if code == 404 else 502) from None

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        """The subprotocol Voilà chose (the kernel protocol's version)."""
        chosen = self.upstream.selected_subprotocol if self.upstream else None
        return chosen if chosen in subprotocols else None

    def get_compression_options(self) -> dict | None:
        """No compression: kernel messages are small or already compressed images."""
        return None

    async def open(self, *args: str) -> None:
        """Relay Voilà's messages to the browser until either side closes."""
        asyncio.ensure_future(self._pump())

    async def _pump(self) -> None:
        upstream = self.upstream
        try:
            while upstream is not None:
                message = await upstream.read_message()
                if message is None:
                    break
                await self.write_message(message, binary=isinstance(message, bytes))
        except websocket.WebSocketClosedError:
            pass
        finally:
            self.close()
            if upstream is not None:
                upstream.close()

    async def on_message(self, message: str | bytes) -> None:
        """Relay the browser's message to Voilà (which passes only widget messages on)."""
        if self.upstream is not None:
            try:
                await self.upstream.write_message(message, binary=isinstance(message, bytes))
            except websocket.WebSocketClosedError:
                self.close()

    def on_close(self) -> None:
        """Close Voilà's side too."""
        if self.upstream is not None:
            self.upstream.close()


class Callback(HubOAuthCallbackHandler):
    """The end of the hub's OAuth: sets the service's cookie, back to where the user was."""

    def initialize(self, hub_auth: HubOAuth) -> None:
        """Use the service's one :class:`HubOAuth`."""
        self.hub_auth = hub_auth


def make_app(backend: Backend, prefix: str, hub_auth: HubOAuth | None = None) -> web.Application:
    """The proxy's tornado application for a service at ``prefix`` (``/services/<name>/``);
    ``hub_auth`` defaults to one configured from the service's ``JUPYTERHUB_*`` variables."""
    hub_auth = hub_auth or HubOAuth(cache_max_age=60)
    return web.Application(
        [
            (re.escape(prefix.rstrip("/")), web.RedirectHandler, {"url": prefix}),
            (re.escape(prefix) + "oauth_callback", Callback, {"hub_auth": hub_auth}),
            (
                re.escape(prefix) + "(.*)",
                Gate,
                {"backend": backend, "hub_auth": hub_auth, "prefix": prefix},
            ),
        ],
        cookie_secret=secrets.token_bytes(32),
        websocket_max_message_size=_MAX_MESSAGE,
        websocket_ping_interval=30,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m kit.hub --audience room|facilitator [--lang fi] [--prime]``: run as a
    hub-managed service (JupyterHub sets ``JUPYTERHUB_SERVICE_URL``,
    ``JUPYTERHUB_SERVICE_PREFIX`` and the OAuth variables). With ``--prime`` the service first
    makes what the app kernels read, as ``kit serve`` does (:func:`kit.serve.prime`)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audience", choices=AUDIENCES, required=True)
    parser.add_argument(
        "--lang", default=os.environ.get("KIT_LANG", "fi"), choices=("fi", "sv", "en")
    )
    parser.add_argument(
        "--prime", action="store_true", help="make what the app kernels read before starting Voilà"
    )
    args = parser.parse_args(argv)
    _die_with_parent()
    if os.getppid() == 1:
        return 1  # the hub is gone already
    service = urllib.parse.urlsplit(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    token, port = secrets.token_urlsafe(32), free_port()
    backend = Backend(f"http://127.0.0.1:{port}", token, args.audience, args.lang)
    voila: list[subprocess.Popen] = []

    async def run(work: Path) -> int:
        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, done.set)
        httpclient.AsyncHTTPClient.configure(None, max_clients=MAX_CLIENTS)
        # listen at once (the hub waits for its services to answer); requests wait for Voilà
        server = make_app(backend, prefix).listen(
            service.port or 80, address=service.hostname or "127.0.0.1", xheaders=True
        )
        if args.prime:
            from kit import serve

            refused = await loop.run_in_executor(None, serve.prime, workshops.REGISTRY, args.lang)
            if refused:  # the app that needs it says so to its visitors too
                print(f"kit.hub: {refused}", file=sys.stderr)
        if not done.is_set():
            voila.append(start_voila(args.lang, prefix, port, token, work / "config"))
        ready = asyncio.ensure_future(backend.wait_ready(voila[0], prefix)) if voila else None
        status = 0
        while ready is not None and not done.is_set():
            if voila[0].poll() is not None:
                print(f"kit.hub: Voilà stopped with status {voila[0].returncode}", file=sys.stderr)
                status = 1
                break
            if ready.done() and ready.exception():
                print(f"kit.hub: {ready.exception()}", file=sys.stderr)
                status = 1
                break
            try:
                await asyncio.wait_for(done.wait(), 1.0)
            except TimeoutError:
                pass
        server.stop()
        if ready is not None and not ready.done():
            ready.cancel()
        return status

    with tempfile.TemporaryDirectory(prefix="kit-hub-") as work:
        try:
            return asyncio.run(run(Path(work)))
        finally:
            for proc in voila:
                stop_voila(proc)


if __name__ == "__main__":
    sys.exit(main())
