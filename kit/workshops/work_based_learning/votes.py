"""The room's vote on which critical points to work on: one SQLite file, safe for a room
voting at once, and a tally that never shows the choices of 1–4 people.

**Ballots** go to a :class:`VoteStore` (WAL journal, a busy timeout, one transaction per
ballot, as the self-assessment store): a ballot names one to :data:`PICKS` different phases,
is checked before anything is stored, and a malformed one is refused while everything stored
stays. A closed round takes no ballots. Ballots cannot be changed: a changed ballot would let
two states of the tally differ by one person.

**The tally moves in steps** (:meth:`VoteStore.advance`): it takes in new ballots only when at
least the privacy threshold (5) of them have arrived since its last step, inside one
transaction, and every view of the room reads the same kept state. Two states of the tally
therefore differ by five ballots or more, and the export (:meth:`VoteStore.result`) reads
the last shown state, never the ballots after it.

No pandas here: the voting app's kernel stays small.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from kit import paths, privacy
from kit.errors import KitInputError
from kit.i18n import t

#: how many phases a ballot names at most
PICKS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ballots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cast_at TEXT NOT NULL,
    choices TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def default_store() -> Path:
    """The workshop's vote store: ``KIT_WBL_VOTES``, else ``wbl/votes.sqlite3`` in the work
    folder."""
    import os

    raw = os.environ.get("KIT_WBL_VOTES")
    return Path(raw) if raw else paths.work_dir() / "wbl" / "votes.sqlite3"


def check_ballot(choices: object, allowed: Sequence[str]) -> list[str]:
    """The ballot's phases, checked: one to :data:`PICKS` different ids of ``allowed``."""
    if isinstance(choices, str) or not isinstance(choices, Iterable):
        raise KitInputError("vote_bad", parameter="choices", value=repr(choices), most=PICKS)
    picked = [str(c).strip().upper() for c in choices]
    if not 1 <= len(picked) <= PICKS or len(set(picked)) != len(picked):
        raise KitInputError("vote_bad", parameter="choices", value=", ".join(picked) or "–",
                            most=PICKS)
    unknown = [c for c in picked if c not in allowed]
    if unknown:
        raise KitInputError("unknown_value", parameter="choices", value=unknown[0],
                            valid=", ".join(allowed))
    return picked


class VoteStore:
    """Ballots in one SQLite file at ``path`` (made on first use), for the phases ``allowed``.

    Every call opens its own connection, so threads and processes can share the store.
    """

    def __init__(self, path: str | Path | None = None, allowed: Sequence[str] = (),
                 timeout: float = 60.0) -> None:
        self.path = Path(path) if path else default_store()
        self.allowed = [str(a).upper() for a in allowed]
        self.timeout = timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self):
        try:
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise KitInputError("store_unusable", file=str(self.path), detail=str(exc)) from None
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            yield con
        except sqlite3.DatabaseError as exc:
            raise KitInputError("store_unusable", file=str(self.path), detail=str(exc)) from None
        finally:
            con.close()

    def cast(self, choices: Sequence[str]) -> int:
        """Check and store one ballot; returns its number. A bad ballot or a closed round
        raises :class:`KitInputError` and stores nothing."""
        picked = check_ballot(choices, self.allowed)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                if self._closed(con):
                    raise KitInputError("vote_closed", parameter="choices")
                cur = con.execute("INSERT INTO ballots (cast_at, choices) VALUES (?, ?)",
                                  (now, json.dumps(picked)))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return int(cur.lastrowid)

    def count(self) -> int:
        """How many ballots are stored (a participation count)."""
        with self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM ballots").fetchone()[0])

    def close_round(self) -> None:
        """Close the round: no more ballots."""
        self._set("round_closed", "true")

    def round_open(self) -> bool:
        """Whether ballots are taken."""
        with self._connect() as con:
            return not self._closed(con)

    def advance(self, step: int | None = None) -> dict:
        """Take in the new ballots if at least ``step`` (default: the privacy threshold) have
        come since the last step, in one transaction; returns the tally (:meth:`tally`)."""
        step = privacy.effective(step)
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                through = self._through(con)
                new = con.execute("SELECT COUNT(*), MAX(id) FROM ballots WHERE id > ?",
                                  (through,)).fetchone()
                if int(new[0]) >= step:
                    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                                "('shown_through', ?)", (str(int(new[1])),))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return self.tally()

    def tally(self) -> dict:
        """The last shown state: ``voters`` (ballots taken in), ``votes`` (phase → ballots
        naming it, every allowed phase listed), ``waiting`` (ballots since, not yet shown)
        and ``step``."""
        with self._connect() as con:
            through = self._through(con)
            rows = con.execute("SELECT choices FROM ballots WHERE id <= ?", (through,)).fetchall()
            waiting = int(con.execute("SELECT COUNT(*) FROM ballots WHERE id > ?",
                                      (through,)).fetchone()[0])
        votes = {p: 0 for p in self.allowed}
        for (choices,) in rows:
            for p in json.loads(choices):
                votes[p] = votes.get(p, 0) + 1
        return {"voters": len(rows), "votes": votes, "waiting": waiting,
                "step": privacy.threshold()}

    def result(self, names: dict[str, str] | None = None) -> list[dict]:
        """The shown tally as rows, most votes first: ``phase, name, votes, voters``; empty
        while fewer than the threshold have been taken in."""
        state = self.tally()
        if state["voters"] < privacy.threshold():
            return []
        rows = [{"phase": p, "name": (names or {}).get(p, p), "votes": v,
                 "voters": state["voters"]} for p, v in state["votes"].items()]
        return sorted(rows, key=lambda r: (-r["votes"], r["phase"]))

    def label(self, lang: str | None = None) -> str:
        """What the store holds: the demo's invented ballots, or a workshop's."""
        if self._meta().get("synthetic") == "true":
            return t("wbl.votes_synthetic", lang)
        return t("wbl.votes_real", lang, file=paths.relative(self.path))

    def _meta(self) -> dict[str, str]:
        with self._connect() as con:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())

    def _set(self, key: str, value: str) -> None:
        with self._connect() as con:
            con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def mark_synthetic(self) -> None:
        """Label the store as holding invented ballots (the demo)."""
        self._set("synthetic", "true")

    @staticmethod
    def _closed(con: sqlite3.Connection) -> bool:
        row = con.execute("SELECT value FROM meta WHERE key = 'round_closed'").fetchone()
        return bool(row and row[0] == "true")

    @staticmethod
    def _through(con: sqlite3.Connection) -> int:
        row = con.execute("SELECT value FROM meta WHERE key = 'shown_through'").fetchone()
        return int(row[0]) if row else 0
