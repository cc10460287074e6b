"""Benchmark: a new user's first ten minutes, `make demo` on a fresh clone from nothing.

Each run clones the repository's committed HEAD into a temporary folder and runs `make demo`
there as a new user would: no `uv` on the PATH and empty package caches (so the install
downloads everything), then the demo data, the checks and `kit run`. It records the wall time
of the whole command and of its parts (the install, as `make setup` reports it, and `kit run`,
as the demo's last step reports it), the number of lines the command printed, and how many of
them came from a library's logger (none should). Medians of ``--repeat`` runs; appends to
bench/RESULTS.md.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import arguments, report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: a line a library's logger printed (what the quiet run keeps in reports/run.log)
LIBRARY_LINE = re.compile(
    r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL):(papermill|nbclient|nbconvert|traitlets|jupyter_client)"
)
#: the seconds the demo's `kit run` step reports ("29/29 … (71,3 s)")
RUN_SECONDS = re.compile(r"\((\d+[,.]\d) s\)")


def without_uv(path: str) -> str:
    """``PATH`` without the folders that hold a ``uv`` (a new user's machine has none)."""
    return os.pathsep.join(d for d in path.split(os.pathsep) if d and not (Path(d) / "uv").exists())


def one_run(tmp: Path) -> dict[str, float]:
    """Clone, then `make setup` and `make demo` with cold caches; their times and output."""
    clone = tmp / "kit"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {
        **os.environ,
        "PATH": without_uv(os.environ.get("PATH", "")),
        "UV_CACHE_DIR": str(tmp / "uv-cache"),
        "PIP_NO_CACHE_DIR": "1",
        "PYTHON": shutil.which("python3.11") or shutil.which("python3") or "python3",
    }
    env.pop("VIRTUAL_ENV", None)
    start = time.perf_counter()
    setup = subprocess.run(["make", "setup"], cwd=clone, env=env, capture_output=True, text=True)
    installed = time.perf_counter() - start
    demo = subprocess.run(["make", "demo"], cwd=clone, env=env, capture_output=True, text=True)
    total = time.perf_counter() - start
    if setup.returncode or demo.returncode:
        sys.exit(f"make demo failed:\n{setup.stdout}{setup.stderr}{demo.stdout}{demo.stderr}")
    # what the user saw: both commands' lines, as `make demo` from nothing prints them
    # (tqdm redraws its bar in place with carriage returns: one line on the terminal)
    lines = (setup.stdout + setup.stderr + demo.stdout + demo.stderr).splitlines()
    library = sum(1 for line in lines if LIBRARY_LINE.match(line))
    run_line = [line for line in demo.stdout.splitlines() if "kit run" in line]
    found = RUN_SECONDS.search(run_line[-1]) if run_line else None
    return {
        "total": total,
        "install": installed,
        "rest": total - installed,
        "run": float(found.group(1).replace(",", ".")) if found else float("nan"),
        "lines": len(lines),
        "library": library,
    }


def main() -> int:
    args = arguments(__doc__, repeat=3).parse_args()
    runs = []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(one_run(Path(tmp)))
        print(f"run {i + 1}/{args.repeat}: {runs[-1]}", flush=True)

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    each = ", ".join(f"{r['total']:.0f}" for r in runs)
    rows = [
        ("make demo from nothing on a fresh clone", median("total"), f"runs: {each} s"),
        ("  install (make setup: uv into .venv, then the lock)", median("install"), ""),
        ("  kit demo (data, checks, workshops' steps, kit run)", median("rest"), ""),
        ("  of which kit run, 29 reports", median("run"), ""),
        ("lines printed", median("lines"), f"{median('library'):.0f} from a library's logger"),
    ]
    report(rows, "first run: make demo on a fresh clone", "first_run.py", not args.no_record, 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
