"""A real browser on the Voilà app: the dashboard opens, a slicer changes, the KPI cards follow.

Playwright drives Debian's chromium (``executable_path``), so nothing is downloaded at run time;
`.ci/run` installs the package. Without a chromium the test is skipped locally and fails in CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
    pytest.skip("no chromium on this machine (apt install chromium)")


@pytest.fixture(scope="module")
def voila(demo):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(ROOT / "notebooks"), "--no-browser",
         f"--port={port}", "--Voila.ip=127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/voila/api/contents", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("Voilà did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.mark.slow
def test_slicer_change_changes_a_kpi(voila, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{voila}/voila/render/01_dashboards.ipynb?lang=en", timeout=240_000)
    app = page.locator(".kit-dashboard")
    app.wait_for(timeout=240_000)
    respondents = app.locator('.kit-card[data-kpi="0"] .v')
    respondents.wait_for(timeout=60_000)
    before = respondents.inner_text()
    assert before.strip() not in ("", "–")
    partner = app.locator("select").first
    partner.select_option(label="Suomen Diakoniaopisto (SDO)")
    page.wait_for_function(
        """([sel, old]) => {
             const el = document.querySelector(sel);
             return el && el.innerText.trim() !== old.trim();
           }""",
        arg=['.kit-dashboard .kit-card[data-kpi="0"] .v', before], timeout=60_000)
    after = respondents.inner_text()
    assert after != before
    assert "SYNTEETTINEN" in app.inner_text() or "SYNTHETIC" in app.inner_text()
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert "Traceback" not in page.content()
