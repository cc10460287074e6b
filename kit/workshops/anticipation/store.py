"""The forum's contributions, in the workshop's room store (:mod:`kit.room`).

A **contribution** is what one participant sends with one tap: their field (an occupation
major group) and region, ratings of the signals they know (does it match what they see, 1–5;
how urgent is it, 1–5), a free-text weak signal, an offer idea (qualification or units,
occupation, rationale, owner), a proposed link between a qualification and an occupation, and
support for ideas already shown. The room core (:mod:`kit.store`, :mod:`kit.room`) gives the
store, its transactions, rounds and the privacy step; this module keeps the forum's own table
and checks:

* a malformed contribution is refused with a one-line message (:class:`KitInputError`) and
  nothing of it is stored, while everything stored stays;
* contributions are append-only: a signal is rated once per participant, an idea supported once,
  and nothing is changed afterwards (a change would let two states of the room's view differ
  by one person);
* each contribution adds to the groups :func:`.room.groups` names (a signal's figure, a field's
  texts or ideas, the links), and each group moves in the room's privacy steps.

No pandas here: the forum app's kernel stays small.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from kit.errors import KitInputError
from kit.i18n import t
from kit.room import Room
from kit.store import default_path

MAX_TEXT = 1000
SCALE = (1, 2, 3, 4, 5)
FIELDS = tuple("0123456789")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS forum (
    contribution INTEGER PRIMARY KEY REFERENCES contributions(id),
    payload TEXT NOT NULL
);
"""
#: the workshop's name in the registry (its store's file and environment variable)
WORKSHOP = "anticipation"


def default_store() -> Path:
    """The forum's store (:func:`kit.store.default_path`)."""
    return default_path(WORKSHOP)


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
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, str))
        or str(value) not in map(str, SCALE)
    ):
        raise KitInputError("forum_bad_score", parameter=name, value=repr(value)[:20])
    return int(value)


def check(contribution: Mapping, allowed: Mapping[str, Iterable[str]]) -> dict:
    """The contribution cleaned and checked against ``allowed`` (``regions``, ``occupations``,
    ``qualifications``); raises :class:`KitInputError` naming the first bad part."""
    if not isinstance(contribution, Mapping):
        raise KitInputError(
            "forum_bad", parameter="contribution", value=type(contribution).__name__
        )
    who = _text(contribution.get("participant"), "participant")
    if not who or len(who) > 64:
        raise KitInputError("forum_bad", parameter="participant", value=who[:20] or "–")
    field = str(contribution.get("field", "")).strip()
    if field not in FIELDS:
        raise KitInputError(
            "unknown_value", parameter="field", value=field or "–", valid=", ".join(FIELDS)
        )
    region = str(contribution.get("region", "")).strip().upper()
    regions = set(allowed.get("regions", ()))
    if region not in regions:
        raise KitInputError(
            "unknown_value",
            parameter="region",
            value=region or "–",
            valid=", ".join(sorted(regions)),
        )
    occupations = set(allowed.get("occupations", ()))
    for part, shape in (
        ("ratings", list),
        ("supports", list),
        ("idea", Mapping),
        ("link", Mapping),
    ):
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
            raise KitInputError(
                "unknown_value",
                parameter=f"ratings[{i}].occupation",
                value=occ or "–",
                valid=t("forum.signal_list"),
            )
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
            raise KitInputError(
                "unknown_value",
                parameter="idea.occupation",
                value=occ,
                valid=t("forum.signal_list"),
            )
        idea = {
            "offer": offer,
            "occupation": occ,
            "rationale": _text(raw_idea.get("rationale"), "idea.rationale"),
            "owner": _text(raw_idea.get("owner"), "idea.owner"),
        }
    elif any(_text(raw_idea.get(k), f"idea.{k}") for k in ("rationale", "owner")):
        raise KitInputError("forum_idea_offer", parameter="idea.offer")
    link = None
    raw_link = contribution.get("link") or {}
    if raw_link.get("qualification") or raw_link.get("occupation"):
        q = str(raw_link.get("qualification", "")).strip()
        o = str(raw_link.get("occupation", "")).strip()
        if q not in set(allowed.get("qualifications", ())):
            raise KitInputError(
                "unknown_value",
                parameter="link.qualification",
                value=q or "–",
                valid=t("forum.qualification_list"),
            )
        if o not in set(allowed.get("all_occupations", occupations)):
            raise KitInputError(
                "unknown_value",
                parameter="link.occupation",
                value=o or "–",
                valid=t("forum.signal_list"),
            )
        link = {
            "qualification": q,
            "occupation": o,
            "note": _text(raw_link.get("note"), "link.note"),
        }
    supports = []
    for s in contribution.get("supports") or []:
        if isinstance(s, bool) or not isinstance(s, int) or s <= 0:
            raise KitInputError("forum_bad", parameter="supports", value=repr(s)[:20])
        if s not in supports:
            supports.append(s)
    weak = _text(contribution.get("weak_signal"), "weak_signal")
    clean = {
        "participant": who,
        "field": field,
        "region": region,
        "ratings": ratings,
        "weak_signal": weak,
        "idea": idea,
        "link": link,
        "supports": supports,
    }
    if not (ratings or weak or idea or link or supports):
        raise KitInputError("forum_empty", parameter="contribution")
    return clean


