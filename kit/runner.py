"""Run every workshop notebook for every partner: `kit run`.

The analyst's job after each feedback period, in one command. Notebooks run through papermill's
Python API, up to ``jobs`` at a time, in **warm kernels**: kernels started ahead of time in the
notebooks' folder, with the kit, pandas, matplotlib and the demo data already loaded. A notebook
therefore pays only for its own work. Between two notebooks a kernel's namespace is reset
(as ``%reset -f`` does, figures closed, plot settings and language restored), so no variable survives
from one notebook to the next; ``fresh=True`` uses every kernel for one notebook only, for
complete isolation at the cost of the start-up.

For each workshop and partner the run writes, atomically (a temporary name, then a rename):

* ``<out>/<workshop>/<partner>_<lang>.ipynb`` – the executed notebook;
* ``…​.html`` – a report without code cells (nor tracebacks);
* ``…​.json`` – the headline figures the notebook recorded (:func:`kit.notebook.record`);

and ``<out>/index.html``, a partner × workshop table linking them with each run's status. A
failing notebook does not stop the others: its cell and message go into the index and the
summary. Re-running overwrites the same files; an interrupted run leaves the previous reports
and no half-written file.
"""

from __future__ import annotations

import concurrent.futures as cf
import copy
import datetime as dt
import functools
import json
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kit import files, i18n, partners, paths, templates, workshops
from kit.errors import KitInputError
from kit.i18n import t
from kit.workshops.spec import NETWORK_ONLY, Workshop

KERNEL = "python3"
#: how long a cell's outputs may lag behind its reply (seconds); Voilà's pages get the same
#: from voila.json (``VoilaExecutor.iopub_timeout``)
IOPUB_TIMEOUT = 120

RESET = """
from kit import notebook as _kit_notebook
_kit_notebook.restore_session()
%matplotlib inline
"""


def warm_up(lang: str, chosen: Iterable[Workshop] | None = None) -> str:
    """The code a warm kernel runs once: the plotting backend, the kit, and each workshop's
    ``preload`` modules and ``warm`` function (:class:`~kit.workshops.spec.Workshop`)."""
    chosen = list(workshops.REGISTRY if chosen is None else chosen)
    lines = [
        "import matplotlib",
        "import matplotlib.pyplot as plt",
        "import pandas, seaborn, ipywidgets",
        "%matplotlib inline",
        "import kit",
        "from kit import notebook",
        "from kit.parts import resolve",
    ]
    lines += [f"import {module}" for w in chosen for module in w.preload]
    lines += [f"resolve({w.warm!r})({lang!r})" for w in chosen if w.warm]
    lines.append("notebook.remember_session()")
    return "\n".join(lines)


@dataclass(frozen=True)
class Job:
    """One notebook run: a workshop for a partner in a language.

    ``source`` names another notebook to run instead of the workshop's report (the tests use
    it for small notebooks of their own).
    """

    workshop: str
    partner: str
    lang: str
    source: Path | None = None
    dataset: str = "demo"  # a data set name, or the absolute path of one's own data

    @property
    def notebook(self) -> Path:
        """The notebook this job runs: the workshop's report in the job's language."""
        if self.source is not None:
            return self.source
        report = workshops.by_name()[self.workshop].report
        return paths.notebooks_dir(self.lang) / f"{report}.ipynb"

    @property
    def stem(self) -> str:
        return f"{self.partner}_{self.lang}"

    def files(self, out: Path) -> dict[str, Path]:
        folder = out / self.workshop
        return {kind: folder / f"{self.stem}.{kind}" for kind in ("ipynb", "html", "json")}


@dataclass
class Outcome:
    """What happened to a job: ``ok``, the seconds it took, and where it failed."""

    job: Job
    ok: bool
    seconds: float
    cell: int | None = None  # the failing cell, counted 1, 2, … in the notebook as written
    error: str = ""
    files: dict[str, Path] = field(default_factory=dict)


