"""Run every workshop notebook for every partner: `kit run`.

The analyst's job after each feedback period, in one command. Notebooks run through papermill's
Python API, up to ``jobs`` at a time, in **warm kernels**: kernels started ahead of time in the
notebooks' folder, with the kit, pandas, matplotlib and the demo data already loaded. A notebook
therefore pays only for its own work. Between two notebooks a kernel's namespace is reset
(``%reset -f``, figures closed, plot settings and language restored), so no variable survives
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
import html
import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from kit import i18n, partners, paths
from kit.errors import KitInputError
from kit.i18n import t

#: workshop name → its notebook in ``notebooks/``
WORKSHOPS: dict[str, str] = {"dashboards": "01_dashboards.ipynb",
                              "self_assessment": "02_self_assessment.ipynb"}
KERNEL = "python3"
WARM_UP = """
import matplotlib
import matplotlib.pyplot as plt
import pandas, seaborn, ipywidgets
%matplotlib inline
import kit
from kit import cards, charts, dashboard, dashboard_view, datasets, funding, funding_view
from kit import notebook, onepager, partners, privacy, surveys, selfassess, assessment
selfassess.demo_store()
dashboard.build(datasets.load("demo"), lang={lang!r})
notebook.remember_session()
"""
RESET = """
%reset -f
from kit import notebook as _kit_notebook
_kit_notebook.restore_session()
del _kit_notebook
%matplotlib inline
"""


@dataclass(frozen=True)
class Job:
    """One notebook run: a workshop for a partner in a language."""

    workshop: str
    partner: str
    lang: str

    @property
    def notebook(self) -> Path:
        name = Path(WORKSHOPS[self.workshop])
        return name if name.is_absolute() else paths.ROOT / "notebooks" / name

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


def plan(workshop: str = "all", partner: str = "all", lang: str = "fi") -> list[Job]:
    """The jobs for ``workshop`` (a name or ``all``) × ``partner`` (an id, ``network`` or
    ``all`` = the six and the network) in ``lang``. Unknown values raise a message listing the
    valid ones."""
    if workshop != "all" and workshop not in WORKSHOPS:
        raise KitInputError("unknown_value", parameter="--workshop", value=workshop,
                            valid=", ".join(["all", *WORKSHOPS]))
    if partner != "all":
        partners.check(partner, parameter="--partner")
    i18n.check_lang(lang)
    names = list(WORKSHOPS) if workshop == "all" else [workshop]
    ids = partners.ids() if partner == "all" else [partner]
    return [Job(w, p, lang) for w in names for p in ids]


# --- warm kernels -------------------------------------------------------------------------------

class KernelPool:
    """Kernels started ahead of time with the kit loaded, handed out one notebook at a time.

    ``size`` kernels are kept warm; :meth:`take` waits for one. :meth:`give_back` resets it for
    the next notebook, or (``fresh``, or after a failure) shuts it down and starts a new one in
    the background.
    """

    def __init__(self, size: int, cwd: Path, fresh: bool = False, lang: str = "fi") -> None:
        self.cwd = cwd
        self.fresh = fresh
        self.warm_up = WARM_UP.format(lang=lang)
        self._ready: queue.Queue = queue.Queue()
        self._all: list = []
        self._lock = threading.Lock()
        self._closed = False
        self._starters = [threading.Thread(target=self._start_one, daemon=True)
                          for _ in range(size)]
        for thread in self._starters:
            thread.start()

    def _start_one(self) -> None:
        from jupyter_client.manager import KernelManager

        km = KernelManager(kernel_name=KERNEL)
        # the kernels' own start-up chatter (an ipykernel TCP notice) is not the user's concern;
        # what a notebook prints reaches its outputs through the protocol, not stderr
        km.start_kernel(cwd=str(self.cwd), stderr=subprocess.DEVNULL,
                        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
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

def run(jobs: Sequence[Job], out: str | Path = "reports", n_jobs: int | None = None,
        progress: Callable[[Outcome], None] | None = None, fresh: bool = False,
        lang: str | None = None) -> list[Outcome]:
    """Run ``jobs`` with up to ``n_jobs`` at a time (default: the number of cores), write each
    job's files and the index, and return the outcomes in the order of ``jobs``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n_jobs = max(1, min(n_jobs or os.cpu_count() or 1, len(jobs) or 1))
    from kit import datasets

    datasets.ensure("demo")  # build the demo data once, before the kernels look for it
    datasets.benchmark()
    from kit import selfassess

    selfassess.demo_store()
    pool = KernelPool(n_jobs, paths.ROOT / "notebooks", fresh=fresh,
                      lang=jobs[0].lang if jobs else "fi")
    outcomes: dict[Job, Outcome] = {}
    try:
        with cf.ThreadPoolExecutor(max_workers=n_jobs) as workers:
            futures = {workers.submit(_run_one, job, out, pool): job for job in jobs}
            for future in cf.as_completed(futures):
                outcome = future.result()
                outcomes[outcome.job] = outcome
                if progress:
                    progress(outcome)
    finally:
        pool.close()
        write_index([outcomes[j] for j in jobs if j in outcomes], out, lang)
    return [outcomes[j] for j in jobs]


