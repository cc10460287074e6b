"""A workshop's room: who has joined, what each has contributed, and the privacy step that
decides what the room may be shown. One implementation for every room app.

**Participants.** A contribution belongs to a participant (:meth:`Room.join`). Behind the
hub's login a participant is the signed-in user (``hub:<name>``: the hub's Voilà service sets
:data:`PARTICIPANT_ENV` in the app's kernel, and nothing the attendee sends can change it). On
one machine it is a code the device gets on joining (:data:`CODE_LENGTH` characters, no
look-alike letters), shown to the attendee: with it they load and amend their contribution.
"Next person on this device" joins again and gets a new code. The console counts who joined,
so a room of 30 with 38 participants is visible.

**Contributions.** Every contribution is a row of the shared ``contributions`` table (its
round, time, participant, the *groups* it adds to, and a ``slot``: its first version's id); the
workshop keeps what it says in a table of its own, keyed by the contribution's id. A
contribution with a ``key`` is one per participant, key and round: a second one amends the first
(a new version with the same slot) while the round is open and no group it adds to, before or
after, has been shown with it. Contributions without a key are appended (the forum's).

**The privacy step** (:func:`step`, :meth:`Room.advance`). Each group's shown state is the
last slot it takes in. A group moves only when at least *k* different participants have added
to it since its last shown state, *k* being the privacy threshold
(:func:`kit.threshold.threshold`: 5, or ``KIT_PRIVACY_THRESHOLD``). So two shown states of a group
differ by *k* participants or more, and a group is first shown with *k* or more. The step and
the amendment check run in one transaction, and what a shown state holds is frozen. Every
view, report and export of a room reads its last shown state (:meth:`Room.visible`), never the
contributions after it. Closing a round (:meth:`Room.close`) takes one last step: the rest is
shown when at least *k* participants are still unshown in a group; otherwise the console says
how many stay unshown.

**What one person can still do without the hub's login** (README, "Privacy"): join again
("next person on this device", or several devices) and so count as several participants. With
*k* − 1 invented participants of known contributions they can complete a step around one real
contribution and read it by subtraction. Behind the hub's login a person is one participant
however many devices they use, and their second contribution amends the first: the attack
needs *k* − 1 accomplices who sign in.

No numpy or pandas here: the app kernels that submit stay small.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kit.errors import KitInputError
from kit.i18n import t
from kit.store import Store, now
from kit.threshold import effective, threshold

#: set in an app kernel by the hub's Voilà service: the signed-in user (``hub:<name>``)
PARTICIPANT_ENV = "KIT_PARTICIPANT"
#: participant codes: no 0/O, 1/I/L or 5/S to mix up when read aloud or typed on a phone
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
CODE_LENGTH = 6
#: failed code look-ups a round allows before loading by code is locked (until the round is
#: reopened): with 29^6 codes, 20 guesses find one of 30 codes with odds of about 1 in a million
MAX_FAILED_LOOKUPS = 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS participants (
    id TEXT PRIMARY KEY,
    joined_at TEXT NOT NULL,
    signed_in INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS contributions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round INTEGER NOT NULL REFERENCES rounds(id),
    at TEXT NOT NULL,
    participant TEXT NOT NULL REFERENCES participants(id),
    key TEXT,
    slot INTEGER NOT NULL,
    superseded_by INTEGER,
    groups TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contributions_current ON contributions (superseded_by, slot);
CREATE TABLE IF NOT EXISTS shown (
    grp TEXT PRIMARY KEY,
    through INTEGER NOT NULL,
    participants INTEGER NOT NULL,
    at TEXT NOT NULL
);
"""


def signed_in() -> str | None:
    """The participant the hub signed in for this kernel (``hub:<name>``), or ``None`` on one
    machine."""
    raw = os.environ.get(PARTICIPANT_ENV, "").strip()
    return raw or None


def check_code(code: object) -> str:
    """A participant code as typed (any case, spaces or dashes) in its stored form, or a
    message that says what a code looks like."""
    text = "".join(code.split()).replace("-", "").upper() if isinstance(code, str) else ""
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        raise KitInputError("receipt_bad", parameter="receipt", length=CODE_LENGTH)
    return text


@dataclass(frozen=True)
class Item:
    """A current contribution as the privacy step sees it."""

    slot: int
    participant: str
    groups: frozenset[str]


def step(items: Iterable[Item], shown: Mapping[str, int], k: int | None = None) -> dict[str, int]:
    """The next shown state: each group takes in its contributions after its shown slot when
    at least ``k`` (default: the privacy threshold) different participants made them; a group
    with fewer stays where it was. Returns group → last slot taken in."""
    k = effective(k)
    new: dict[str, tuple[set[str], int]] = {}
    for item in items:
        for g in item.groups:
            if item.slot > shown.get(g, 0):
                people, last = new.setdefault(g, (set(), 0))
                people.add(item.participant)
                new[g] = (people, max(last, item.slot))
    out = dict(shown)
    for g, (people, last) in new.items():
        if len(people) >= k:
            out[g] = last
    return out