def plan(
    workshop: str = "all", partner: str = "all", lang: str = "fi", dataset: str = "demo"
) -> list[Job]:
    """The jobs for ``workshop`` (a name or ``all``) × ``partner`` (an id, ``network`` or
    ``all`` = the six and the network) in ``lang``, in registry order. A workshop that runs
    once for the network (``scope``) runs for ``network`` only. Unknown values raise a message
    listing the valid ones.

    ``dataset`` is passed to the notebooks that take it (``-p dataset``). For one's own data
    (a path) ``all`` means the partners that the data has, and the network."""
    known = workshops.by_name()
    if workshop != "all" and workshop not in known:
        raise KitInputError(
            "unknown_value",
            parameter="--workshop",
            value=workshop,
            valid=", ".join(["all", *known]),
        )
    if partner != "all":
        partners.check(partner, parameter="--partner")
    i18n.check_lang(lang)
    chosen = list(known.values()) if workshop == "all" else [known[workshop]]
    present = partners.ids()
    from kit import datasets  # the data only for checking one's own data set

    if dataset not in datasets.NAMES:
        where = datasets._path(datasets.check(dataset))
        assert where is not None  # check() refused a name that is neither
        dataset = str(where.resolve())
        have = set(datasets.load(dataset).providers["y_tunnus"])
        present = [
            p
            for p in partners.ids()
            if p == partners.NETWORK or set(partners.y_tunnukset(p)) & have
        ]
    jobs = []
    for w in chosen:
        ids = [partners.NETWORK] if w.scope == NETWORK_ONLY else present
        wanted = ids if partner == "all" else [p for p in ids if p == partner]
        if not wanted and workshop != "all":
            raise KitInputError(
                "run_network_only", parameter="--partner", value=partner, workshop=w.name
            )
        jobs += [Job(w.name, p, lang, dataset=dataset) for p in wanted]
    return jobs


#: the libraries whose log lines a run keeps in its log file rather than on the terminal
LIBRARIES = ("papermill", "nbclient", "nbconvert", "traitlets", "jupyter_client")
#: set (to anything) to keep the libraries' log lines on the terminal (``--verbose``)
VERBOSE_ENV = "KIT_VERBOSE"


def log_path(out: str | Path) -> Path:
    """Where a run into ``out`` keeps the libraries' log lines: ``run.log`` there."""
    return Path(out) / "run.log"


def keep_library_log(path: Path) -> bool:
    """From now on, for the rest of the process, the log lines of :data:`LIBRARIES`
    (papermill's progress, nbconvert's and jupyter_client's warnings, including those a kernel
    client logs when it is collected after the run) go to ``path``, not to the terminal, so
    that a command prints the kit's own lines only. Returns whether they do: not when
    ``KIT_VERBOSE`` is set (``--verbose``)."""
    if os.environ.get(VERBOSE_ENV):
        return False
    kept = [
        h
        for h in logging.getLogger(LIBRARIES[0]).handlers
        if isinstance(h, logging.FileHandler) and h.baseFilename == os.path.abspath(path)
    ]
    if kept:
        return True  # already kept there (kit demo keeps them from its start)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()  # a read-only folder: nothing to keep them in
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in LIBRARIES:
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.propagate = False
        logger.setLevel(logging.INFO)
    return True


def prepare(chosen: Iterable[Workshop] | None = None) -> None:
    """Make sure the demo data of every chosen workshop exists (before kernels look for it)."""
    for w in workshops.REGISTRY if chosen is None else chosen:
        w.call("demo")


# --- warm kernels -------------------------------------------------------------------------------


