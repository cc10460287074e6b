"""Shared fixtures: a private work folder, the demo data, warm kernels, Voilà, and file writers.

**The tree stays as it was.** Before any test runs, everything the kit builds or writes goes to
one temporary folder for the whole session (removed at the end): the demo and national data,
the cache of privacy decisions (``KIT_WORK_DIR``), reports and plans (``KIT_REPORTS_DIR``) and
the workshop's response store (``KIT_STORE_SELF_ASSESSMENT``). Kernels, Voilà and subprocesses
inherit these. With ``pytest-xdist`` the workers share the folder the first process made.
"""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

if "KIT_TEST_WORK" not in os.environ:
    os.environ["KIT_TEST_WORK"] = tempfile.mkdtemp(prefix="kit-tests-")
    atexit.register(shutil.rmtree, os.environ["KIT_TEST_WORK"], ignore_errors=True)
WORK = Path(os.environ["KIT_TEST_WORK"])
os.environ["KIT_WORK_DIR"] = str(WORK / "work")
os.environ["KIT_REPORTS_DIR"] = str(WORK / "reports")
os.environ["KIT_STORE_SELF_ASSESSMENT"] = str(WORK / "store" / "responses.sqlite3")
os.environ["KIT_STORE_ANTICIPATION"] = str(WORK / "store" / "forum.sqlite3")
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(
    WORK / "hypothesis"
)  # its caches, not .hypothesis/
os.environ.pop("KIT_DATA_DIR", None)
os.environ.pop("KIT_PRIVACY_THRESHOLD", None)
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
# two test workers, Voilà's and the runner's kernels share two cores: one BLAS thread each,
# or their thread pools oversubscribe the cores (kernels and subprocesses inherit this)
for _blas in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_blas, "1")

from hypothesis import settings  # noqa: E402 - after the environment above

settings.register_profile("kit", database=None)  # no example database in the tree
settings.load_profile("kit")

from kit import datasets, paths  # noqa: E402

ROOT = paths.ROOT
REAL_COUNTS = paths.reference_dir() / "opiskelijapalaute_vahvistetut_2020_2021.csv"


@pytest.fixture(scope="session")
def demo():
    """The synthetic demo data set, with everything the workshops' demos need (built once,
    in the session's work folder)."""
    from kit import runner

    runner.prepare()
    return datasets.load("demo")


@pytest.fixture
def small_country(demo, monkeypatch):
    """The demo data stands in for the national data set, so that the thresholds 6–10 are
    decided in seconds (the national data's chain of decisions takes minutes); for tests of
    what a raised threshold reaches, not of the country. What is decided and kept meanwhile
    goes to a cache folder of its own, shared by these tests only: no other test is served a
    model made with the stand-in."""
    load = datasets.load

    def loading(name="demo", **options):
        return load("demo" if name == "national" else name, **options)

    monkeypatch.setattr(datasets, "load", loading)
    monkeypatch.setattr(paths, "cache_dir", lambda: WORK / "small_country_cache")
    return demo


@pytest.fixture(scope="session")
def real_rows() -> list[list[str]]:
    """The real confirmed-counts file as rows of text, header first."""
    with REAL_COUNTS.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def kit_command(*args: str) -> list[str]:
    """The command line of ``kit`` run as a user runs it, in this environment."""
    return [sys.executable, "-m", "kit", *args]


