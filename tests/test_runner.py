"""`kit run`: every workshop for every partner, in parallel warm kernels, with reports that hold
no code, a failure that does not stop the others, and atomic, repeatable output."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from kit import paths, runner, workshops
from kit.errors import KitInputError

ROOT = paths.ROOT

TOY = [
    ('partner = "network"\nlang = "fi"\nrecord = ""\ndelay = 0.0', ["parameters"]),
    "import time\nfrom kit import notebook as nb, partners\nnb.start(lang)\ntime.sleep(delay)",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);",
    'if partner == "kiinko":\n    raise ValueError("deliberate failure for kiinko")',
    'leftover = globals().get("secret_from_before", "clean")\nsecret_from_before = partner',
    # pyplot's redraw of open figures after each cell, which the PNG then draws again
    'redraw = [f.__name__ for f in get_ipython().events.callbacks["post_execute"]]\n'
    'redraw = "_draw_all_if_interactive" in redraw',
    'nb.say("ws1.kpis_for", survey="x", period="y")\n'
    'nb.record(record, {"partner": partner, "leftover": leftover, "redraw": redraw})',
]


def make_toy(folder: Path, delay: float = 0.0) -> Path:
    nb = nbformat.v4.new_notebook()
    for cell in TOY:
        source, tags = (cell, []) if isinstance(cell, str) else cell
        code = nbformat.v4.new_code_cell(source.replace("delay = 0.0", f"delay = {delay}"))
        code.metadata = {"tags": tags} if tags else {}
        nb.cells.append(code)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "toy.ipynb"
    nbformat.write(nb, path)
    return path


def toy_jobs(folder: Path, partners_: tuple[str, ...], delay: float = 0.0) -> list[runner.Job]:
    toy = make_toy(folder, delay)
    return [runner.Job("toy", p, "en", source=toy) for p in partners_]


def test_plan_follows_the_registry_and_checks_its_arguments():
    jobs = runner.plan("all", "all", "sv")
    assert {j.partner for j in jobs} == {
        "careeria",
        "live",
        "spesia",
        "kiinko",
        "taitotalo",
        "sdo",
        "network",
    }
    from kit.workshops.spec import NETWORK_ONLY

    assert [j.workshop for j in jobs] == [
        w.name for w in workshops.REGISTRY for _ in range(1 if w.scope == NETWORK_ONLY else 7)
    ]
    assert all(
        j.notebook == paths.notebooks_dir("sv") / f"{workshops.by_name()[j.workshop].report}.ipynb"
        for j in jobs
    )
    with pytest.raises(KitInputError) as info:
        runner.plan("nosuch")
    assert "dashboards" in info.value.message("en")
    with pytest.raises(KitInputError):
        runner.plan("all", "nosuch")


def test_a_network_only_workshop_runs_once(monkeypatch):
    from kit.workshops.spec import NETWORK_ONLY, Workshop

    forum = Workshop("forum", 9, "09_forum", scope=NETWORK_ONLY)
    monkeypatch.setattr(workshops, "REGISTRY", (*workshops.REGISTRY, forum))
    jobs = [j for j in runner.plan("all", "all", "fi") if j.workshop == "forum"]
    assert [j.partner for j in jobs] == ["network"]
    with pytest.raises(KitInputError) as info:
        runner.plan("forum", "sdo", "fi")
    assert "forum" in info.value.message("en")


def test_warm_up_preloads_every_workshop():
    code = runner.warm_up("sv")
    for w in workshops.REGISTRY:
        for module in w.preload:
            assert f"import {module}" in code
        if w.warm:
            assert f"resolve({w.warm!r})('sv')" in code


@pytest.mark.slow
def test_a_failing_partner_is_reported_while_the_others_succeed(tmp_path, kernels):
    jobs = toy_jobs(tmp_path, ("careeria", "kiinko", "sdo", "network"))
    out = tmp_path / "reports"
    outcomes = runner.run(jobs, out, n_jobs=2, lang="en", pool=kernels)
    by = {o.job.partner: o for o in outcomes}
    assert not by["kiinko"].ok and "deliberate failure for kiinko" in by["kiinko"].error
    assert by["kiinko"].cell == 4
    assert all(by[p].ok for p in ("careeria", "sdo", "network"))
    index = (out / "index.html").read_text()
    assert "deliberate failure for kiinko" in index and "✘" in index and index.count("✔") == 3
    for partner in ("careeria", "sdo", "network"):
        # charts still show in a reused kernel (the inline backend survives the reset)
        assert "<img" in (out / "toy" / f"{partner}_en.html").read_text()
        figures = json.loads((out / "toy" / f"{partner}_en.json").read_text())
        # the namespace was reset between notebooks: nothing leaked from an earlier one
        # and each chart was drawn once, as its picture
        assert figures == {"partner": partner, "leftover": "clean", "redraw": False}
    assert not list(out.rglob("*.tmp*"))


#: what each workshop's report holds at least, as images (its charts)
CHARTS = {"dashboards": 4, "self_assessment": 2, "indicators": 2}


@pytest.mark.slow
@pytest.mark.xdist_group("kit_demo")
def test_kit_run_reports_hold_no_code(demo_run):
    """Every report ``kit demo`` ran (each workshop for each partner, in English) holds its
    charts, each with its description as the image's alternative text, and the synthetic
    label; its headline figures are its partner's, and no line of code reaches it.

    The 29 reports ran one after another in two warm kernels, the dashboards reports (which
    make one-page summaries) first: that every later report still has its charts shows that
    no notebook takes the plotting backend away from the next one in a reused kernel."""
    from kit import partners
    from kit.workshops.spec import NETWORK_ONLY

    out = demo_run.reports
    assert (out / "index.html").exists()
    seen = 0
    for w in workshops.REGISTRY:
        nb = nbformat.read(paths.notebooks_dir("en") / f"{w.report}.ipynb", as_version=4)
        code = {
            line.strip()
            for cell in nb.cells
            if cell.cell_type == "code"
            for line in cell.source.splitlines()
            if len(line.strip()) > 20 and not line.strip().startswith("#")
        }
        for who in ["network"] if w.scope == NETWORK_ONLY else partners.ids():
            report = (out / w.name / f"{who}_en.html").read_text()
            assert not [line for line in code if line in report], (w.name, who)
            assert "<script" not in report and "SYNTHETIC" in report, (w.name, who)
            assert report.count("<img") >= CHARTS.get(w.name, 1), (w.name, who)
            # every image described, in the report's language, never nbconvert's placeholder
            images = re.findall(r"<img\b[^>]*>", report)
            alts = [re.search(r'\balt="([^"]*)"', img) for img in images]
            assert all(a and len(a.group(1)) > 20 for a in alts), (w.name, who, images)
            assert "No description has been provided" not in report
            headline = json.loads((out / w.name / f"{who}_en.json").read_text())
            assert headline["partner"] == who
            seen += 1
    assert seen == 29
    assert "Alternative text is missing" not in (out / "run.log").read_text()
    dashboard = (out / "dashboards" / "careeria_en.html").read_text()
    assert "kit-card" in dashboard  # KPI cards
    # a chart's figures (bars, lines) follow it as a table, for readers who cannot see it
    assert "<details><summary>" in dashboard and "the figures as a table" in dashboard
    for who in partners.ids():  # each partner's development plan, as the notebook writes it
        assert (out / "self_assessment" / f"plan_{who}.xlsx").exists(), who


@pytest.mark.slow
@pytest.mark.xdist_group("kit_demo")
def test_kit_run_is_idempotent(tmp_path, kernels, demo_run):
    """Running a partner's reports again over ``kit demo``'s output (a copy of it) rewrites the
    same files with the same figures, and leaves nothing beside them."""
    import shutil

    out = tmp_path / "reports"
    shutil.copytree(demo_run.reports, out)
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    headlines = {p: (out / p).read_text() for p in files if p.suffix == ".json"}
    again = runner.run(runner.plan("all", "sdo", "en"), out, lang="en", pool=kernels)
    assert all(o.ok for o in again), [o.error for o in again]
    assert len(again) == 4  # every workshop that runs per partner
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == files
    assert {p: (out / p).read_text() for p in headlines} == headlines


@pytest.mark.slow
def test_exit_status_and_summary_name_the_failure(tmp_path, monkeypatch, capsys, demo):
    from kit import cli

    jobs = toy_jobs(tmp_path, ("kiinko",))
    monkeypatch.setattr(runner, "plan", lambda *_a, **_k: jobs)
    status = cli.main(["--lang", "en", "run", "--out", str(tmp_path / "r")])
    assert status == 1
    err = capsys.readouterr().err
    assert "toy / kiinko" in err and "code cell 4" in err and "deliberate failure" in err


@pytest.mark.slow
def test_an_interrupted_run_leaves_no_half_written_report(tmp_path, demo):
    toy = make_toy(tmp_path, delay=2.0)
    out = tmp_path / "reports"
    code = (
        f"import sys; from pathlib import Path; from kit import runner, cli; "
        f"runner.plan = lambda *a, **k: [runner.Job('toy', p, 'fi', source=Path({str(toy)!r})) "
        f"for p in ('careeria', 'live', 'spesia', 'kiinko', 'sdo')]; "
        f"sys.exit(cli.main(['run', '--out', {str(out)!r}, '--jobs', '2']))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.time() + 240
    while time.time() < deadline and not list(out.glob("toy/*.json")):
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)
    assert proc.returncode != 0
    leftovers = [p for p in out.rglob("*") if p.is_file() and ".tmp" in p.name]
    assert leftovers == []
    for path in out.rglob("*.ipynb"):
        nbformat.read(path, as_version=4)  # every notebook that exists is whole
    for path in out.rglob("*.json"):
        json.loads(path.read_text())


@pytest.mark.slow
@pytest.mark.xdist_group("kit_demo")
def test_reports_meet_wcag_at_phone_and_laptop_size(demo_run, browser):
    """axe-core finds no WCAG 2.1 A or AA violation in the pages only ``kit demo`` writes: the
    index and a one-page summary of each audience, at a laptop's and a phone's width; each
    page says its language and has a title of its own. Each workshop's report says English
    and has its title too; axe-core checks each workshop's report in Finnish (after nbval)
    and in Swedish (``test_notebooks.py``), from the same template and ``runner.report_html``,
    so a third run here in English found nothing those two do not."""
    from tests.conftest import AXE, LAPTOP, PHONE, audit

    if not AXE.exists():
        pytest.skip("axe-core is not installed (make setup installs it with npm)")
    out = demo_run.reports
    audited = [out / "index.html", *sorted((out / "onepagers").glob("sdo_*.html"))]
    assert len(audited) == 1 + 3
    reports = [out / w.name / "network_en.html" for w in workshops.REGISTRY]
    page = browser.new_page(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
    try:
        for path in reports + audited:
            page.set_viewport_size({"width": LAPTOP[0], "height": LAPTOP[1]})
            page.goto(path.as_uri())
            assert page.evaluate("() => document.documentElement.lang") == "en", path
            assert page.title() and not page.title().endswith(".ipynb"), path
            if path not in audited:
                continue
            found = audit(page)
            page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            found += audit(page)
            assert found == [], (path.name, [(v["id"], v["impact"], v["nodes"]) for v in found])
    finally:
        page.close()
