"""JupyterHub for the workshop kit: named users, each on a server of their own, landing on the
workshop's Voilà apps, with idle servers culled and a memory limit per user.

    jupyterhub -f deploy/jupyterhub_config.py

Use it when one machine running ``kit serve`` is not enough, or when attendees should sign in
(README, "Beyond one machine"). Every user gets their own Jupyter server; the Voilà server
extension renders the apps at ``/user/<name>/voila/render/<notebook>``, and a user lands on
the self-assessment form. All users' forms write to one shared response store, so the
facilitator's live view (``/user/<facilitator>/voila/render/02_live.ipynb``) shows the room.

Settings come from environment variables, so the same file serves a trial on a laptop, the
test in CI and a real hub:

``KIT_HUB_IP`` / ``KIT_HUB_PORT``
    where the hub listens (default 127.0.0.1:8000; behind TLS termination, or 0.0.0.0 on a
    trusted network).
``KIT_HUB_API_PORT`` / ``KIT_HUB_PROXY_API_PORT``
    the hub's and the proxy's internal ports on 127.0.0.1 (default 8081 and 8001).
``KIT_HUB_STATE``
    the folder for the hub's database, cookie secret, the users' homes (simple spawner) and
    the shared stores (default ``data/hub`` in the repository).
``KIT_HUB_AUTH``
    ``pam`` (default: the machine's own accounts, as on The Littlest JupyterHub), ``shared``
    (any name with the one password in ``KIT_HUB_PASSWORD``, for a trial workshop) or
    ``dummy`` (any name, any password: tests only, so only on 127.0.0.1).
``KIT_HUB_USERS`` / ``KIT_HUB_ADMINS``
    comma-separated user names allowed in and admins (with ``pam``; ``dummy`` lets anyone in).
``KIT_HUB_SPAWNER``
    ``local`` (default: each user's server runs as their own Unix account) or ``simple``
    (every server as the hub's own account, homes under ``KIT_HUB_STATE``: trials and tests).
``KIT_HUB_LANG``
    the notebooks' language, ``fi`` (default), ``sv`` or ``en``.
``KIT_HUB_MEM_LIMIT``
    memory per user (default ``1G``: a Jupyter server of about 100 MB, the form's 60 MB
    kernel, and room for the dashboard's 225 MB one). The local spawners only pass it on
    (``MEM_LIMIT``); SystemdSpawner (The Littlest JupyterHub) and KubeSpawner (Zero to
    JupyterHub) enforce it.
``KIT_HUB_CULL_AFTER``
    seconds of inactivity after which a user's server is stopped (default 3600; the idle
    culler checks every tenth of that). Kernels inside a running server are culled after 10
    minutes idle, as under ``kit serve``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - JupyterHub provides get_config when it loads this file

ROOT = Path(__file__).resolve().parents[1]
env = os.environ.get
state = Path(env("KIT_HUB_STATE", str(ROOT / "data" / "hub"))).resolve()
state.mkdir(parents=True, exist_ok=True)
lang = env("KIT_HUB_LANG", "fi")
if lang not in ("fi", "sv", "en"):
    raise SystemExit(f"KIT_HUB_LANG={lang!r}: use fi, sv or en")

# --- where it listens and keeps its state ---------------------------------------------------
c.JupyterHub.bind_url = f"http://{env('KIT_HUB_IP', '127.0.0.1')}:{env('KIT_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("KIT_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('KIT_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
if env("KIT_HUB_PROXY"):
    c.ConfigurableHTTPProxy.command = [env("KIT_HUB_PROXY")]

# --- who may sign in ------------------------------------------------------------------------
auth = env("KIT_HUB_AUTH", "pam")
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
    c.Authenticator.allowed_users = {u for u in env("KIT_HUB_USERS", "").split(",") if u}
else:
    raise SystemExit(f"KIT_HUB_AUTH={auth!r}: use pam, shared or dummy")
c.Authenticator.admin_users = {u for u in env("KIT_HUB_ADMINS", "").split(",") if u}

# --- each user's server: Voilà apps, one shared store ------------------------------------------
simple = env("KIT_HUB_SPAWNER", "local") == "simple"
if simple:
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.notebook_dir = str(ROOT / "notebooks" / lang)
c.Spawner.default_url = "/voila/render/02_form.ipynb"
c.Spawner.args = [
    # as kit serve's voila.json: no sources, no tracebacks, idle kernels culled
    "--VoilaConfiguration.strip_sources=True",
    "--VoilaConfiguration.show_tracebacks=False",
    "--MappingKernelManager.cull_idle_timeout=600",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=True",
]
if simple and os.geteuid() == 0:  # a container run as root: the servers run as the hub does
    c.Spawner.args.append("--allow-root")
shared = state / "shared"
shared.mkdir(exist_ok=True)
c.Spawner.environment = {
    "KIT_LANG": lang,
    "KIT_SELFASSESS_STORE": str(shared / "responses.sqlite3"),
    "KIT_SCORECARD_STORE": str(shared / "checkins.sqlite3"),
}
c.Spawner.mem_limit = env("KIT_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = 1.0
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- idle servers are stopped ---------------------------------------------------------------
cull_after = int(env("KIT_HUB_CULL_AFTER", "3600"))
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull_after}",
                f"--cull-every={max(cull_after // 10, 30)}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
