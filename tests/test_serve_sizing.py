"""How `kit serve --room N` sizes and checks its pools: one pool per app from the registry,
memory reckoned from the measured kernels, a room too big refused, the configuration's
hardening, and a broken data file stopping the server before Voilà starts."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from kit import app, paths, serve, workshops
from kit.errors import KitInputError
from tests.conftest import kit_command


def test_room_pools_follow_the_registry():
    pools = serve.room_pools(30)
    for w in workshops.REGISTRY:
        for a in w.apps:
            want = serve.FACILITATOR_POOL if a.audience == "facilitator" else 33
            assert pools[a.filename]["pool_size"] == want
    only = serve.room_pools(30, serve.chosen(["self_assessment"]))
    assert only["01_dashboard_app.ipynb"]["pool_size"] == 0
    assert only["02_form.ipynb"]["pool_size"] == 33 and only["02_live.ipynb"]["pool_size"] == 2
    assert serve.room_pools(0)["02_form.ipynb"]["pool_size"] == 0
    with pytest.raises(KitInputError):
        serve.chosen(["nope"])


def test_memory_is_reckoned_from_the_measured_kernels():
    which = serve.chosen(["self_assessment"])
    form_mb = next(a.kernel_mb for a in which[0].apps if a.notebook == "02_form")
    live_mb = next(a.kernel_mb for a in which[0].apps if a.notebook == "02_live")
    console_mb = workshops.CORE_APPS[0].kernel_mb
    # 33 warm forms + 2 warm live views and consoles + 30 forms in use + the two servers
    assert (
        serve.memory_needed(30, which)
        == 33 * form_mb + 2 * live_mb + 2 * console_mb + 30 * form_mb + 2 * serve.SERVER_MB
    )


def test_a_room_too_big_for_the_machine_is_refused_with_what_to_do(monkeypatch):
    monkeypatch.setattr(serve, "available_mb", lambda: 8000)
    which = serve.chosen()
    with pytest.raises(KitInputError) as err:
        serve.check_room(30, which)
    text = err.value.message("en")
    fits = int(text.split("--room ")[-1].split(")")[0])
    assert 0 < fits < 30
    assert serve.memory_needed(fits, which) <= 8000 * serve.MEMORY_SHARE
    assert serve.memory_needed(fits + 1, which) > 8000 * serve.MEMORY_SHARE
    assert "--workshop self_assessment" in text and "JupyterHub" in text
    assert serve.check_room(fits, which) == serve.memory_needed(fits, which)


def test_the_room_configuration_keeps_the_hardening(tmp_path):
    target = serve.room_config(12, serve.chosen(["dashboards"]), tmp_path, fill_delay=7)
    config = json.loads(target.read_text())
    base = json.loads(serve.CONFIG.read_text())
    assert config["VoilaConfiguration"] == base["VoilaConfiguration"]
    assert config["MappingKernelManager"] == base["MappingKernelManager"]
    pools = config["VoilaKernelManager"]["kernel_pools_config"]
    assert pools["01_dashboard_app.ipynb"]["pool_size"] == 14
    assert config["VoilaKernelManager"]["fill_delay"] == 7


def test_only_a_prewarmed_kernel_marks_itself_ready(tmp_path, monkeypatch):
    monkeypatch.setenv(app.READY_ENV, str(tmp_path))
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    assert app.mark_ready("02_form") is None
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert app.mark_ready("02_form").exists()
    assert serve.warm_count(tmp_path) == {"02_form": 1}


def test_a_broken_criteria_file_stops_kit_serve_before_voila_starts(tmp_path):
    """The app kernels read the criteria's snapshot; kit serve checks the file first, and a
    bad one is refused in one line with file, row and column, before anything is served."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(
        paths.data_dir(),
        data,
        ignore=shutil.ignore_patterns(
            "demo", "national", ".cache", "selfassess", "scorecard", "hub"
        ),
    )
    text = (data / "criteria.csv").read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace(",high,", ",urgent,").replace(",normal,", ",urgent,")
    (data / "criteria.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    env = {**os.environ, "KIT_DATA_DIR": str(data), "KIT_WORK_DIR": str(tmp_path / "work")}
    out = subprocess.run(
        kit_command(
            "--lang", "en", "serve", "--room", "2", "--workshop", "self_assessment", "--port", "1"
        ),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    message = out.stderr.strip().splitlines()[-1]
    assert "criteria.csv" in message and "row 4" in message and "priority" in message
    assert "Voilà starting" not in out.stdout
