"""JupyterHub for the workshop kit: named users sign in at the hub and use the workshop's Voilà
apps, served by two hub-managed services; nobody gets a Jupyter server of their own.

    jupyterhub -f deploy/jupyterhub_config.py

Use it when attendees should sign in (one person counts once in the room's privacy steps,
however many devices they use), or when one machine running ``kit serve`` should serve a room
behind a login (README, "Beyond one machine"; ``deploy/README.md`` has the whole story).

**What runs.** The hub, its proxy and two services, each one Voilà behind a small
authenticating proxy (``python -m kit.hub``, see :mod:`kit.hub`) in the hub's account (or
``KIT_HUB_SERVICE_USER``'s), both writing to the stores in ``KIT_HUB_STATE/shared``:

``/services/kit/`` (service ``kit``)
    the attendee apps: the registry's apps with ``audience == "room"`` (the form, the dashboard
    app, the scorecard, the vote, the forum). Every signed-in user may use it; it is where a
    user lands after signing in.
``/services/kit-facilitator/`` (service ``kit-facilitator``)
    every app, with the facilitator's (the live view, the console): only for the hub group
    ``facilitators`` (``KIT_HUB_FACILITATORS``), who land there.

An attendee reaches nothing else: no server (``/user/<name>/`` is 404 or 403, and the hub has
no spawner that could start one), no contents API, no terminal, no notebook file, no store (the
stores are outside the folder Voilà serves, which hands out images only). Each app kernel gets
``KIT_PARTICIPANT=hub:<name>`` from the hub's login, never from anything the browser sends.

Settings come from environment variables, so the same file serves a trial on a laptop, the
test in CI and a real hub:

``KIT_HUB_IP`` / ``KIT_HUB_PORT``
    where the hub listens (default 127.0.0.1:8000; behind TLS termination, or 0.0.0.0 on a
    trusted network).
``KIT_HUB_API_PORT`` / ``KIT_HUB_PROXY_API_PORT``
    the hub's and the proxy's internal ports on 127.0.0.1 (default 8081 and 8001).
``KIT_HUB_PROXY``
    the ``configurable-http-proxy`` command (default: the one on the PATH; ``make setup``
    installs one into ``.venv/node/node_modules/.bin``).
``KIT_HUB_APPS_PORT`` / ``KIT_HUB_FACILITATOR_PORT``
    the two services' internal ports on 127.0.0.1 (default 8082 and 8083). Each service's
    Voilà listens on a free loopback port of its own and answers only with a random token the
    service holds.
``KIT_HUB_STATE``
    the folder for the hub's database and cookie secret (in ``hub/``, mode 0700) and the rooms'
    stores (in ``shared/``, mode 0700, owned by the services' account); default ``data/hub``
    in the repository.
``KIT_HUB_AUTH``
    ``pam`` (default: the machine's own accounts, as on The Littlest JupyterHub), ``shared``
    (any name with the one password in ``KIT_HUB_PASSWORD``, for a trial workshop) or
    ``dummy`` (any name, any password: tests only, so only on 127.0.0.1).
``KIT_HUB_USERS`` / ``KIT_HUB_ADMINS``
    comma-separated user names allowed in and admins (with ``pam``; ``shared`` and ``dummy``
    let any name in).
``KIT_HUB_FACILITATORS``
    comma-separated user names put in the ``facilitators`` group at start (allowed in with
    ``pam`` too). A name taken off the list stays in the group until an admin removes it
    (Admin → Groups, or the REST API): the hub only adds group members from its
    configuration.
``KIT_HUB_SERVICE_USER``
    the Unix account the services, Voilà and the app kernels run as. Needed when the hub runs
    as root with ``pam`` or ``shared`` (The Littlest JupyterHub): the apps never run as root.
    The shared folder is handed to this account.
``KIT_HUB_PYTHON``
    the Python that runs the services (default: the hub's own); it needs the kit, Voilà and
    JupyterHub (for ``jupyterhub.services.auth``) installed.
``KIT_HUB_LANG``
    the notebooks' language, ``fi`` (default), ``sv`` or ``en``.
``KIT_HUB_PRIME``
    ``1`` (default): before its Voilà starts, the attendee service makes what the app kernels
    read (checked snapshots, kept models: each workshop's ``before_serving``, as ``kit serve``
    does; half a minute to a minute), so that no attendee's kernel makes it; ``0`` skips it
    (the test: the form needs nothing made).

Idle app kernels are culled by Voilà after 10 minutes (the repository's ``voila.json``, as
under ``kit serve``). There are no user servers, so there is no idle culler service. A server
per person (JupyterLab, for the exercises) belongs on a hub of its own: ``deploy/README.md``,
"Per-user servers".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jupyterhub.spawner import Spawner
from jupyterhub.utils import url_path_join

c = get_config()  # noqa: F821 - JupyterHub provides get_config when it loads this file

ROOT = Path(__file__).resolve().parents[1]
env = os.environ.get
state = Path(env("KIT_HUB_STATE", str(ROOT / "data" / "hub"))).resolve()
private = state / "hub"  # the hub's database, cookie secret and proxy pid: the hub's only
private.mkdir(mode=0o700, parents=True, exist_ok=True)
os.chmod(private, 0o700)
lang = env("KIT_HUB_LANG", "fi")
if lang not in ("fi", "sv", "en"):
    raise SystemExit(f"KIT_HUB_LANG={lang!r}: use fi, sv or en")
APPS, FACILITATOR = "kit", "kit-facilitator"  # the services' names (and URLs)
FACILITATORS = "facilitators"  # the hub group that gets the facilitator apps


def names(variable: str) -> set[str]:
    """The comma-separated names in an environment variable."""
    return {n.strip() for n in env(variable, "").split(",") if n.strip()}


# --- where it listens and keeps its state ---------------------------------------------------
c.JupyterHub.bind_url = f"http://{env('KIT_HUB_IP', '127.0.0.1')}:{env('KIT_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("KIT_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{private / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(private / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('KIT_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(private / "proxy.pid")
if env("KIT_HUB_PROXY"):
    c.ConfigurableHTTPProxy.command = [env("KIT_HUB_PROXY")]

# --- who may sign in ------------------------------------------------------------------------
auth = env("KIT_HUB_AUTH", "pam")
facilitators = names("KIT_HUB_FACILITATORS")
if auth == "dummy":
    if env("KIT_HUB_IP", "127.0.0.1") != "127.0.0.1":
        raise SystemExit("KIT_HUB_AUTH=dummy lets anyone in: only with KIT_HUB_IP=127.0.0.1")
    c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = True
elif auth == "shared":
    password = env("KIT_HUB_PASSWORD", "")
    if len(password) < 8:
        raise SystemExit("KIT_HUB_AUTH=shared needs KIT_HUB_PASSWORD of 8 characters or more")
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = password
    c.Authenticator.allow_all = True
elif auth == "pam":
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allowed_users = names("KIT_HUB_USERS") | facilitators
else:
    raise SystemExit(f"KIT_HUB_AUTH={auth!r}: use pam, shared or dummy")
c.Authenticator.admin_users = names("KIT_HUB_ADMINS")
c.JupyterHub.load_groups = {FACILITATORS: {"users": sorted(facilitators)}}

# --- what a signed-in user may do: use the apps, nothing else -------------------------------
c.JupyterHub.load_roles = [
    # every user: see themselves and use the attendee apps; no "servers" or "access:servers"
    # scope, so no server of their own (the default role's "self" would give both)
    {
        "name": "user",
        "scopes": ["read:users!user", "users:activity!user", f"access:services!service={APPS}"],
    },
    {
        "name": "kit-facilitator",
        "description": "The facilitator apps (live view, console)",
        "scopes": [f"access:services!service={FACILITATOR}"],
        "groups": [FACILITATORS],
    },
]


class NoServer(Spawner):
    """No user gets a Jupyter server here (not even through an admin): the apps are the
    hub's services."""

    async def start(self) -> None:
        raise RuntimeError(
            "this hub gives no user a server of their own: the workshop's "
            "apps are at /services/kit/"
        )

    async def poll(self) -> int:
        return 0  # never running

    async def stop(self, now: bool = False) -> None:
        return None


