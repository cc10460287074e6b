"""The forum's store: one SQLite file, safe for a room of working-life partners at once.

A **contribution** is what one participant sends with one tap: their field (an occupation
major group) and region, ratings of the signals they know (does it match what they see, 1–5;
how urgent is it, 1–5), a free-text weak signal, an offer idea (qualification or units,
occupation, rationale, owner), a proposed link between a qualification and an occupation, and
support for ideas already shown. The store gives the guarantees of the self-assessment store:

* WAL journal, a busy timeout and one transaction per contribution, so a room submits at once
  and a writer killed mid-write leaves nothing half-written;
* a malformed contribution is refused with a one-line message (:class:`KitInputError`) and
  nothing of it is stored, while everything stored stays;
* contributions are append-only: a signal is rated once per participant, an idea supported once,
  and nothing is changed afterwards (a change would let two states of the room's view differ
  by one person);
* the round can be closed, after which nothing is taken;
* the facilitator's view moves **in steps** (:meth:`ForumStore.advance`, rule in
  :mod:`.room`): each group (a signal, a field's texts, the proposed links) takes in new
  contributions only when five or more people have added to it since its last step, inside one
  transaction, and every view reads the same kept state.

No pandas here: the forum app's kernel stays small.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from kit import paths
from kit.errors import KitInputError
from kit.i18n import t

MAX_TEXT = 1000
SCALE = (1, 2, 3, 4, 5)
FIELDS = tuple("0123456789")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS contributions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sent_at TEXT NOT NULL,
    participant TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def default_store() -> Path:
    """The forum's store: ``KIT_FORUM_STORE``, else ``forum/forum.sqlite3`` in the work
    folder."""
    raw = os.environ.get("KIT_FORUM_STORE")
    return Path(raw) if raw else paths.work_dir() / "forum" / "forum.sqlite3"


def _text(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise KitInputError("forum_bad", parameter=name, value=repr(value)[:40])
    text = " ".join(value.split())
    if len(text) > MAX_TEXT:
        raise KitInputError("forum_too_long", parameter=name, count=len(text), most=MAX_TEXT)
    return text


def _score(value: object, name: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or str(value) not in map(str, SCALE):
        raise KitInputError("forum_bad_score", parameter=name, value=repr(value)[:20])
    return int(value)


def check(contribution: Mapping, allowed: Mapping[str, Iterable[str]]) -> dict:
    """The contribution cleaned and checked against ``allowed`` (``regions``, ``occupations``,
    ``qualifications``); raises :class:`KitInputError` naming the first bad part."""
    if not isinstance(contribution, Mapping):
        raise KitInputError("forum_bad", parameter="contribution", value=type(contribution).__name__)
    who = _text(contribution.get("participant"), "participant")
    if not who or len(who) > 64:
        raise KitInputError("forum_bad", parameter="participant", value=who[:20] or "–")
    field = str(contribution.get("field", "")).strip()
    if field not in FIELDS:
        raise KitInputError("unknown_value", parameter="field", value=field or "–",
                            valid=", ".join(FIELDS))
    region = str(contribution.get("region", "")).strip().upper()
    regions = set(allowed.get("regions", ()))
    if region not in regions:
        raise KitInputError("unknown_value", parameter="region", value=region or "–",
                            valid=", ".join(sorted(regions)))
    occupations = set(allowed.get("occupations", ()))
    for part, shape in (("ratings", list), ("supports", list), ("idea", Mapping),
                        ("link", Mapping)):
        value = contribution.get(part)
        if value is not None and not isinstance(value, shape):
            raise KitInputError("forum_bad", parameter=part, value=type(value).__name__)
    ratings = []
    seen = set()
    for i, r in enumerate(contribution.get("ratings") or []):
        if not isinstance(r, Mapping):
            raise KitInputError("forum_bad", parameter=f"ratings[{i}]", value=type(r).__name__)
        occ = str(r.get("occupation", "")).strip()
        if occ not in occupations:
            raise KitInputError("unknown_value", parameter=f"ratings[{i}].occupation",
                                value=occ or "–", valid=t("forum.signal_list"))
        match = _score(r.get("match"), f"ratings[{i}].match")
        urgency = _score(r.get("urgency"), f"ratings[{i}].urgency")
        if match is None and urgency is None:
            continue
        if occ in seen:
            raise KitInputError("forum_rated_twice", parameter="ratings", value=occ)
        seen.add(occ)
        ratings.append({"occupation": occ, "match": match, "urgency": urgency})
    idea = None
    raw_idea = contribution.get("idea") or {}
    offer = _text(raw_idea.get("offer"), "idea.offer")
    if offer:
        occ = str(raw_idea.get("occupation") or "").strip()
        if occ and occ not in occupations:
            raise KitInputError("unknown_value", parameter="idea.occupation", value=occ,
                                valid=t("forum.signal_list"))
        idea = {"offer": offer, "occupation": occ,
                "rationale": _text(raw_idea.get("rationale"), "idea.rationale"),
                "owner": _text(raw_idea.get("owner"), "idea.owner")}
    elif any(_text(raw_idea.get(k), f"idea.{k}") for k in ("rationale", "owner")):
        raise KitInputError("forum_idea_offer", parameter="idea.offer")
    link = None
    raw_link = contribution.get("link") or {}
    if raw_link.get("qualification") or raw_link.get("occupation"):
        q = str(raw_link.get("qualification", "")).strip()
        o = str(raw_link.get("occupation", "")).strip()
        if q not in set(allowed.get("qualifications", ())):
            raise KitInputError("unknown_value", parameter="link.qualification", value=q or "–",
                                valid=t("forum.qualification_list"))
        if o not in set(allowed.get("all_occupations", occupations)):
            raise KitInputError("unknown_value", parameter="link.occupation", value=o or "–",
                                valid=t("forum.signal_list"))
        link = {"qualification": q, "occupation": o,
                "note": _text(raw_link.get("note"), "link.note")}
    supports = []
    for s in contribution.get("supports") or []:
        if isinstance(s, bool) or not isinstance(s, int) or s <= 0:
            raise KitInputError("forum_bad", parameter="supports", value=repr(s)[:20])
        if s not in supports:
            supports.append(s)
    weak = _text(contribution.get("weak_signal"), "weak_signal")
    clean = {"participant": who, "field": field, "region": region, "ratings": ratings,
             "weak_signal": weak, "idea": idea, "link": link, "supports": supports}
    if not (ratings or weak or idea or link or supports):
        raise KitInputError("forum_empty", parameter="contribution")
    return clean


class ForumStore:
    """Contributions in one SQLite file at ``path`` (made on first use). ``allowed`` holds what
    a contribution may name: ``regions``, ``occupations`` (the signals), ``all_occupations``
    (for links) and ``qualifications``.

    Every call opens its own connection, so threads and processes can share the store.
    """

    def __init__(self, path: str | Path | None = None,
                 allowed: Mapping[str, Iterable[str]] | None = None,
                 timeout: float = 60.0) -> None:
        self.path = Path(path) if path else default_store()
        self.allowed = {k: tuple(v) for k, v in (allowed or {}).items()}
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

    def submit(self, contribution: Mapping) -> int:
        """Check and store one contribution; returns its number (an idea's number is the
        contribution's). A bad one, a second rating of a signal, a second support of an idea,
        support of an unknown or one's own idea, or a closed round raises
        :class:`KitInputError` and stores nothing."""
        clean = check(contribution, self.allowed)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                if self._meta_value(con, "round_closed") == "true":
                    raise KitInputError("forum_closed", parameter="contribution")
                self._check_history(con, clean)
                cur = con.execute("INSERT INTO contributions (sent_at, participant, payload) "
                                  "VALUES (?, ?, ?)",
                                  (now, clean["participant"], json.dumps(clean)))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return int(cur.lastrowid)

    @staticmethod
    def _check_history(con: sqlite3.Connection, clean: dict) -> None:
        earlier = [json.loads(p) for (p,) in con.execute(
            "SELECT payload FROM contributions WHERE participant = ?", (clean["participant"],))]
        rated = {(c["region"], r["occupation"]) for c in earlier for r in c["ratings"]}
        for r in clean["ratings"]:
            if (clean["region"], r["occupation"]) in rated:
                raise KitInputError("forum_rated_twice", parameter="ratings", value=r["occupation"])
        supported = {s for c in earlier for s in c["supports"]}
        for s in clean["supports"]:
            row = con.execute("SELECT participant, payload FROM contributions WHERE id = ?",
                              (s,)).fetchone()
            if row is None or json.loads(row[1]).get("idea") is None:
                raise KitInputError("forum_no_idea", parameter="supports", value=s)
            if row[0] == clean["participant"] or s in supported:
                raise KitInputError("forum_supported", parameter="supports", value=s)

    def contributions(self) -> list[dict]:
        """Every contribution, oldest first, with its ``id`` and ``sent_at``."""
        with self._connect() as con:
            rows = con.execute("SELECT id, sent_at, payload FROM contributions ORDER BY id")
            return [{"id": i, "sent_at": at, **json.loads(p)} for i, at, p in rows.fetchall()]

    def count(self) -> int:
        """How many contributions are stored (a participation count)."""
        with self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM contributions").fetchone()[0])

    def participants(self) -> int:
        """How many people have contributed (a participation count)."""
        with self._connect() as con:
            return int(con.execute(
                "SELECT COUNT(DISTINCT participant) FROM contributions").fetchone()[0])

    def advance(self, step) -> dict:
        """Move the shown state one step, in one transaction: ``step(contributions, shown)``
        returns the new shown state (group → last contribution id taken in); returns it."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                rows = con.execute("SELECT id, participant, payload FROM contributions "
                                   "ORDER BY id").fetchall()
                items = [{"id": i, **json.loads(p)} for i, _who, p in rows]
                shown = json.loads(self._meta_value(con, "shown") or "{}")
                new = step(items, shown)
                con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('shown', ?)",
                            (json.dumps(new, sort_keys=True),))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return new

    def shown(self) -> dict:
        """The kept shown state (group → last contribution id taken in)."""
        with self._connect() as con:
            return json.loads(self._meta_value(con, "shown") or "{}")

    def close_round(self) -> None:
        """Close the round: no more contributions."""
        self._set("round_closed", "true")

    def round_open(self) -> bool:
        """Whether contributions are taken."""
        with self._connect() as con:
            return self._meta_value(con, "round_closed") != "true"

    def integrity(self) -> str:
        """SQLite's own check of the file (``ok`` when whole)."""
        with self._connect() as con:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])

    def mark_synthetic(self) -> None:
        """Label the store as holding invented contributions (the demo)."""
        self._set("synthetic", "true")

    def label(self, lang: str | None = None) -> str:
        """What the store holds: the demo's invented contributions, or a forum's."""
        with self._connect() as con:
            synthetic = self._meta_value(con, "synthetic") == "true"
        if synthetic:
            return t("forum.store_synthetic", lang)
        return t("forum.store_real", lang, file=paths.relative(self.path))

    def _set(self, key: str, value: str) -> None:
        with self._connect() as con:
            con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @staticmethod
    def _meta_value(con: sqlite3.Connection, key: str) -> str | None:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