class KernelPool:
    """Kernels started ahead of time with the kit loaded, handed out one notebook at a time.

    ``size`` kernels are kept warm; :meth:`take` waits for one. :meth:`give_back` resets it for
    the next notebook, or (``fresh``, or after a failure) shuts it down and starts a new one in
    the background.
    """

    def __init__(
        self,
        size: int,
        cwd: Path,
        fresh: bool = False,
        lang: str = "fi",
        warm: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.cwd = cwd
        self.fresh = fresh
        self.warm_up = warm if warm is not None else warm_up(lang)
        self.env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", **(env or {})}
        self._ready: queue.Queue = queue.Queue()
        self._all: list = []
        self._lock = threading.Lock()
        self._closed = False
        # the kernels talk over Unix sockets in a folder of their own, not TCP ports: a port
        # that jupyter_client picked can be taken by another process's kernel (Voilà's, a
        # second run's) before this one binds it, and the kernel dies at its start
        self._sockets = Path(tempfile.mkdtemp(prefix="kit-kernels-"))
        self._starters = [
            threading.Thread(target=self._start_one, daemon=True) for _ in range(size)
        ]
        for thread in self._starters:
            thread.start()

    def _start_one(self) -> None:
        from jupyter_client.manager import KernelManager

        km = KernelManager(
            kernel_name=KERNEL, transport="ipc", ip=str(self._sockets / uuid.uuid4().hex[:12])
        )
        # the kernels' own start-up chatter (an ipykernel TCP notice) is not the user's concern;
        # what a notebook prints reaches its outputs through the protocol, not stderr
        km.start_kernel(cwd=str(self.cwd), stderr=subprocess.DEVNULL, env=self.env)
        with self._lock:
            if self._closed:
                km.shutdown_kernel(now=True)
                return
            self._all.append(km)
        try:
            _execute(km, self.warm_up)
        except Exception as exc:  # noqa: BLE001 - a broken kernel is reported, not raised here
            self._ready.put(exc)
            return
        self._ready.put(km)

    def take(self, timeout: float = 300):
        """A warm kernel manager (waits until one is ready)."""
        got = self._ready.get(timeout=timeout)
        if isinstance(got, Exception):
            raise RuntimeError(f"a kernel failed to start: {got}") from got
        return got

    def give_back(self, km, healthy: bool) -> None:
        """Reset ``km`` for the next notebook, or replace it."""
        if healthy and not self.fresh and km.is_alive():
            try:
                _execute(km, RESET)
                self._ready.put(km)
                return
            except Exception:  # noqa: BLE001 - replace a kernel that cannot be reset
                pass
        self._retire(km)
        if not self._closed:
            threading.Thread(target=self._start_one, daemon=True).start()

    def _retire(self, km) -> None:
        with self._lock:
            if km in self._all:
                self._all.remove(km)
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - it is going away anyway
            pass

    def close(self) -> None:
        """Shut every kernel down."""
        with self._lock:
            self._closed = True
            kernels = list(self._all)
            self._all.clear()
        for km in kernels:
            try:
                km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001
                pass
        shutil.rmtree(self._sockets, ignore_errors=True)


def _execute(km, code: str, timeout: float = 300) -> None:
    """Run ``code`` in the kernel of ``km`` and raise if it fails."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda _msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()


# --- running ------------------------------------------------------------------------------------


def workers(jobs: Sequence[Job], n_jobs: int | None = None) -> int:
    """How many notebooks a run of ``jobs`` runs at a time: ``n_jobs``, by default the number
    of cores, and never more than there are jobs."""
    return max(1, min(n_jobs or os.cpu_count() or 1, len(jobs) or 1))


def start(
    jobs: Sequence[Job],
    out: str | Path | None = None,
    n_jobs: int | None = None,
    fresh: bool = False,
    prepared: bool = True,
) -> KernelPool:
    """The warm kernels for a run of ``jobs`` into ``out``, starting now: the workshops' demo
    data made first, then :func:`workers` kernels warmed with the workshops the jobs run, in
    the background. ``kit demo`` starts them before its own steps, so that they warm while it
    checks the files; :func:`run` starts its own when it is given none. Close it with
    :meth:`KernelPool.close`.

    ``prepared=False`` leaves the demo data to the kernels' warm-up (each workshop's ``warm``
    makes what it needs, one kernel at a time), so that the caller goes on at once."""
    out = Path(out) if out is not None else paths.reports_dir()
    out.mkdir(parents=True, exist_ok=True)
    names = {j.workshop for j in jobs}
    chosen = [w for w in workshops.REGISTRY if w.name in names]
    if prepared:
        prepare(chosen)
    lang = jobs[0].lang if jobs else "fi"
    # a run's kernels warm only the workshops it runs
    return KernelPool(
        workers(jobs, n_jobs),
        paths.ROOT / "notebooks",
        fresh=fresh,
        lang=lang,
        warm=warm_up(lang, chosen),
        env={"KIT_REPORTS_DIR": str(out.resolve())},
    )


def run(
    jobs: Sequence[Job],
    out: str | Path | None = None,
    n_jobs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
    fresh: bool = False,
    lang: str | None = None,
    pool: KernelPool | None = None,
) -> list[Outcome]:
    """Run ``jobs`` with up to ``n_jobs`` at a time (default: the number of cores), write each
    job's files and the index, and return the outcomes in the order of ``jobs``.

    ``out`` defaults to :func:`kit.paths.reports_dir`; the kernels write what notebooks save
    (self-assessment plans, for example) under it too. ``pool`` lends kernels that someone else
    keeps warm (the test suite keeps one for the whole session); otherwise the run starts its
    own and shuts them down at the end.
    """
    out = Path(out) if out is not None else paths.reports_dir()
    own = pool is None
    if pool is None:
        pool = start(jobs, out, n_jobs, fresh=fresh)
    else:
        out.mkdir(parents=True, exist_ok=True)
        known = workshops.by_name()
        prepare([known[j.workshop] for j in jobs if j.workshop in known])
    outcomes: dict[Job, Outcome] = {}
    try:
        with cf.ThreadPoolExecutor(max_workers=workers(jobs, n_jobs)) as threads:
            futures = {threads.submit(_run_one, job, out, pool): job for job in jobs}
            for future in cf.as_completed(futures):
                outcome = future.result()
                outcomes[outcome.job] = outcome
                if progress:
                    progress(outcome)
    finally:
        if own:
            pool.close()
        write_index([outcomes[j] for j in jobs if j in outcomes], out, lang)
    return [outcomes[j] for j in jobs]


@functools.cache
def _parameters(notebook: Path) -> frozenset[str]:
    """The names a notebook's ``parameters`` cell sets."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    names: set[str] = set()
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            names |= {
                line.split("=")[0].strip()
                for line in cell.source.splitlines()
                if "=" in line and not line.lstrip().startswith("#")
            }
    return frozenset(names)


