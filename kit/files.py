"""Writing files so that each appears whole or not at all: the one helper for every output.

Every file the kit writes (reports, exports, one-pagers, plans, caches, demo stores) goes
through :func:`atomic`: it is written under a hidden temporary name in the same folder and
renamed over the target when complete. An interrupted write (Ctrl+C, a full disk, a crash)
leaves the previous file and no half-written one, and readers never see a partial file.

:func:`keep_edits` protects files that people fill in after the kit wrote them (a development
plan with owners and deadlines): the kit records a fingerprint of what it wrote (a hidden
``.<name>.kit-sha256`` beside it), and a later run writes beside an edited file instead of over
it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kit.errors import KitInputError

if TYPE_CHECKING:
    import pandas as pd


@contextlib.contextmanager
def atomic(target: str | Path) -> Iterator[Path]:
    """Give a temporary path to write to; on success it replaces ``target``.

    The temporary file keeps ``target``'s suffix (so writers that choose a format from the
    suffix, such as ``to_excel``, still work) and is removed if the block fails. When the block
    writes nothing, ``target`` stays as it was. A folder that cannot be made raises
    :class:`~kit.errors.KitInputError` naming it.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KitInputError(
            "cannot_write", file=str(target.parent), detail=exc.strerror or str(exc)
        ) from None
    tag = f"{os.getpid()}-{threading.get_ident()}"
    tmp = target.with_name(f".{target.stem}.{tag}.tmp{target.suffix}")
    try:
        yield tmp
        if tmp.exists():
            tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """Hold the kit's lock ``name`` while the block runs: another process (a second kernel, a
    parallel test worker) that asks for the same lock waits, so a data set is built once.

    The lock is a file in the cache folder; where the system has no ``flock`` (Windows) the
    block runs unlocked, and the atomic writes above still keep every file whole.
    """
    from kit import paths

    folder = paths.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically; returns ``target``."""
    with atomic(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically; returns ``target``."""
    return write_bytes(target, text.encode("utf-8"))


def write_table(frame: pd.DataFrame, target: str | Path, sheet: str | None = None) -> Path:
    """Write ``frame`` to ``target`` atomically, in the format its suffix names: ``.csv``
    (UTF-8 with BOM, so that Excel reads the letters right), ``.xlsx`` or ``.parquet``."""
    target = Path(target)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".parquet"):
        raise KitInputError(
            "unknown_value", parameter="--out", value=target.suffix, valid=".csv, .xlsx, .parquet"
        )
    with atomic(target) as tmp:
        if suffix == ".xlsx":
            frame.to_excel(tmp, index=False, sheet_name=sheet or "Sheet1")
        elif suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    return target


def write_sheets(target: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write several tables to one ``.xlsx`` atomically, one sheet each (names cut to Excel's
    31 characters), in the order given."""
    import pandas as pd

    target = Path(target)
    with atomic(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as book:
            for name, frame in sheets.items():
                frame.to_excel(book, sheet_name=name[:31], index=False)
    return target


def fingerprint(path: str | Path) -> str:
    """The SHA-256 of a file's content."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def keep_edits(target: str | Path) -> Path:
    """Where to write a file that people may have edited since the kit last wrote it.

    Returns ``target`` when it does not exist or still holds what the kit wrote; otherwise
    ``<stem>.new<suffix>`` beside it, so that an edited plan is never overwritten. Call
    :func:`remember` after writing.
    """
    target = Path(target)
    if not target.exists():
        return target
    try:
        written = _sidecar(target).read_text(encoding="utf-8").strip()
    except OSError:
        written = ""
    if written == fingerprint(target):
        return target
    return target.with_name(f"{target.stem}.new{target.suffix}")


def remember(path: str | Path) -> None:
    """Record that the kit wrote ``path`` as it is now (see :func:`keep_edits`)."""
    write_text(_sidecar(Path(path)), fingerprint(path))


def _sidecar(path: Path) -> Path:
    return path.with_name(f".{path.name}.kit-sha256")
