"""Make ``data/decisions``: the privacy decisions of the bundled synthetic data, made ahead.

A first ``make demo`` would otherwise spend most of its minute deciding what to hide in the
synthetic national data (154 providers), in the demo's monthly answers and in its work periods.
These decisions depend only on the data, which the generator makes the same way from its seed,
and on the algorithm, so they can be made once and shipped. :func:`kit.privacy.decide` finds
one by the same key as its cache (a digest of the data, the threshold, the chain and
``kit/suppression.py``), so a shipped decision is used only for exactly what it was made for.

This tool builds the demo and national data in a temporary work folder, prepares and warms
every workshop as ``kit run``'s kernels do (in each language), takes ``kit demo``'s steps and
runs every report once, and keeps each decision that made: the old ones are removed. Run it (``make decisions``) after changing
``kit/suppression.py`` or the data generator; ``tests/test_privacy.py`` says when it is due.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "data" / "decisions"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kit-decisions-") as tmp:
        os.environ["KIT_WORK_DIR"] = str(Path(tmp) / "work")
        os.environ["KIT_STATE_DIR"] = str(Path(tmp) / "state")
        os.environ["KIT_REPORTS_DIR"] = str(Path(tmp) / "reports")
        os.environ.pop("KIT_PRIVACY_THRESHOLD", None)
        os.environ.pop("KIT_DATA_DIR", None)
        sys.path.insert(0, str(ROOT))
        old = sorted(TARGET.glob("pattern-*.npz"))
        for path in old:
            path.unlink()  # made afresh: none of the old ones may answer
        from kit import i18n, paths, runner, workshops
        from kit.parts import resolve

        runner.keep_library_log(Path(tmp) / "run.log")
        runner.prepare()
        for lang in i18n.LANGS:
            for w in workshops.REGISTRY:
                if w.warm:
                    resolve(w.warm)(lang)
        reports = paths.reports_dir()
        for w in workshops.REGISTRY:  # kit demo's own steps
            w.call("showcase", "fi", reports)
        # and every report once (a decision is the data's, whichever partner a report is for)
        runner.run(runner.plan("all", "careeria") + runner.plan("anticipation"), reports)
        made = sorted(paths.cache_dir().glob("pattern-*.npz"))
        TARGET.mkdir(parents=True, exist_ok=True)
        for path in made:
            shutil.copy2(path, TARGET / path.name)
    size = sum(p.stat().st_size for p in TARGET.glob("pattern-*.npz"))
    print(f"data/decisions: {len(made)} decisions ({size / 1024:.0f} kB), {len(old)} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