def _takes(notebook: Path, name: str) -> bool:
    return name in _parameters(notebook)


def _run_one(job: Job, out: Path, pool: KernelPool) -> Outcome:
    import nbformat
    import papermill as pm

    targets = job.files(out)
    healthy, cell, error = True, None, ""
    with (
        files.atomic(targets["ipynb"]) as nb_tmp,
        files.atomic(targets["html"]) as html_tmp,
        files.atomic(targets["json"]) as json_tmp,
    ):
        km = pool.take()
        # the report's clock starts with a warm kernel: a kernel's start and warm-up are the
        # run's (the summary's total), not the first report's on each worker
        started = time.perf_counter()
        nb = None
        try:
            nb = pm.execute_notebook(
                str(job.notebook),
                str(nb_tmp),
                kernel_name=KERNEL,
                # written once at the end (a failing notebook too): not after every cell, which
                # papermill does for a notebook followed as it runs (two writes of every cell's
                # pictures, a fifth of the run's own time), nor read back then
                request_save_on_cell_execute=False,
                parameters={
                    "partner": job.partner,
                    "lang": job.lang,
                    "record": str(json_tmp),
                    **({"dataset": job.dataset} if _takes(job.notebook, "dataset") else {}),
                },
                km=km,
                progress_bar=False,
                log_output=False,
                execution_timeout=900,
                # on a machine busy with other work a cell's last output can come seconds
                # after its reply: wait for it (nbclient's 4 s fails the report)
                iopub_timeout=IOPUB_TIMEOUT,
            )
        except pm.PapermillExecutionError as exc:
            healthy = False
            cell, error = exc.cell_index, f"{exc.ename}: {exc.evalue}"
        except Exception as exc:  # noqa: BLE001 - a kernel that died or timed out
            healthy = False
            error = f"{type(exc).__name__}: {exc}"
        finally:
            pool.give_back(km, healthy)
        if nb is not None or nb_tmp.exists():
            try:
                if nb is None:
                    nb = nbformat.read(nb_tmp, as_version=4)
                if cell is not None:
                    cell = failing_cell(nb)
                nb.metadata.pop("widgets", None)
                nbformat.write(nb, nb_tmp)
                html_tmp.write_text(
                    report_html(nb, title=_title(job), lang=job.lang), encoding="utf-8"
                )
            except Exception as exc:  # noqa: BLE001 - a report that cannot be made is a failure
                error = error or f"{type(exc).__name__}: {exc}"
        if not json_tmp.exists():  # the notebook recorded nothing (or failed first)
            json_tmp.write_text(json.dumps({"ok": not error, "error": error}), encoding="utf-8")
    return Outcome(
        job,
        ok=not error,
        seconds=time.perf_counter() - started,
        cell=cell,
        error=error,
        files=targets,
    )


