"""The scorecard's check-ins: targets, owners, notes and the workshop's RACER ratings, with
their history, in one SQLite file.

Every change is a **dated check-in** appended to the store, never an overwrite: setting a target
or an owner, recording a check-in note, rating an indicator on RACER. The current target (or
owner, or next check-in date) of an indicator for a partner is the latest one set, and the
whole history stays, which is what *seuraamme käytettävyyttä* needs. The guarantees are the
self-assessment store's: a WAL journal and a busy timeout, so two people editing at once both
land (nothing is lost; the later one is current), and one transaction per check-in, so a
writer killed mid-write leaves the store whole. A malformed check-in is refused with a message
and stores nothing.

RACER: **R**elevant, **A**ccepted, **C**redible, **E**asy to monitor, **R**obust, each rated on
the Karvi scale ``puuttuva`` / ``alkava`` / ``kehittynyt`` / ``edistynyt`` (0–3).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from kit import partners, paths
from kit.errors import KitInputError
from kit.i18n import t
from kit.room import Room
from kit.store import default_path, now

RACER = ("relevant", "accepted", "credible", "easy", "robust")
KARVI = ("puuttuva", "alkava", "kehittynyt", "edistynyt")
MAX_TEXT = 2000
KINDS = ("target", "owner", "next", "note", "racer")
COLUMNS = [
    "id",
    "at",
    "indicator",
    "scope",
    "kind",
    "author",
    "target",
    "owner",
    "next_date",
    "note",
    *RACER,
]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS checkins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contribution INTEGER REFERENCES contributions(id),
    at TEXT NOT NULL,
    indicator TEXT NOT NULL,
    scope TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('target', 'owner', 'next', 'note', 'racer')),
    author TEXT NOT NULL DEFAULT '',
    target REAL,
    owner TEXT,
    next_date TEXT,
    note TEXT NOT NULL DEFAULT '',
    relevant INTEGER CHECK (relevant IS NULL OR relevant BETWEEN 0 AND 3),
    accepted INTEGER CHECK (accepted IS NULL OR accepted BETWEEN 0 AND 3),
    credible INTEGER CHECK (credible IS NULL OR credible BETWEEN 0 AND 3),
    easy INTEGER CHECK (easy IS NULL OR easy BETWEEN 0 AND 3),
    robust INTEGER CHECK (robust IS NULL OR robust BETWEEN 0 AND 3)
);
CREATE INDEX IF NOT EXISTS checkins_by_indicator ON checkins (indicator, scope, kind, id);
"""


#: the workshop's name in the registry (its store's file and environment variable)
WORKSHOP = "indicators"


def default_store() -> Path:
    """The scorecard's store (:func:`kit.store.default_path`)."""
    return default_path(WORKSHOP)


def racer_group(indicator: str) -> str:
    """The privacy step's group of an indicator's RACER ratings."""
    return f"racer:{indicator}"


def _text(value: object, field: str, *, required: bool = False) -> str:
    text = "" if value is None else value
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise KitInputError("checkin_bad_text", parameter=field, limit=MAX_TEXT)
    if required and not text.strip():
        raise KitInputError("checkin_missing", parameter=field)
    return text.strip()


def check(checkin: Mapping, indicators: Iterable[str]) -> dict:
    """A clean copy of one check-in, or :class:`KitInputError` saying what is wrong.

    ``{"indicator": "RR_A", "scope": "kiinko", "kind": "target", "target": 0.65,
    "author": "...", "note": "..."}``; ``kind`` is one of :data:`KINDS`: ``target`` needs a
    number, ``owner`` a name, ``next`` a date ``YYYY-MM-DD``, ``note`` a note, ``racer`` a
    level 0–3 for each of :data:`RACER`.
    """
    if not isinstance(checkin, Mapping):
        raise KitInputError("response_not_mapping", value=type(checkin).__name__)
    ids = list(indicators)
    if checkin.get("indicator") not in ids:
        raise KitInputError(
            "unknown_value",
            parameter="indicator",
            value=checkin.get("indicator"),
            valid=", ".join(ids),
        )
    scope = checkin.get("scope")
    if scope not in partners.ids():
        raise KitInputError(
            "unknown_partner", parameter="scope", value=scope, valid=", ".join(partners.ids())
        )
    kind = checkin.get("kind")
    if kind not in KINDS:
        raise KitInputError("unknown_value", parameter="kind", value=kind, valid=", ".join(KINDS))
    clean = {
        "indicator": checkin["indicator"],
        "scope": scope,
        "kind": kind,
        "author": _text(checkin.get("author"), "author"),
        "note": _text(checkin.get("note"), "note", required=kind == "note"),
        "target": None,
        "owner": None,
        "next_date": None,
        **dict.fromkeys(RACER),
    }
    if kind == "target":
        value = checkin.get("target")
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise KitInputError("checkin_bad_target", parameter="target", value=value)
        clean["target"] = float(value)
    elif kind == "owner":
        clean["owner"] = _text(checkin.get("owner"), "owner", required=True)
    elif kind == "next":
        try:
            clean["next_date"] = dt.date.fromisoformat(str(checkin.get("next_date"))).isoformat()
        except ValueError:
            raise KitInputError(
                "bad_date", parameter="next_date", value=checkin.get("next_date")
            ) from None
    elif kind == "racer":
        if not clean["author"]:  # each rater's latest rating counts: a rating needs its rater
            raise KitInputError("checkin_missing", parameter="author")
        for name in RACER:
            level: Any = checkin.get(name)
            if isinstance(level, bool) or level not in range(len(KARVI)):
                raise KitInputError("checkin_bad_level", parameter=name, value=level)
            clean[name] = int(level)
    return clean