c.JupyterHub.spawner_class = NoServer
c.JupyterHub.implicit_spawn_seconds = 0


def landing(handler) -> str:
    """Where a user lands after signing in: the facilitator apps for the group, else the
    attendee apps."""
    user = handler.current_user
    groups = {g.name for g in getattr(user, "groups", [])} if user else set()
    service = FACILITATOR if FACILITATORS in groups else APPS
    return url_path_join(handler.base_url, f"services/{service}/")


c.JupyterHub.default_url = landing

# --- the two services: one Voilà each, one shared folder of stores ---------------------------
shared = state / "shared"
shared.mkdir(exist_ok=True)
os.chmod(shared, 0o700)
service_user = env("KIT_HUB_SERVICE_USER", "")
if service_user:
    import pwd

    account = pwd.getpwnam(service_user)
    if os.geteuid() == 0:
        os.chown(shared, account.pw_uid, account.pw_gid)
elif os.geteuid() == 0 and auth != "dummy":
    raise SystemExit(
        "the hub runs as root: set KIT_HUB_SERVICE_USER to the account the apps run as (never root)"
    )
python = env("KIT_HUB_PYTHON", sys.executable)
# what the apps' kernels read: the rooms' stores in the shared folder (kit.store: each
# workshop's <name>.sqlite3 in KIT_STATE_DIR), the language, and these settings of the kit from
# the hub's environment; nothing else of the hub's (no KIT_STORE_* moving a store elsewhere, no
# participant)
PASSED_ON = (
    "KIT_DATA_DIR",
    "KIT_WORK_DIR",
    "KIT_REPORTS_DIR",
    "KIT_PRIVACY_THRESHOLD",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
)
environment = {key: os.environ[key] for key in PASSED_ON if key in os.environ}
environment.update(KIT_LANG=lang, KIT_STATE_DIR=str(shared))
if not service_user and env("HOME"):
    environment["HOME"] = env("HOME")


prime = env("KIT_HUB_PRIME", "1") != "0"


def service(name: str, audience: str, port: str, primes: bool = False) -> dict:
    """A hub-managed service running ``python -m kit.hub`` for ``audience`` (``primes``: it
    makes what the app kernels read before its Voilà starts)."""
    spec = {
        "name": name,
        "url": f"http://127.0.0.1:{port}",
        "command": [
            python,
            "-m",
            "kit.hub",
            "--audience",
            audience,
            "--lang",
            lang,
            *(["--prime"] if primes else []),
        ],
        "environment": dict(environment),
        "cwd": str(shared),
        "oauth_no_confirm": True,  # part of this deployment: no "authorize access" page
        "display": True,
    }
    if service_user:
        spec["user"] = service_user
    return spec


c.JupyterHub.services = [
    service(APPS, "room", env("KIT_HUB_APPS_PORT", "8082"), primes=prime),
    service(FACILITATOR, "facilitator", env("KIT_HUB_FACILITATOR_PORT", "8083")),
]
