"""One SQLite store for every room: the file, its transactions, its labels and its rounds.

A workshop that collects something from the room (ratings, ballots, forum signals, RACER
ratings) keeps it in a :class:`Store`, through :class:`kit.room.Room`, which adds participants
and the privacy step. This module is the part every such store shares, written once:

* **the file**: one SQLite base with a WAL journal (readers go on while one writer writes),
  ``synchronous=FULL`` (a committed contribution survives a power cut) and a busy timeout (a
  room of 30 writing at once waits its turn instead of failing);
* **one transaction helper** (:meth:`Store.transaction`): ``BEGIN IMMEDIATE``, then ``COMMIT``
  or, on any error, ``ROLLBACK``; a failed contribution stores nothing, and a writer killed
  mid-transaction leaves the file as it was before it;
* **meta** (:meth:`Store.meta`, :meth:`Store.set_meta`): labels such as ``synthetic``;
* **history** (:meth:`Store.history`): an append-only log of what happened to the room (rounds
  opened, closed and reopened, the privacy steps), each with its time;
* **rounds** (:meth:`Store.close_round`, :meth:`Store.reopen_round`, :meth:`Store.rounds`):
  a store starts with round 1 open; closing it makes every contribution refused with
  ``round_closed`` until the facilitator opens the next round;
* **where it lives** (:func:`default_path`): ``$KIT_STORE_<WORKSHOP>`` or
  ``<state>/<workshop>.sqlite3`` in the kit's state folder (:func:`kit.paths.state_dir`, ignored
  by git), named after the workshop's registry entry;
* **the demo store** (:func:`build`): built whole in a temporary file and renamed, so it
  appears complete or not at all.

Nothing here imports numpy or pandas: the form's and the vote's kernels stay small.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from kit import files, paths
from kit.errors import KitInputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rounds (
    id INTEGER PRIMARY KEY,
    opened_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
"""


def now() -> str:
    """The time now, as every store writes it (UTC, ISO 8601, microseconds)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def env_name(workshop: str) -> str:
    """The environment variable that moves a workshop's store: ``KIT_STORE_<WORKSHOP>``."""
    return "KIT_STORE_" + workshop.upper()


def default_path(workshop: str) -> Path:
    """Where a workshop's room keeps its store unless told otherwise: ``$KIT_STORE_<NAME>``
    (:func:`env_name`), else ``<name>.sqlite3`` in the state folder."""
    raw = os.environ.get(env_name(workshop))
    return Path(raw) if raw else paths.state_dir() / f"{workshop}.sqlite3"


def demo_path(workshop: str) -> Path:
    """Where a workshop's synthetic demo store is built: ``demo/<name>.sqlite3`` in the state
    folder."""
    return paths.state_dir() / "demo" / f"{workshop}.sqlite3"


