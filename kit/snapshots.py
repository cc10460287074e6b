"""Reference files checked once and kept as plain JSON, so that app kernels stay small.

A Voilà app kernel (the self-assessment form, the live view) needs a few reference tables: the
partners, the criteria and their level descriptors. Reading them through :mod:`kit.loader`
checks them fully, which imports pandas, pandera and pyarrow (about 100 MB per kernel).
:func:`plain` runs that check once and keeps its result as JSON in the cache folder, keyed by
the source files' size and modification time; the next reader with unchanged files gets the
JSON, and a changed file is checked again (a bad one is refused as before, with its file, row
and column). ``kit serve`` makes the snapshots before it starts Voilà, so the kernels only read
them.

:func:`kept` does the same for an object the kit computed (the dashboard app's model, the
work-based-learning demo model), as a pickle keyed also by the kit's code, so that thirty
pre-warmed dashboard kernels, or a run's report kernels, load a model instead of each cutting
it out of the data again.

:func:`remember` keeps a model in a process's memory. All three key what they keep by the
privacy threshold too: a model of protected figures made at 5 is never served after the
threshold is raised to 10 (with ``KIT_PRIVACY_THRESHOLD`` or :func:`kit.privacy.set_threshold`).
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Hashable, Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

from kit import files, paths
from kit.threshold import threshold

T = TypeVar("T")


def remember(memory: dict, key: tuple[Hashable, ...], build: Callable[[], T], limit: int = 8) -> T:
    """``build()``'s value for ``key``, kept in ``memory`` (a module's dict) for the life of
    the process, keyed also by the privacy threshold; ``memory`` is emptied when it holds
    ``limit`` values."""
    full = (threshold(), *key)
    if full not in memory:
        if len(memory) >= limit:
            memory.clear()
        memory[full] = build()
    return memory[full]


def stamp(sources: Sequence[Path]) -> list[list]:
    """What identifies the sources' current contents: path, size and modification time."""
    out = []
    for p in sources:
        info = Path(p).stat()
        out.append([str(Path(p).resolve()), info.st_size, info.st_mtime_ns])
    return out


def plain(name: str, sources: Sequence[Path], build: Callable[[], T]) -> T:
    """The JSON-able value ``build()`` makes from ``sources``, from the cache when the sources
    are unchanged since it was made; otherwise ``build()`` runs (checking the files) and its
    value is kept."""
    # an upgraded check checks again; a changed privacy threshold makes it again
    now = [code_stamp(), threshold(), *stamp(sources)]
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


@cache
def code_stamp() -> str:
    """A fingerprint of the kit's own source and its catalogue: a kept model is made again when
    the code that made it changes, or the words it holds (its labels, its regions' names)."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for source in sorted([*root.rglob("*.py"), *root.rglob("*.toml")]):
        digest.update(source.relative_to(root).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def kept(
    name: str, sources: Sequence[Path], build: Callable[[], T], key: Sequence[Hashable] = ()
) -> T:
    """Like :func:`plain` for a Python object the kit made itself (a dashboard model of
    protected figures), kept as a pickle in the cache folder and made again when the sources,
    the kit's code or ``key`` (what else the object depends on, such as the day) change. Only
    the kit writes these files; nothing from outside is unpickled."""
    now: list = [code_stamp(), threshold(), *stamp(sources), *key]
    digest = hashlib.sha256(repr(now).encode()).hexdigest()[:16]
    target = paths.cache_dir() / f"kept-{name}-{digest}.pickle"
    try:
        return pickle.loads(target.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    with files.locked(f"kept-{name}"):
        if target.exists():
            try:
                return pickle.loads(target.read_bytes())
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass
        value = build()
        for old in paths.cache_dir().glob(f"kept-{name}-*.pickle"):
            old.unlink(missing_ok=True)
        files.write_bytes(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value