def write_csv(path: Path, rows: list[list[str]], sep: str = ",", encoding: str = "utf-8") -> Path:
    """Write ``rows`` as CSV with the given separator and encoding."""
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=sep).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """Write ``rows`` as an Excel sheet, numbers as numbers (as Excel would keep them)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(
            [int(c) if c.isdigit() and (c == "0" or not c.startswith("0")) else c for c in row]
        )
    book.save(path)
    return path


# --- notebooks in warm kernels ------------------------------------------------------------------


@pytest.fixture(scope="session")
def kernels(demo):
    """One warm kernel for the session (per xdist worker), lent to every notebook test: the
    runner's own pool, so the tests run notebooks as ``kit run`` does. It warms the imports
    only, not each workshop's models: these notebooks come in all three languages and a few
    workshops on each worker, so each builds what it needs in the kernel (as in JupyterLab),
    where warming every workshop in Finnish cost each worker about 9 s for models no test
    used."""
    from kit import runner

    pool = runner.KernelPool(1, ROOT / "notebooks", warm=runner.warm_up("fi", []))
    yield pool
    pool.close()


class Ran:
    """An executed notebook: its cells, all outputs and the saved text."""

    def __init__(self, path: Path) -> None:
        import nbformat

        self.path = path
        self.nb = nbformat.read(path, as_version=4)
        self.text = path.read_text(encoding="utf-8")
        self.outputs = [o for c in self.nb.cells for o in c.get("outputs", [])]

    @property
    def errors(self) -> list:
        return [o for o in self.outputs if o.output_type == "error"]

    @property
    def images(self) -> int:
        return sum(1 for o in self.outputs if "image/png" in o.get("data", {}))


@pytest.fixture
def execute(kernels, tmp_path):
    """``execute(notebook, **parameters)`` runs a notebook in the session's warm kernel (as
    ``kit run`` does) and returns a :class:`Ran`; a failing cell raises papermill's error after
    the output is saved (``execute.last`` is then the failed notebook)."""
    import papermill as pm

    from kit import runner

    def run(notebook: Path, **parameters) -> Ran:
        out = tmp_path / f"{Path(notebook).stem}-{len(list(tmp_path.glob('*.ipynb')))}.ipynb"
        km = kernels.take()
        healthy = True
        try:
            pm.execute_notebook(
                str(notebook),
                str(out),
                parameters=parameters,
                km=km,
                kernel_name="python3",
                request_save_on_cell_execute=False,  # as kit run: written once, at the end
                progress_bar=False,
                log_output=False,
                execution_timeout=600,
                iopub_timeout=runner.IOPUB_TIMEOUT,
            )
        except pm.PapermillExecutionError:
            healthy = True  # a notebook's own error leaves the kernel usable
            run.last = Ran(out)
            raise
        except Exception:
            healthy = False
            raise
        finally:
            kernels.give_back(km, healthy)
        return Ran(out)

    run.last = None
    return run


# --- Voilà --------------------------------------------------------------------------------------


class Served(str):
    """The server's URL, with the path of the store its form writes to."""

    store: Path


#: the tests' Voilà preheats no kernel: each app is drawn when a test opens it, and no kernel
#: is drawn for nobody (a preheated dashboard refilled after each use, and its last one was
#: never opened); the configuration's pools are checked separately, and preheated pools run in
#: the join-code test (``kit serve --room 1``)
TEST_POOLS = '--VoilaKernelManager.kernel_pools_config={"default": {"pool_size": 0}}'