def _run_one(job: Job, out: Path, pool: KernelPool) -> Outcome:
    import papermill as pm

    files = job.files(out)
    files["ipynb"].parent.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}-{threading.get_ident()}"
    tmp = {k: p.with_name(f".{p.stem}.{tag}.tmp.{k}") for k, p in files.items()}
    started = time.perf_counter()
    km = pool.take()
    healthy, cell, error = True, None, ""
    try:
        try:
            pm.execute_notebook(str(job.notebook), str(tmp["ipynb"]), kernel_name=KERNEL,
                                parameters={"partner": job.partner, "lang": job.lang,
                                            "record": str(tmp["json"])},
                                km=km, progress_bar=False, log_output=False,
                                execution_timeout=900)
        except pm.PapermillExecutionError as exc:
            healthy = False
            cell, error = exc.cell_index, f"{exc.ename}: {exc.evalue}"
        except Exception as exc:  # noqa: BLE001 - a kernel that died or timed out
            healthy = False
            error = f"{type(exc).__name__}: {exc}"
        finally:
            pool.give_back(km, healthy)
        if tmp["ipynb"].exists():
            try:
                nb = nbformat.read(tmp["ipynb"], as_version=4)
                if cell is not None:  # as the attendee counts: the notebook's own cells, from 1
                    cell = 1 + sum(1 for c in nb.cells[:cell]
                                   if "injected-parameters" not in c.metadata.get("tags", []))
                nb.metadata.pop("widgets", None)
                nbformat.write(nb, tmp["ipynb"])
                tmp["html"].write_text(report_html(nb, title=_title(job)), encoding="utf-8")
            except Exception as exc:  # noqa: BLE001 - a report that cannot be made is a failure
                error = error or f"{type(exc).__name__}: {exc}"
        if not tmp["json"].exists():
            tmp["json"].write_text(json.dumps({"ok": False, "error": error}), encoding="utf-8")
        for kind, path in tmp.items():
            if path.exists():
                path.replace(files[kind])
    finally:
        for path in tmp.values():
            path.unlink(missing_ok=True)
    return Outcome(job, ok=not error, seconds=time.perf_counter() - started, cell=cell,
                   error=error, files=files)


def _title(job: Job) -> str:
    return f"{workshop_label(job.workshop, job.lang)} · " \
           f"{partners.display_name(job.partner, job.lang)}"


def workshop_label(workshop: str, lang: str | None = None) -> str:
    """The workshop's name in ``lang`` (its id when the catalogue has none)."""
    key = f"run.workshop.{workshop}"
    return t(key, lang) if i18n.has(key) else workshop


