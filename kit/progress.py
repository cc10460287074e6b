"""Progress bars for long runs on the command line (tqdm, on standard error).

The bar disappears when done and stays silent when standard error is no terminal (CI logs,
pipes), so it never mixes with what a command prints.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqdm import tqdm


def bar(total: int, desc: str) -> tqdm:
    """A progress bar of ``total`` steps labelled ``desc`` (use as a context manager)."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit="",
        leave=False,
        file=sys.stderr,
        disable=None,
        bar_format="{desc} {bar} {n_fmt}/{total_fmt}",
    )