class ForumStore(Room):
    """Contributions in the workshop's room store at ``path`` (default: :func:`default_store`).
    ``allowed`` holds what a contribution may name: ``regions``, ``occupations`` (the
    signals), ``all_occupations`` (for links) and ``qualifications``. A contribution's
    ``participant`` is a participant who joined the room (:meth:`kit.room.Room.join`)."""

    SCHEMA = _SCHEMA

    def __init__(
        self,
        path: str | Path | None = None,
        allowed: Mapping[str, Iterable[str]] | None = None,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(Path(path) if path else default_store(), timeout)
        self.allowed = {k: tuple(v) for k, v in (allowed or {}).items()}

    def submit(self, contribution: Mapping) -> int:
        """Check and store one contribution; returns its number (an idea's number is the
        contribution's). A bad one, a second rating of a signal, a second support of an idea,
        support of an unknown or one's own idea, or a closed round raises
        :class:`KitInputError` and stores nothing."""
        from kit.workshops.anticipation.room import groups

        clean = check(contribution, self.allowed)
        with self.transaction() as con:
            self._check_history(con, clean)
            ideas = {
                int(i): json.loads(p)["field"]
                for i, p in con.execute(
                    "SELECT contribution, payload FROM forum WHERE json_extract(payload, '$.idea') "
                    "IS NOT NULL"
                )
            }
            cid = self.contribute(
                con, clean["participant"], groups(clean, ideas), parameter="contribution"
            )
            con.execute(
                "INSERT INTO forum (contribution, payload) VALUES (?, ?)", (cid, json.dumps(clean))
            )
        return cid

    @staticmethod
    def _check_history(con: sqlite3.Connection, clean: dict) -> None:
        earlier = [
            json.loads(p)
            for (p,) in con.execute(
                "SELECT payload FROM forum f JOIN contributions c ON c.id = f.contribution "
                "WHERE c.participant = ?",
                (clean["participant"],),
            )
        ]
        rated = {(c["region"], r["occupation"]) for c in earlier for r in c["ratings"]}
        for r in clean["ratings"]:
            if (clean["region"], r["occupation"]) in rated:
                raise KitInputError("forum_rated_twice", parameter="ratings", value=r["occupation"])
        supported = {s for c in earlier for s in c["supports"]}
        for s in clean["supports"]:
            row = con.execute(
                "SELECT c.participant, f.payload FROM forum f JOIN contributions "
                "c ON c.id = f.contribution WHERE f.contribution = ?",
                (s,),
            ).fetchone()
            if row is None or json.loads(row[1]).get("idea") is None:
                raise KitInputError("forum_no_idea", parameter="supports", value=s)
            if row[0] == clean["participant"] or s in supported:
                raise KitInputError("forum_supported", parameter="supports", value=s)

    def contributions(self) -> list[dict]:
        """Every contribution, oldest first, with its ``id`` and ``sent_at`` (for the room's
        view functions in :mod:`.room`, which show only what its shown state holds)."""
        with self.connect() as con:
            rows = con.execute(
                "SELECT c.id, c.at, f.payload FROM forum f JOIN contributions c "
                "ON c.id = f.contribution ORDER BY c.id"
            ).fetchall()
        return [{"id": i, "sent_at": at, **json.loads(p)} for i, at, p in rows]

    def count(self) -> int:
        """How many contributions are stored (a participation count)."""
        with self.connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM forum").fetchone()[0])

    def participants(self) -> int:
        """How many people have contributed (a participation count)."""
        with self.connect() as con:
            return int(
                con.execute("SELECT COUNT(DISTINCT participant) FROM contributions").fetchone()[0]
            )

    def label(self, lang: str | None = None) -> str:
        """What the store holds: the demo's invented contributions, or a forum's."""
        if self.synthetic:
            return t("forum.store_synthetic", lang)
        return t("forum.store_real", lang)  # where it is kept is the server's concern
