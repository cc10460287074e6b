"""Shared fixtures: the real counts file, the demo data set, and file writers for bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kit import datasets, paths

REAL_COUNTS = paths.reference_dir() / "opiskelijapalaute_vahvistetut_2020_2021.csv"


@pytest.fixture(scope="session")
def demo():
    """The synthetic demo data set (built once if missing)."""
    return datasets.load("demo")


@pytest.fixture(scope="session")
def real_rows() -> list[list[str]]:
    """The real confirmed-counts file as rows of text, header first."""
    with REAL_COUNTS.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


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
        sheet.append([int(c) if c.isdigit() and (c == "0" or not c.startswith("0")) else c for c in row])
    book.save(path)
    return path


class Served(str):
    """The server's URL, with the path of the store its form writes to."""

    store: Path


@pytest.fixture(scope="session")
def served(demo, tmp_path_factory):
    """`kit serve`'s Voilà on a free loopback port, with the checked-in configuration; the
    self-assessment form writes to a store of its own (``served.store``)."""
    import os
    import socket
    import subprocess
    import time
    import urllib.request

    from kit import serve

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = Path(paths.ROOT / "tests" / ".voila-test.log")
    store = tmp_path_factory.mktemp("store") / "responses.sqlite3"
    env = {**os.environ, "KIT_SELFASSESS_STORE": str(store)}
    with log.open("w") as out:
        proc = subprocess.Popen(serve.command(port), cwd="/", stdout=out, stderr=subprocess.STDOUT,
                                env=env)
    url = Served(f"http://127.0.0.1:{port}")
    url.store = store
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
        log.unlink(missing_ok=True)
