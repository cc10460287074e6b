"""Where the kit finds its data, whatever the working directory.

Notebooks run with their own folder as working directory under Voilà, with the caller's under
papermill and with the repository root under ``make``; paths are therefore resolved from the
package, never from the working directory. ``KIT_DATA_DIR`` points the kit at another data folder
(tests use it to work on a copy).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The data folder: ``$KIT_DATA_DIR`` or ``data/`` in the repository."""
    return Path(os.environ.get("KIT_DATA_DIR", ROOT / "data"))


def reference_dir() -> Path:
    """Real public figures vendored from Vipunen."""
    return data_dir() / "reference"


def demo_dir() -> Path:
    """The synthetic demo data for the six partners (built by ``kit demo-data``)."""
    return data_dir() / "demo"


def national_dir() -> Path:
    """The synthetic national-scale data (154 providers, built by ``kit demo-data --scale national``)."""
    return data_dir() / "national"


def relative(path: Path) -> str:
    """``path`` relative to the repository when it is inside it, for short messages."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