@pytest.fixture(scope="session")
def served(demo, tmp_path_factory):
    """`kit serve`'s Voilà on a free loopback port, with the checked-in configuration; the
    self-assessment form writes to a store of its own (``served.store``)."""
    import socket
    import subprocess
    import time
    import urllib.request

    from kit import serve

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    store = tmp_path_factory.mktemp("store") / "responses.sqlite3"
    scorecard = tmp_path_factory.mktemp("scorecard") / "checkins.sqlite3"
    votes = tmp_path_factory.mktemp("votes") / "votes.sqlite3"
    forum = tmp_path_factory.mktemp("forum") / "forum.sqlite3"
    env = {
        **os.environ,
        "KIT_STORE_SELF_ASSESSMENT": str(store),
        "KIT_STORE_INDICATORS": str(scorecard),
        "KIT_STORE_WORK_BASED_LEARNING": str(votes),
        "KIT_STORE_ANTICIPATION": str(forum),
    }
    with log.open("w") as out:
        proc = subprocess.Popen(
            serve.command(port, extra=[TEST_POOLS]),
            cwd="/",
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = Served(f"http://127.0.0.1:{port}")
    url.store = store
    url.scorecard = scorecard
    url.votes = votes
    url.forum = forum
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "/voila/api/contents", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"Voilà stopped: {log.read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("Voilà did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- kit demo, once -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_run(demo):
    """``kit --lang en demo`` as ``make demo`` runs it, once per session: in a copy of the
    session's work folder without its privacy decisions, with reports and state of its own.
    Returns the finished process with ``reports``, ``work`` and ``state``, its folders, and
    ``fresh``, the privacy decisions it had to make afresh (:func:`kit.privacy.decide` keeps
    each one it makes in the cache folder and none it finds among the shipped ones in
    ``data/decisions``). ``bench/first_run.py`` measures a first run from nothing.

    Tests that use it share one xdist group; should one be left out of it, its worker waits
    for the run and reads what it printed rather than running it again (two runs cost the
    suite two minutes and wrote the same reports at once)."""
    import json
    import subprocess

    from kit import files

    home = WORK / "demo_run"
    work, reports = home / "work", home / "reports"
    state = work / "state"
    kept = home / "run.json"
    with files.locked("tests-demo-run"):
        if not kept.exists():
            # the session's work folder as it is, but for its privacy decisions: whatever
            # kit demo must decide it keeps in its own cache, which the test reads
            try:
                shutil.copytree(
                    paths.work_dir(),
                    work,
                    ignore=lambda _folder, names: [
                        n
                        for n in names
                        if n.startswith("pattern-") or n.endswith(".lock") or ".tmp" in n
                    ],
                )
            except shutil.Error:
                pass  # a cache file another test replaced meanwhile: kit demo makes it again
            done = subprocess.run(
                kit_command("--lang", "en", "demo"),
                capture_output=True,
                text=True,
                timeout=1200,
                env={
                    **os.environ,
                    "KIT_WORK_DIR": str(work),
                    "KIT_REPORTS_DIR": str(reports),
                },
            )
            kept.write_text(
                json.dumps([done.returncode, done.stdout, done.stderr]), encoding="utf-8"
            )
    returncode, stdout, stderr = json.loads(kept.read_text(encoding="utf-8"))
    proc = subprocess.CompletedProcess(
        kit_command("--lang", "en", "demo"), returncode, stdout, stderr
    )
    proc.reports, proc.work, proc.state = reports, work, state
    proc.fresh = sorted(p.name for p in (work / ".cache").glob("pattern-*.npz"))
    return proc


# --- each Voilà page rendered once --------------------------------------------------------------


def chromium() -> str | None:
    """Debian's chromium, or ``None`` (then browser tests skip locally and fail in CI)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
    return None


@pytest.fixture(scope="session")
def chromium_browser():
    """Playwright driving Debian's chromium (no browser download), or ``None`` without one."""
    path = chromium()
    if path is None:
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def browser(chromium_browser):
    """The session's chromium; the test skips when this machine has none."""
    if chromium_browser is None:
        pytest.skip("no chromium on this machine (apt install chromium)")
    return chromium_browser


class Page:
    """One app as the server sent it (``html``) and as the browser showed it (``text``); in a
    browser also what axe-core found at each size (``violations``, by width), the page's
    ``title`` and ``lang``, and how wide its content is at a phone's width (``phone_width``)."""

    def __init__(self, html: str, text: str | None) -> None:
        self.html, self.text = html, text
        self.violations: dict[int, list[dict]] = {}
        self.title = self.lang = ""
        self.phone_width = self.null_titles = 0
        #: the controls, cells and pictures that lie beyond the screen's sides, by width
        self.offscreen: dict[int, list[str]] = {}


#: axe-core, installed by ``make setup`` from npm (as configurable-http-proxy is)
AXE = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: the sizes every app is checked at: a phone (390 × 844) and a laptop
PHONE, LAPTOP = (390, 844), (1280, 900)
#: the narrowest width the apps are checked at: WCAG 2.1's reflow (1.4.10), 320 CSS pixels
NARROW = 320
#: a laptop's 1280 px screen zoomed to 200 % (WCAG 2.1's resize text, 1.4.4) lays the page out
#: in 640 CSS pixels
ZOOMED = LAPTOP[0] // 2
#: what a person would have to scroll sideways to reach: a control, a table cell, a picture or
#: a card whose box lies beyond the screen's left or right edge (hidden ones have no box)
OFFSCREEN = """() => Array.from(document.querySelectorAll(
    'button, select, input, textarea, td, th, svg, img, .kit-card'))
  .filter(e => { const r = e.getBoundingClientRect();
                 return r.width > 0 && r.height > 0 && (r.right > innerWidth + 1 || r.left < -1); })
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + '.' + String(e.className.baseVal ?? e.className)
            .split(' ').slice(0, 2).join('.') + ' ' + Math.round(e.getBoundingClientRect().left)
            + '–' + Math.round(e.getBoundingClientRect().right))"""
#: WCAG 2.0 and 2.1, levels A and AA: what EN 301 549 (and so Finland's act 306/2019) asks
AXE_RUN = """async () => {
  const found = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return found.violations.map(v => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '')),
  }));
}"""


def axe_available() -> bool:
    """Whether axe-core is installed; in CI its absence is a failure, not a skip."""
    if AXE.exists():
        return True
    if os.environ.get("CI") == "true":
        pytest.fail("axe-core is missing: make setup installs it with npm")
    return False


def audit(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def audit_report(chromium_browser, nb, lang: str, folder: Path) -> list[dict] | None:
    """axe-core's WCAG 2.1 A/AA violations in the report ``kit run`` writes of the executed
    notebook ``nb`` (:func:`kit.runner.report_html`), at a laptop's and a phone's width; the
    page must say ``lang``. ``None`` where this machine has no chromium or axe-core (then CI
    fails instead)."""
    from kit import runner

    if chromium_browser is None or not axe_available():
        return None
    path = folder / f"report_{lang}.html"
    title = nb.metadata.get("title", "")
    path.write_text(runner.report_html(nb, title, lang), encoding="utf-8")
    page = chromium_browser.new_page(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
    try:
        page.goto(path.as_uri())
        assert page.evaluate("() => document.documentElement.lang") == lang
        # axe counts any alt text; a chart's must be the kit's own description
        found = [
            {"id": "kit-image-description", "impact": "serious", "nodes": [alt]}
            for alt in page.evaluate("() => Array.from(document.images, i => i.alt)")
            if len(alt.strip()) < 20 or "No description has been provided" in alt
        ]
        # and each chart's figures follow it as a table (charts.keep_figures); a picture
        # inside a page the report shows (a one-page summary) is described in its text
        tables = page.locator("details table.kit-figures").count()
        images = page.locator(".output_png img").count()
        if tables < images:
            found.append(
                {"id": "kit-figures-table", "impact": "serious", "nodes": [f"{tables}/{images}"]}
            )
        found += audit(page)
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        return found + audit(page)
    finally:
        page.close()


def served_notebooks() -> list[str]:
    """The notebooks the browser test opens in Voilà: every workshop's apps and the start
    page."""
    from kit import workshops

    apps = {a.filename for a in workshops.apps()}
    return sorted(
        p.name
        for p in paths.notebooks_dir("fi").glob("*.ipynb")
        if p.name in apps or p.name.startswith("00_")
    )


@pytest.fixture(scope="session")
def rendered(served, chromium_browser) -> dict[str, Page]:
    """Every Finnish app (and the start page) opened once in Voilà: in chromium when there is
    one (the server's HTML and the rendered text), else fetched over HTTP (the HTML only).
    The workshops' report notebooks are not rendered here: nbval runs each of them cell by
    cell and ``kit demo`` for every partner, and running them a third time in Voilà cost the
    suite about a minute and a half."""
    import urllib.request

    names = served_notebooks()
    pages: dict[str, Page] = {}
    if chromium_browser is None:
        for name in names:
            url = f"{served}/voila/render/{name}"
            pages[name] = Page(urllib.request.urlopen(url, timeout=240).read().decode(), None)
        return pages
    audits = axe_available()
    # a few notebooks at a time: Voilà runs their kernels side by side, so one notebook's
    # kernel start and the browser's work overlap another's execution
    batch = 4
    for start in range(0, len(names), batch):
        opened = []
        for name in names[start : start + batch]:
            page = chromium_browser.new_page(viewport={"width": 1280, "height": 900})
            response = page.goto(
                f"{served}/voila/render/{name}", timeout=240_000, wait_until="commit"
            )
            opened.append((name, page, response))
        for name, page, response in opened:
            # the page's own signals first, each with a time limit; only then the body Voilà
            # streamed, which is whole by now (read first, a page whose kernel died at its
            # start left the suite waiting for a body that never ended)
            page.locator(".jp-OutputArea-output:visible").first.wait_for(timeout=240_000)
            page.wait_for_load_state("networkidle", timeout=240_000)
            page.wait_for_function(
                "() => !document.querySelector('.voila-spinner') || "
                "document.querySelector('.voila-spinner').offsetParent === null",
                timeout=240_000,
            )
            shown = Page(response.text(), page.inner_text("body"))
            shown.title = page.title()
            shown.lang = page.evaluate("() => document.documentElement.lang")
            # ipywidgets writes title="null" on a description without a tooltip; one that
            # shows is read out and pops up as "null"
            shown.null_titles = page.locator('[title="null"]:visible').count()
            if audits:
                # the laptop first, then the same page at a phone's width (its layout follows
                # the width, and a second kernel for the phone would cost the suite time)
                shown.violations[LAPTOP[0]] = audit(page)
                page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
                shown.violations[PHONE[0]] = audit(page)
                shown.phone_width = page.evaluate("() => document.documentElement.scrollWidth")
                shown.offscreen[PHONE[0]] = page.evaluate(OFFSCREEN)
                # a laptop at 200 % zoom, then the narrowest screen WCAG's reflow asks for
                # (320 px, or 1280 px at 400 %)
                page.set_viewport_size({"width": ZOOMED, "height": LAPTOP[1] // 2})
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
                shown.offscreen[ZOOMED] = page.evaluate(OFFSCREEN)
                page.set_viewport_size({"width": NARROW, "height": PHONE[1]})
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
                shown.offscreen[NARROW] = page.evaluate(OFFSCREEN)
            pages[name] = shown
            page.close()
    return pages


@pytest.fixture(autouse=True)
def _fresh_language_and_threshold():
    """An in-process ``kit --lang en ...`` or a raised threshold does not leak into the next
    test."""
    yield
    from kit import i18n, privacy

    i18n.set_language(i18n.DEFAULT_LANG)
    privacy.set_threshold(None)


@pytest.hookimpl(tryfirst=True)  # before xdist turns groups into node ids
def pytest_collection_modifyitems(config, items):
    """nbval runs a notebook cell by cell, in one kernel: keep each notebook's cells together
    on one xdist worker, in order. nbval leaves out the notebooks that already run in Finnish
    elsewhere: each app's, in Voilà (``test_browser.py``, every app) and in English in a
    kernel (``test_notebooks.py::test_apps_render_their_widgets``), and the start page's, in
    Voilà and in each language in a kernel (``test_start_notebook_in_each_language``); a
    third run tested nothing more and cost the suite time."""
    from kit import workshops

    elsewhere = {a.filename for a in workshops.apps()} | {"00_start_here.ipynb"}
    skipped = [
        item
        for item in items
        if ".ipynb::" in item.nodeid and Path(item.nodeid.split("::")[0]).name in elsewhere
    ]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if item not in skipped]
    for item in items:
        if ".ipynb::" in item.nodeid:
            item.add_marker(
                pytest.mark.xdist_group(f"nbval_{Path(item.nodeid.split('::')[0]).stem}")
            )
    # a test of what nbval's run of a notebook showed (``nbval_notebook``) runs right after
    # its last cell, on the same worker
    for item in [i for i in items if i.get_closest_marker("after_nbval")]:
        stem = item.get_closest_marker("after_nbval").args[0]
        cells = [i for i in items if i.nodeid.startswith(f"notebooks/fi/{stem}.ipynb::")]
        if cells:
            items.remove(item)
            items.insert(items.index(cells[-1]) + 1, item)
            item.add_marker(pytest.mark.xdist_group(f"nbval_{stem}"))


def nbval_notebook(session, stem: str):
    """The Finnish notebook ``stem`` as nbval ran it in this session (``--nbval-lax``, in a
    fresh kernel, with its default parameters): its cells with the outputs they made, or
    ``None`` where nbval did not run all of them here (a test marked ``after_nbval(stem)``
    runs after them, on their worker)."""
    import copy

    cells = [i for i in session.items if i.nodeid.startswith(f"notebooks/fi/{stem}.ipynb::")]
    if not cells or any(getattr(i, "test_outputs", None) is None for i in cells):
        return None
    nb = copy.deepcopy(cells[0].parent.nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell, item in zip(code, cells):
        cell.outputs = []
        for out in item.test_outputs:
            out = copy.deepcopy(out)
            if out.output_type == "execute_result":  # nbval keeps no execution count
                out.output_type = "display_data"
            cell.outputs.append(out)
    return nb
