"""Reference files checked once and kept as plain JSON, so that app kernels stay small.

A Voilà app kernel (the self-assessment form, the live view) needs a few reference tables: the
partners, the criteria and their level descriptors. Reading them through :mod:`kit.loader`
checks them fully, which imports pandas, pandera and pyarrow (about 100 MB per kernel).
:func:`plain` runs that check once and keeps its result as JSON in the cache folder, keyed by
the source files' size and modification time; the next reader with unchanged files gets the
JSON, and a changed file is checked again (a bad one is refused as before, with its file, row
and column). ``kit serve`` makes the snapshots before it starts Voilà, so the kernels only read
them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from kit import files, paths


def stamp(sources: Sequence[Path]) -> list[list]:
    """What identifies the sources' current contents: path, size and modification time."""
    out = []
    for p in sources:
        info = Path(p).stat()
        out.append([str(Path(p).resolve()), info.st_size, info.st_mtime_ns])
    return out


def plain(name: str, sources: Sequence[Path], build: Callable[[], object]) -> object:
    """The JSON-able value ``build()`` makes from ``sources``, from the cache when the sources
    are unchanged since it was made; otherwise ``build()`` runs (checking the files) and its
    value is kept."""
    now = stamp(sources)
    target = paths.cache_dir() / f"checked-{name}.json"
    try:
        kept = json.loads(target.read_text(encoding="utf-8"))
        if kept.get("stamp") == now:
            return kept["value"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    value = build()
    target.parent.mkdir(parents=True, exist_ok=True)
    files.write_text(target, json.dumps({"stamp": now, "value": value}, ensure_ascii=False))
    return value