class Store:
    """A room's SQLite file at ``path`` (made, with its folder, on first use).

    Subclasses add their own tables in :attr:`SCHEMA`. Every call opens its own connection,
    so threads, processes and Voilà kernels can share one store.
    """

    #: the subclass's own tables (run after the shared ones, ``CREATE … IF NOT EXISTS``)
    SCHEMA = ""

    def __init__(self, path: str | Path, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KitInputError(
                "cannot_write", file=str(self.path.parent), detail=exc.strerror or str(exc)
            ) from None
        with self.connect() as con:
            con.executescript(_SCHEMA + self.tables())
        with self.transaction() as con:
            if con.execute("SELECT COUNT(*) FROM rounds").fetchone()[0] == 0:
                con.execute("INSERT INTO rounds (id, opened_at) VALUES (1, ?)", (now(),))
                self.log(con, "round_opened", round=1)

    def tables(self) -> str:
        """The ``CREATE … IF NOT EXISTS`` statements of this store's own tables."""
        return self.SCHEMA

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode (WAL, full sync, foreign keys); a file that is not
        a usable SQLite base is refused with the file named."""
        try:
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise KitInputError(
                "store_unusable", file=paths.relative(self.path), detail=str(exc)
            ) from None
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=ON")
            yield con
        except sqlite3.DatabaseError as exc:
            raise KitInputError(
                "store_unusable", file=paths.relative(self.path), detail=str(exc)
            ) from None
        finally:
            con.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): committed when the block ends, rolled
        back whole when it raises (the error goes on)."""
        with self.connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise

    # --- meta and history -------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """The labels kept with the store (for example ``synthetic``)."""
        with self.connect() as con:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, **values: object) -> None:
        """Set labels (values kept as text)."""
        with self.transaction() as con:
            con.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(k, str(v)) for k, v in values.items()],
            )

    @staticmethod
    def log(con: sqlite3.Connection, event: str, **detail: object) -> None:
        """Append an event to the history, inside the caller's transaction."""
        con.execute(
            "INSERT INTO history (at, event, detail) VALUES (?, ?, ?)",
            (now(), event, json.dumps(detail, sort_keys=True)),
        )

    def history(self) -> list[dict]:
        """Every event, oldest first: ``at``, ``event`` and its details."""
        with self.connect() as con:
            rows = con.execute("SELECT at, event, detail FROM history ORDER BY id").fetchall()
        return [{"at": at, "event": event, **json.loads(detail)} for at, event, detail in rows]

    @property
    def synthetic(self) -> bool:
        """Whether the store holds invented contributions (a demo)."""
        return self.meta().get("synthetic") == "true"

    def mark_synthetic(self, **labels: object) -> None:
        """Label the store as holding invented contributions (and any further labels)."""
        self.set_meta(synthetic="true", **labels)

    def integrity(self) -> str:
        """SQLite's own check of the file: ``"ok"`` when it is whole."""
        with self.connect() as con:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])

    # --- rounds -----------------------------------------------------------------------------

    @staticmethod
    def current_round(con: sqlite3.Connection) -> tuple[int, bool]:
        """The current round's number and whether it is open."""
        number, closed = con.execute(
            "SELECT id, closed_at FROM rounds ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return int(number), closed is None

    def check_open(self, con: sqlite3.Connection, parameter: str | None = None) -> int:
        """The open round's number, or ``round_closed`` (inside the caller's transaction)."""
        number, is_open = self.current_round(con)
        if not is_open:
            raise KitInputError("round_closed", parameter=parameter)
        return number

    def round_open(self) -> bool:
        """Whether the current round takes contributions."""
        with self.connect() as con:
            return self.current_round(con)[1]

    def close_round(self) -> bool:
        """Close the current round (no contribution is taken until it is reopened); returns
        whether it was open."""
        with self.transaction() as con:
            return self._close(con)

    def _close(self, con: sqlite3.Connection) -> bool:
        number, is_open = self.current_round(con)
        if is_open:
            con.execute("UPDATE rounds SET closed_at = ? WHERE id = ?", (now(), number))
            self.log(con, "round_closed", round=number)
        return is_open

    def reopen_round(self) -> int:
        """Open the next round (the current one is closed first, if it is not already);
        returns its number."""
        with self.transaction() as con:
            self._close(con)
            number = self.current_round(con)[0] + 1
            con.execute("INSERT INTO rounds (id, opened_at) VALUES (?, ?)", (number, now()))
            self.log(con, "round_opened", round=number)
            self._reopened(con)
        return number

    def _reopened(self, con: sqlite3.Connection) -> None:
        """What a subclass resets when a round opens (inside the transaction)."""

    def rounds(self) -> list[dict]:
        """Every round, oldest first: ``round``, ``opened_at``, ``closed_at`` (``None`` while
        open)."""
        with self.connect() as con:
            rows = con.execute("SELECT id, opened_at, closed_at FROM rounds ORDER BY id")
            return [{"round": i, "opened_at": o, "closed_at": c} for i, o, c in rows]


S = TypeVar("S", bound=Store)


def build(target: str | Path, make: Callable[[Path], S], fill: Callable[[S], None]) -> Path:
    """Build a store at ``target`` whole: ``make(path)`` opens it in a temporary file,
    ``fill(store)`` writes it; the journal is folded in and the file renamed over ``target``
    only when both succeeded, so a reader never sees a half-built store."""
    target = Path(target)
    with files.atomic(target) as tmp:
        store = make(tmp)
        fill(store)
        with store.connect() as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return target


def built(
    target: Path, make: Callable[[Path], S], fill: Callable[[S], None], version: str = "1"
) -> S:
    """The store at ``target``, built with :func:`build` first when it is missing or was
    built by another ``version`` of ``fill`` (once, under a lock, however many kernels ask)."""

    def current() -> bool:
        if not target.exists():
            return False
        try:
            return make(target).meta().get("demo_version") == version
        except KitInputError:
            return False

    if not current():
        with files.locked(f"build-{target.stem}"):
            if not current():

                def filled(store: S) -> None:
                    fill(store)
                    store.set_meta(demo_version=version)

                build(target, make, filled)
    return make(target)
