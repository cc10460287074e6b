"""`kit run`: every workshop for every partner, in parallel warm kernels, with reports that hold
no code, a failure that does not stop the others, and atomic, repeatable output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from kit import runner
from kit.errors import KitInputError

ROOT = Path(__file__).resolve().parent.parent

TOY = [
    ('partner = "network"\nlang = "fi"\nrecord = ""\ndelay = 0.0', ["parameters"]),
    'import time\nfrom kit import notebook as nb, partners\nnb.start(lang)\ntime.sleep(delay)',
    'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);',
    'if partner == "kiinko":\n    raise ValueError("deliberate failure for kiinko")',
    'leftover = globals().get("secret_from_before", "clean")\nsecret_from_before = partner',
    'nb.say("ws1.reflect")\nnb.record(record, {"partner": partner, "leftover": leftover})',
]


def make_toy(folder: Path, delay: float = 0.0) -> Path:
    nb = nbformat.v4.new_notebook()
    for cell in TOY:
        source, tags = (cell, []) if isinstance(cell, str) else cell
        code = nbformat.v4.new_code_cell(source.replace("delay = 0.0", f"delay = {delay}"))
        code.metadata = {"tags": tags} if tags else {}
        nb.cells.append(code)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / "toy.ipynb"
    nbformat.write(nb, path)
    return path


def test_plan_checks_its_arguments():
    jobs = runner.plan("all", "all", "sv")
    assert {j.partner for j in jobs} == {"careeria", "live", "spesia", "kiinko", "taitotalo",
                                          "sdo", "network"}
    assert {j.workshop for j in jobs} == set(runner.WORKSHOPS)
    with pytest.raises(KitInputError) as info:
        runner.plan("nosuch")
    assert "dashboards" in info.value.message("en")
    with pytest.raises(KitInputError):
        runner.plan("all", "nosuch")


@pytest.mark.slow
def test_a_failing_partner_is_reported_while_the_others_succeed(tmp_path, monkeypatch, demo):
    monkeypatch.setitem(runner.WORKSHOPS, "toy", str(make_toy(tmp_path)))
    jobs = [runner.Job("toy", p, "en") for p in ("careeria", "kiinko", "sdo", "network")]
    out = tmp_path / "reports"
    outcomes = runner.run(jobs, out, n_jobs=2, lang="en")
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
        assert figures == {"partner": partner, "leftover": "clean"}
    assert not list(out.rglob("*.tmp*"))


@pytest.mark.slow
def test_kit_run_writes_code_free_reports_and_is_idempotent(tmp_path, demo):
    out = tmp_path / "reports"
    cmd = [sys.executable, "-m", "kit", "--lang", "en", "run", "--partner", "sdo",
           "--out", str(out), "--jobs", "2"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stderr
    assert "index.html" in first.stdout
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert Path("dashboards/sdo_en.html") in files and Path("index.html") in files
    report = (out / "dashboards" / "sdo_en.html").read_text()
    nb = nbformat.read(ROOT / "notebooks" / "01_dashboards.ipynb", as_version=4)
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if len(line.strip()) > 20 and not line.strip().startswith("#"):
                assert line.strip() not in report, line
    assert "<script" not in report and "SYNTHETIC" in report and "<img" in report
    headline = json.loads((out / "dashboards" / "sdo_en.json").read_text())
    assert headline["partner"] == "sdo" and headline["synthetic"] is True
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stderr
    again = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert again == files
    assert json.loads((out / "dashboards" / "sdo_en.json").read_text()) == headline


@pytest.mark.slow
def test_exit_status_and_summary_name_the_failure(tmp_path, monkeypatch, demo, capsys):
    from kit import cli

    monkeypatch.setitem(runner.WORKSHOPS, "toy", str(make_toy(tmp_path)))
    status = cli.main(["--lang", "en", "run", "--workshop", "toy", "--partner", "kiinko",
                       "--out", str(tmp_path / "r")])
    assert status == 1
    err = capsys.readouterr().err
    assert "toy / kiinko" in err and "cell 4" in err and "deliberate failure" in err


@pytest.mark.slow
def test_an_interrupted_run_leaves_no_half_written_report(tmp_path, demo):
    toy = make_toy(tmp_path, delay=2.0)
    out = tmp_path / "reports"
    code = (f"import sys; from kit import runner, cli; runner.WORKSHOPS['toy'] = {str(toy)!r}; "
            f"sys.exit(cli.main(['run', '--workshop', 'toy', '--out', {str(out)!r}, "
            f"'--jobs', '2']))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
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
def test_charts_survive_a_reused_kernel(tmp_path, demo):
    """Notebooks one after another in the same warm kernel all keep their charts (the
    dashboards notebook makes a one-page summary, which must not take the plotting backend
    away from the next notebook)."""
    jobs = [runner.Job("dashboards", "careeria", "en"), runner.Job("self_assessment", "live", "en")]
    outcomes = runner.run(jobs, tmp_path, n_jobs=1)
    assert all(o.ok for o in outcomes)
    for job in jobs:
        assert (tmp_path / job.workshop / f"{job.stem}.html").read_text().count("<img") >= 2