class CheckinStore(Room):
    """The check-ins in the workshop's room store at ``path`` (default:
    :func:`default_store`). Targets, owners, dates and notes are the partner's own records
    and are kept as they come; a RACER rating is a room contribution (one per participant,
    indicator and partner in a round; its group is the indicator), shown only through the
    room's privacy steps."""

    SCHEMA = _SCHEMA

    def __init__(
        self,
        path: str | Path | None = None,
        indicators: Iterable[str] | None = None,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(Path(path) if path else default_store(), timeout)
        if indicators is None:
            from kit.workshops.indicators import indicator_registry

            indicators = indicator_registry.load().ids()
        self.indicators = list(indicators)

    def add(
        self, checkin: Mapping, *, at: str | None = None, participant: str | None = None
    ) -> int:
        """Check and store one check-in (one transaction); returns its id. A RACER rating is
        ``participant``'s (default: a new one joins, or the signed-in user): their second
        rating of the indicator in the round amends the first until the room shows it."""
        clean = check(checkin, self.indicators)
        when = at or now()
        names = ["at", *[c for c in COLUMNS if c not in ("id", "at")]]
        values = [when, *[clean[c] for c in names[1:]]]
        if clean["kind"] == "racer":
            participant = participant or self.join()
        with self.transaction() as con:
            contribution = None
            if clean["kind"] == "racer":
                assert participant is not None  # joined above
                contribution = self.contribute(
                    con,
                    participant,
                    [racer_group(clean["indicator"])],
                    key=f"{clean['scope']}:{clean['indicator']}",
                    parameter="author",
                )
            cur = con.execute(
                f"INSERT INTO checkins (contribution, {', '.join(names)}) VALUES "
                f"(?, {', '.join('?' * len(names))})",
                [contribution, *values],
            )
        assert cur.lastrowid is not None  # set by the INSERT
        return cur.lastrowid

    def history(self, indicator: str | None = None, scope: str | None = None) -> pd.DataFrame:
        """Every check-in (of ``indicator`` for ``scope``), oldest first: :data:`COLUMNS`."""
        query, args = "SELECT * FROM checkins", []
        where = []
        if indicator is not None:
            where.append("indicator = ?")
            args.append(indicator)
        if scope is not None:
            where.append("scope = ?")
            args.append(scope)
        if where:
            query += " WHERE " + " AND ".join(where)
        with self.connect() as con:
            frame = pd.read_sql_query(query + " ORDER BY id", con, params=args)
        return frame[COLUMNS]

    def current(self, scope: str) -> pd.DataFrame:
        """Per indicator for ``scope``: the latest target, owner and next check-in date, and
        the latest note, with when each was set (missing where never set)."""
        hist = self.history(scope=scope)
        rows = []
        for ind in self.indicators:
            mine = hist[hist["indicator"] == ind]
            row: dict[str, object] = {"indicator": ind}
            for kind, column in (
                ("target", "target"),
                ("owner", "owner"),
                ("next", "next_date"),
                ("note", "note"),
            ):
                last = mine[mine["kind"] == kind].tail(1)
                row[column] = last[column].iloc[0] if len(last) else None
                row[f"{kind}_at"] = last["at"].iloc[0] if len(last) else None
            rows.append(row)
        return pd.DataFrame(rows)

    def ratings(self) -> pd.DataFrame:
        """The RACER ratings the room's last shown state holds (current versions only): one
        row each (indicator, scope = the group's partner, author, date, levels 0–3 and
        note)."""
        with self.connect() as con:
            frame = pd.read_sql_query(
                "SELECT k.* FROM checkins k JOIN contributions c ON c.id = k.contribution "
                "JOIN shown s ON s.grp = 'racer:' || k.indicator AND c.slot <= s.through "
                "WHERE c.superseded_by IS NULL AND k.kind = 'racer' ORDER BY k.id",
                con,
            )
        return frame[["at", "indicator", "scope", "author", *RACER, "note"]]

    def count(self) -> int:
        """How many check-ins are stored (an amended RACER rating counts once)."""
        with self.connect() as con:
            return int(
                con.execute(
                    "SELECT COUNT(*) FROM checkins k LEFT JOIN contributions c ON "
                    "c.id = k.contribution WHERE c.superseded_by IS NULL"
                ).fetchone()[0]
            )

    def label(self, lang: str | None = None) -> str:
        """What the store holds: the demo's synthetic check-ins, or a workshop's."""
        if self.synthetic:
            return t("scorecard.synthetic_store", lang)
        return t("scorecard.real_store", lang, file=paths.relative(self.path))


def open_store(path: str | Path) -> CheckinStore:
    """The workshop's store at ``path``, for the registry's indicators."""
    return CheckinStore(path)


def sample(store: CheckinStore, participant: str, number: int) -> int:
    """One valid RACER rating of ``participant`` (the indicator and levels from ``number``)."""
    ids = partners.ids(include_network=False)
    return store.add(
        {
            "indicator": store.indicators[number % 2],
            "scope": ids[number % len(ids)],
            "kind": "racer",
            "author": f"rater {number}",
            **{r: (number + i) % len(KARVI) for i, r in enumerate(RACER)},
        },
        participant=participant,
    )


def published(store: CheckinStore) -> list[dict]:
    """Every RACER rating the room's last shown state holds."""
    return store.ratings().to_dict("records")