def failing_cell(nb) -> int | None:
    """The failing cell as the attendee counts: the notebook's own code cells, from 1 (the
    cell papermill injects and its error banners are not counted)."""
    number = 0
    for c in nb.cells:
        if c.cell_type != "code" or "injected-parameters" in c.metadata.get("tags", []):
            continue
        number += 1
        if any(o.get("output_type") == "error" for o in c.get("outputs", [])):
            return number
    return None


def _title(job: Job) -> str:
    return (
        f"{workshop_label(job.workshop, job.lang)} · {partners.display_name(job.partner, job.lang)}"
    )


def workshop_label(workshop: str, lang: str | None = None) -> str:
    """The workshop's name in ``lang`` (its id when it is not registered)."""
    known = workshops.by_name().get(workshop)
    return t(known.label_key(), lang) if known is not None else workshop


# --- reports ------------------------------------------------------------------------------------


def report_html(nb, title: str = "", lang: str | None = None) -> str:
    """A code-free HTML page of an executed notebook: no input cells, no tracebacks, and an
    interactive widget replaced by a note that it lives in the app."""
    import nbformat
    from nbconvert import HTMLExporter

    clean = copy.deepcopy(nb)
    for cell in clean.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                note = templates.render("run_error.html.j2", ename=o.ename, evalue=o.evalue)
            elif "application/vnd.jupyter.widget-view+json" in o.get("data", {}):
                note = templates.render("run_widget.html.j2", lang=lang)
            elif o.output_type == "stream" and o.name == "stderr":
                continue
            else:
                outputs.append(o)
                # a chart's figures, kept as a table for readers who cannot see it
                # (kit.notebook.install_chart_descriptions), follow the chart
                figures = o.get("metadata", {}).get("image/png", {}).get("kit_figures")
                if figures:
                    outputs.append(
                        nbformat.v4.new_output("display_data", data={"text/html": figures})
                    )
                continue
            outputs.append(nbformat.v4.new_output("display_data", data={"text/html": note}))
        cell.outputs = outputs
    clean.metadata.pop("widgets", None)
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(clean)
    return templates.render("report.html.j2", title=title, body=body, lang=i18n.check_lang(lang))


def write_index(outcomes: Iterable[Outcome], out: Path, lang: str | None = None) -> Path:
    """``index.html``: a partner × workshop table with each run's status and links, and the
    label of one's own data set where the runs used one."""
    outcomes = list(outcomes)
    own = sorted({o.job.dataset for o in outcomes} - {"demo", "national"})
    data_label = ""
    if own:
        from kit import datasets

        data_label = " · ".join(datasets.load(d).label(lang) for d in own)
    rows = sorted({o.job.partner for o in outcomes}, key=lambda p: partners.ids().index(p))
    cols = [w for w in workshops.names() if any(o.job.workshop == w for o in outcomes)]
    cols += sorted({o.job.workshop for o in outcomes} - set(cols))
    cell = {(o.job.partner, o.job.workshop): o for o in outcomes}
    table = []
    for p in rows:
        cells: list[dict[str, object] | None] = []
        for w in cols:
            o = cell.get((p, w))
            if o is None:
                cells.append(None)
                continue
            links = [
                (k, f"{w}/{o.files[k].name}") for k in ("html", "ipynb", "json") if k in o.files
            ]
            cells.append(
                {
                    "ok": o.ok,
                    "links": links,
                    "seconds": o.seconds,
                    "where": t("run.cell", lang, cell=o.cell) if o.cell is not None else "",
                    "error": o.error[:300],
                }
            )
        table.append((partners.display_name(p, lang), cells))
    failed = sum(1 for o in outcomes if not o.ok)
    page = templates.render(
        "run_index.html.j2",
        lang=i18n.check_lang(lang),
        heads=[workshop_label(w, lang) for w in cols],
        rows=table,
        data_label=data_label,
        summary=t(
            "run.index_summary",
            lang,
            ok=len(outcomes) - failed,
            failed=failed,
            when=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        ),
    )
    return files.write_text(out / "index.html", page)