# --- reports ------------------------------------------------------------------------------------

REPORT_CSS = """
body{font-family:system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 16px;
 color:#222;line-height:1.45}
img{max-width:100%}table{border-collapse:collapse;font-size:13px}
td,th{padding:3px 8px;border-bottom:1px solid #e5e5e5;text-align:right}
.kit-error{color:#b42318;font-weight:600}
"""


def report_html(nb, title: str = "") -> str:
    """A code-free HTML page of an executed notebook: no input cells, no tracebacks, and an
    interactive widget replaced by a note that it lives in the app."""
    from nbconvert import HTMLExporter

    clean = copy.deepcopy(nb)
    for cell in clean.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                outputs.append(nbformat.v4.new_output(
                    "display_data", data={"text/html": f'<p class="kit-error">'
                                          f"{html.escape(o.ename)}: {html.escape(o.evalue)}</p>"}))
            elif "application/vnd.jupyter.widget-view+json" in o.get("data", {}):
                outputs.append(nbformat.v4.new_output(
                    "display_data", data={"text/html": f"<p><em>{html.escape(t('run.widget_note'))}"
                                          f"</em></p>"}))
            elif o.output_type == "stream" and o.name == "stderr":
                continue
            else:
                outputs.append(o)
        cell.outputs = outputs
    clean.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(clean)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title><style>{REPORT_CSS}</style></head><body>{body}</body></html>")


def write_index(outcomes: Iterable[Outcome], out: Path, lang: str | None = None) -> Path:
    """``index.html``: a partner × workshop table with each run's status and links."""
    outcomes = list(outcomes)
    rows = sorted({o.job.partner for o in outcomes}, key=lambda p: partners.ids().index(p))
    cols = [w for w in WORKSHOPS if any(o.job.workshop == w for o in outcomes)]
    cell = {(o.job.partner, o.job.workshop): o for o in outcomes}
    head = "".join(f"<th>{html.escape(workshop_label(w, lang))}</th>" for w in cols)
    body = []
    for p in rows:
        tds = []
        for w in cols:
            o = cell.get((p, w))
            if o is None:
                tds.append("<td>–</td>")
                continue
            rel = {k: f"{w}/{v.name}" for k, v in o.files.items()}
            links = " · ".join(f'<a href="{html.escape(rel[k])}">{k}</a>'
                               for k in ("html", "ipynb", "json") if k in rel)
            if o.ok:
                tds.append(f'<td class="ok">✔ <a href="{html.escape(rel["html"])}">'
                           f'{html.escape(t("run.report", lang))}</a><br><small>{links} · '
                           f"{o.seconds:.1f} s</small></td>")
            else:
                where = t("run.cell", lang, cell=o.cell) if o.cell is not None else ""
                tds.append(f'<td class="bad">✘ {html.escape(where)} '
                           f"<code>{html.escape(o.error[:300])}</code><br><small>{links}</small></td>")
        body.append(f"<tr><th>{html.escape(partners.display_name(p, lang))}</th>{''.join(tds)}</tr>")
    failed = sum(1 for o in outcomes if not o.ok)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    page = (
        f'<!DOCTYPE html><html lang="{i18n.check_lang(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(t('run.index_title', lang))}</title><style>{REPORT_CSS}"
        "td.ok{background:#effaf1}td.bad{background:#fdf0ef}td{text-align:left;vertical-align:top}"
        "</style></head><body>"
        f"<h1>{html.escape(t('run.index_title', lang))}</h1>"
        f"<p>{html.escape(t('run.index_summary', lang, ok=len(outcomes) - failed, failed=failed, when=stamp))}</p>"
        f"<table><tr><th></th>{head}</tr>{''.join(body)}</table></body></html>")
    target = out / "index.html"
    tmp = out / f".index.html.{os.getpid()}.tmp"
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    return target
