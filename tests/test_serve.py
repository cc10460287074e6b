"""`make serve`: plain Voilà over notebooks/ renders the start notebook as an app."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def voila_url(demo):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(ROOT / "notebooks"), "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1"],
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


def test_start_notebook_renders_as_an_app(voila_url):
    page = urllib.request.urlopen(f"{voila_url}/voila/render/00_start_here.ipynb",
                                  timeout=180).read().decode("utf-8")
    # Voilà 0.5 embeds the executed notebook as JSON, with non-ASCII escaped
    assert "Aloita t\\u00e4st\\u00e4" in page
    assert "SYNTEETTINEN DEMOAINEISTO" in page
    assert '"output_type": "error"' not in page and "Traceback" not in page
    assert "nb.start(lang)" not in page  # sources are stripped
    assert "image/png" in page
