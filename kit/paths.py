"""Where the kit finds its data and writes what it builds, whatever the working directory.

Notebooks run with their own folder as working directory under Voilà, with the caller's under
papermill and with the repository root under ``make``; paths are therefore resolved from the
package, never from the working directory.

These environment variables move things elsewhere (the tests set the first three, and the state
folder follows the work folder, so that a test run leaves the working tree as it found it):

* ``KIT_DATA_DIR`` – the data the kit reads: registries, the question bank, the real reference
  figures (default ``data/``);
* ``KIT_WORK_DIR`` – what the kit builds: the synthetic demo and national data, the cache of
  privacy decisions and the workshop's response store (default: the data folder);
* ``KIT_REPORTS_DIR`` – reports, plans and other outputs (default ``reports/``);
* ``KIT_STATE_DIR`` – the rooms' stores (default ``state/`` in the work folder).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the notebook languages, one folder each under notebooks/ and exercises/ (fi is the default)
LANG_FOLDERS = ("fi", "sv", "en")


def data_dir() -> Path:
    """The data folder: ``$KIT_DATA_DIR`` or ``data/`` in the repository."""
    return Path(os.environ.get("KIT_DATA_DIR", ROOT / "data"))


def work_dir() -> Path:
    """Where built data, caches and the response store go: ``$KIT_WORK_DIR`` or the data
    folder."""
    env = os.environ.get("KIT_WORK_DIR")
    return Path(env) if env else data_dir()


def reference_dir() -> Path:
    """Real public figures vendored from Vipunen."""
    return data_dir() / "reference"


def demo_dir() -> Path:
    """The synthetic demo data for the six partners (built by ``kit demo-data``)."""
    return work_dir() / "demo"


def national_dir() -> Path:
    """The synthetic national-scale data (154 providers, built by ``kit demo-data --scale national``)."""
    return work_dir() / "national"


def state_dir() -> Path:
    """Where the rooms keep their stores (a workshop's answers, ballots and signals) and their
    demo stores: ``$KIT_STATE_DIR`` or ``state/`` in the work folder. Ignored by git: a
    workshop day never changes a versioned file."""
    env = os.environ.get("KIT_STATE_DIR")
    return Path(env) if env else work_dir() / "state"


def cache_dir() -> Path:
    """Decisions and condensed tables kept between processes (safe to delete)."""
    return work_dir() / ".cache"


def reports_dir() -> Path:
    """Reports and other outputs: ``$KIT_REPORTS_DIR`` or ``reports/`` in the repository."""
    return Path(os.environ.get("KIT_REPORTS_DIR", ROOT / "reports"))


def notebooks_dir(lang: str = "fi", root: Path | None = None) -> Path:
    """The workshop notebooks in ``lang`` (``notebooks/fi``, ``notebooks/sv``, ``notebooks/en``)
    of the repository (or of ``root``)."""
    return (root or ROOT) / "notebooks" / lang


def exercises_dir(lang: str = "fi", solutions: bool = False, root: Path | None = None) -> Path:
    """The exercises in ``lang``, or their solutions (kept apart under ``exercises/solutions``),
    of the repository (or of ``root``)."""
    return (root or ROOT) / "exercises" / ("solutions" if solutions else "") / lang


def relative(path: Path) -> str:
    """``path`` relative to the repository when it is inside it, for short messages."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