def waiting(items: Iterable[Item], shown: Mapping[str, int]) -> dict[str, int]:
    """Per group, how many different participants have contributed since its shown state."""
    people: dict[str, set[str]] = {}
    for item in items:
        for g in item.groups:
            if item.slot > shown.get(g, 0):
                people.setdefault(g, set()).add(item.participant)
    return {g: len(p) for g, p in sorted(people.items())}


class Room(Store):
    """A room's store: :class:`~kit.store.Store` with participants, contributions and the
    privacy step. Workshops subclass it and add their own tables (:attr:`SCHEMA`) keyed by
    ``contributions.id``."""

    def tables(self) -> str:
        """The shared room tables, then the workshop's own."""
        return _SCHEMA + self.SCHEMA

    # --- participants -----------------------------------------------------------------------

    def join(self, user: str | None = None) -> str:
        """A participant for a new visitor: the signed-in ``user`` (default: :func:`signed_in`)
        if there is one, else a new code. A signed-in user joining again is the same
        participant."""
        user = user if user is not None else signed_in()
        with self.transaction() as con:
            if user:
                con.execute(
                    "INSERT OR IGNORE INTO participants (id, joined_at, signed_in) "
                    "VALUES (?, ?, 1)",
                    (user, now()),
                )
                return user
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                try:
                    con.execute(
                        "INSERT INTO participants (id, joined_at) VALUES (?, ?)", (code, now())
                    )
                    return code
                except sqlite3.IntegrityError:
                    continue

    def joined(self) -> int:
        """How many participants have joined (a participation count, shown as it is)."""
        with self.connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM participants").fetchone()[0])

    def find(self, code: object) -> str:
        """The participant with ``code`` (for loading one's own contribution); unknown codes
        are counted, and after :data:`MAX_FAILED_LOOKUPS` in a round loading is locked for
        everyone until the next round (guessing codes is how someone would read another's
        contribution)."""
        who = check_code(code)
        with self.transaction() as con:
            self.check_open(con, "receipt")
            failed = int(self._meta(con, "failed_lookups") or 0)
            if failed >= MAX_FAILED_LOOKUPS:
                raise KitInputError("receipt_locked", parameter="receipt")
            if con.execute("SELECT 1 FROM participants WHERE id = ?", (who,)).fetchone():
                return who
            con.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('failed_lookups', ?)",
                (str(failed + 1),),
            )
        raise KitInputError("receipt_unknown", parameter="receipt", value=who)

    def _reopened(self, con: sqlite3.Connection) -> None:
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('failed_lookups', '0')")

    @staticmethod
    def _meta(con: sqlite3.Connection, key: str) -> str | None:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # --- contributions ----------------------------------------------------------------------

    def contribute(
        self,
        con: sqlite3.Connection,
        participant: str,
        groups: Iterable[str],
        key: str | None = None,
        parameter: str | None = None,
    ) -> int:
        """Record a contribution's envelope inside the caller's transaction and return its id
        (the workshop then writes what it says under that id). Refused: a closed round, an
        unknown participant, and (with a ``key``) amending a contribution a shown state holds.
        """
        number = self.check_open(con, parameter)
        if not con.execute("SELECT 1 FROM participants WHERE id = ?", (participant,)).fetchone():
            raise KitInputError("participant_unknown", parameter=parameter)
        groups = sorted(set(groups))
        old = None
        if key is not None:
            old = con.execute(
                "SELECT id, slot, groups FROM contributions WHERE participant = ? AND key = ? "
                "AND round = ? AND superseded_by IS NULL",
                (participant, key, number),
            ).fetchone()
        if old is not None:
            shown = self._shown(con)
            if any(shown.get(g, 0) >= old[1] for g in set(json.loads(old[2])) | set(groups)):
                raise KitInputError("answer_in_room_view", parameter=parameter)
        cur = con.execute(
            "INSERT INTO contributions (round, at, participant, key, slot, groups) "
            "VALUES (?, ?, ?, ?, 0, ?)",
            (number, now(), participant, key, json.dumps(groups)),
        )
        new = cur.lastrowid
        assert new is not None  # set by the INSERT
        con.execute("UPDATE contributions SET slot = ? WHERE id = ?", (old[1] if old else new, new))
        if old is not None:
            con.execute("UPDATE contributions SET superseded_by = ? WHERE id = ?", (new, old[0]))
        return new

    def current_contribution(
        self, con: sqlite3.Connection, participant: str, key: str
    ) -> int | None:
        """The id of ``participant``'s current contribution under ``key`` in this round."""
        number = self.current_round(con)[0]
        row = con.execute(
            "SELECT id FROM contributions WHERE participant = ? AND key = ? "
            "AND round = ? AND superseded_by IS NULL",
            (participant, key, number),
        ).fetchone()
        return int(row[0]) if row else None

    def items(self, con: sqlite3.Connection | None = None) -> list[Item]:
        """Every current contribution as the privacy step sees it."""
        if con is None:
            with self.connect() as con:
                return self.items(con)
        rows = con.execute(
            "SELECT slot, participant, groups FROM contributions "
            "WHERE superseded_by IS NULL ORDER BY slot"
        )
        return [Item(int(s), p, frozenset(json.loads(g))) for s, p, g in rows]

    # --- the privacy step -------------------------------------------------------------------

    @staticmethod
    def _shown(con: sqlite3.Connection) -> dict[str, int]:
        return {g: int(t) for g, t in con.execute("SELECT grp, through FROM shown")}

    def count(self) -> int:
        """How many contributions are stored, an amended one counted once (a participation
        count: the answers of the self-assessment, the ballots of the vote; a store with
        entries of its own beside the room's counts those)."""
        with self.connect() as con:
            return int(
                con.execute(
                    "SELECT COUNT(*) FROM contributions WHERE superseded_by IS NULL"
                ).fetchone()[0]
            )

    def shown(self) -> dict[str, int]:
        """The last shown state: group → last slot taken in."""
        with self.connect() as con:
            return self._shown(con)

    def advance(self, k: int | None = None) -> dict[str, int]:
        """Take the privacy step (:func:`step`) in one transaction and keep the new state;
        returns it."""
        with self.transaction() as con:
            return self._advance(con, k)

    def _advance(self, con: sqlite3.Connection, k: int | None = None) -> dict[str, int]:
        shown = self._shown(con)
        items = self.items(con)
        new = step(items, shown, k)
        moved = {g: v for g, v in new.items() if shown.get(g) != v}
        for g, through in moved.items():
            people = len({i.participant for i in items if g in i.groups and i.slot <= through})
            con.execute(
                "INSERT OR REPLACE INTO shown (grp, through, participants, at) VALUES (?, ?, ?, ?)",
                (g, through, people, now()),
            )
        if moved:
            self.log(con, "step", groups=len(moved), threshold=effective(k))
        return new

    def close(self, k: int | None = None) -> dict:
        """Close the round, taking one last step first (in one transaction); returns
        ``closed`` (whether it was open), ``shown`` and ``unshown`` (per group, participants
        left out because fewer than ``k`` remained)."""
        with self.transaction() as con:
            shown = self._advance(con, k)
            was_open = self._close(con)
            left = waiting(self.items(con), shown)
        return {"closed": was_open, "shown": shown, "unshown": left}

    def reopen_round(self) -> int:
        """Start the next round; a round still open is closed first as :meth:`close` closes
        it, with its last step. Returns the new round's number."""
        if self.round_open():
            self.close()
        return super().reopen_round()

    def waiting(self) -> dict[str, int]:
        """Per group, the different participants not yet shown."""
        with self.connect() as con:
            return self._waiting(con)

    def _waiting(self, con: sqlite3.Connection) -> dict[str, int]:
        return waiting(self.items(con), self._shown(con))

    # --- the console ------------------------------------------------------------------------

    def status(self) -> dict:
        """What the console shows: ``joined``, ``open``, ``threshold``, the ``rounds`` (each
        with its contributions and participants), ``shown_groups``, ``last_step`` (its time),
        ``unshown`` (different participants with a contribution some shown state does not
        hold yet) and ``synthetic``."""
        with self.connect() as con:
            joined = int(con.execute("SELECT COUNT(*) FROM participants").fetchone()[0])
            per_round = {
                int(r): (int(c), int(p))
                for r, c, p in con.execute(
                    "SELECT round, COUNT(*), COUNT(DISTINCT participant) FROM contributions "
                    "WHERE superseded_by IS NULL GROUP BY round"
                )
            }
            rounds = [
                {
                    "round": int(i),
                    "opened_at": o,
                    "closed_at": c,
                    "contributions": per_round.get(int(i), (0, 0))[0],
                    "participants": per_round.get(int(i), (0, 0))[1],
                }
                for i, o, c in con.execute(
                    "SELECT id, opened_at, closed_at FROM rounds ORDER BY id"
                )
            ]
            shown = self._shown(con)
            last = con.execute("SELECT MAX(at) FROM shown").fetchone()[0]
            items = self.items(con)
            contributors = len({i.participant for i in items})
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        waiting_people = {
            i.participant for i in items if any(i.slot > shown.get(g, 0) for g in i.groups)
        }
        return {
            "joined": joined,
            "open": rounds[-1]["closed_at"] is None,
            "round": rounds[-1]["round"],
            "threshold": threshold(),
            "rounds": rounds,
            "contributors": contributors,
            "shown_groups": len(shown),
            "last_step": last,
            "unshown": len(waiting_people),
            "synthetic": meta.get("synthetic") == "true",
        }


def about(store: Room, label: str, lang: str | None = None) -> list[str]:
    """The lines an export of a room starts with: what it is (``label``: synthetic or not),
    the rule and its threshold, when the room last moved and how many took part."""
    status = store.status()
    return [
        t("room.export_title", lang),
        label,
        t("room.export_rule", lang, k=status["threshold"]),
        t("room.export_state", lang, at=status["last_step"] or "–", unshown=status["unshown"]),
        t(
            "room.export_counts",
            lang,
            joined=status["joined"],
            contributors=status["contributors"],
            rounds=len(status["rounds"]),
        ),
    ]
