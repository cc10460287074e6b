"""The self-assessment room: responses (:mod:`.submission`) in the workshop's room store
(:mod:`kit.room`), and what the room's views and exports read from it. The store,
its transactions and rounds are the room core's (:mod:`kit.store`, :mod:`kit.room`): 30
attendees submit at once, a writer killed mid-write leaves nothing half-written, a malformed
response is refused with a clear message while everything stored stays, and a closed round
takes nothing.

**Codes and amendments.** The participant code an attendee's device gets on joining is the
answer's receipt (:func:`.submission.check_receipt`). Whoever holds it
may load their answer (:meth:`ResponseStore.answer`) and replace it
(:meth:`ResponseStore.amend`) while the round is open and no shown state of the room holds it;
a shown answer is frozen. Every view, report and export reads the room's last shown state
(:meth:`ResponseStore.responses`).

This module imports neither numpy nor pandas until a frame is asked for: the form's kernel
submits through it and stays small.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kit import partners, paths
from kit.errors import KitInputError
from kit.i18n import t
from kit.room import Room
from kit.store import default_path
from kit.workshops.self_assessment.criteria import LEVELS, criterion_ids
from kit.workshops.self_assessment.submission import check_receipt, check_response, groups

if TYPE_CHECKING:  # pragma: no cover - only for the type hints
    import pandas as pd

#: the workshop's name in the registry (its store's file and environment variable)
WORKSHOP = "self_assessment"
COLUMNS = [
    "response_id",
    "submitted_at",
    "partner",
    "role",
    "assessor",
    "criterion",
    "level",
    "confidence",
    "evidence",
    "idea",
]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    contribution INTEGER PRIMARY KEY REFERENCES contributions(id),
    partner TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('self', 'peer')),
    assessor TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS ratings (
    contribution INTEGER NOT NULL REFERENCES contributions(id),
    criterion TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    confidence INTEGER CHECK (confidence IS NULL OR confidence BETWEEN 1 AND 3),
    evidence TEXT NOT NULL DEFAULT '',
    idea TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contribution, criterion)
);
"""


class ResponseStore(Room):
    """Self-assessment responses in the workshop's room store at ``path`` (default:
    :func:`default_store`). A response is one contribution per participant and round; its
    groups are the criteria it rates."""

    SCHEMA = _SCHEMA

    def __init__(
        self,
        path: str | Path | None = None,
        criteria: pd.DataFrame | None = None,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(Path(path) if path else default_store(), timeout)
        self.criteria_ids = list(criteria["id"]) if criteria is not None else criterion_ids()

    def submit(self, response: Mapping, participant: str | None = None) -> int:
        """Check and store one response of ``participant`` (default: a new one joins, or the
        signed-in user); returns its id (its participant code: :meth:`receipt`). A second
        response of the same participant in a round amends the first while no shown state
        holds it. A malformed response raises a ``ValueError`` (:class:`KitInputError`) and
        stores nothing."""
        clean = check_response(response, self.criteria_ids)
        who = participant or self.join()
        with self.transaction() as con:
            cid = self.contribute(con, who, groups(clean), key="", parameter="receipt")
            self._insert(con, cid, clean)
        return cid

    def amend(self, receipt: str, response: Mapping) -> int:
        """Replace the answer of the participant with code ``receipt`` by ``response`` while
        the round is open and no shown state holds it; returns the new version's id. An
        unknown code, a closed round or a malformed response is refused and nothing
        changes."""
        code = check_receipt(receipt)
        clean = check_response(response, self.criteria_ids)
        with self.transaction() as con:
            if self.current_contribution(con, code, "") is None:
                self.check_open(con, "receipt")
                raise KitInputError("receipt_unknown", parameter="receipt", value=code)
            cid = self.contribute(con, code, groups(clean), key="", parameter="receipt")
            self._insert(con, cid, clean)
        return cid

    def answer(self, receipt: str) -> dict:
        """The current version of the answer with participant code ``receipt``, as a response
        dict (for the form to load it); refused after the round is closed, once a shown state
        holds it, and for everyone once too many unknown codes were tried in the round."""
        code = self.find(receipt)
        with self.connect() as con:
            cid = self.current_contribution(con, code, "")
            if cid is None:
                raise KitInputError("receipt_unknown", parameter="receipt", value=code)
            slot, groups = con.execute(
                "SELECT slot, groups FROM contributions WHERE id = ?", (cid,)
            ).fetchone()
            shown = self._shown(con)
            if any(shown.get(g, 0) >= slot for g in json.loads(groups)):
                raise KitInputError("answer_in_room_view", parameter="receipt")
            row = con.execute(
                "SELECT partner, role, assessor FROM responses WHERE contribution = ?", (cid,)
            ).fetchone()
            ratings = {
                c: {"level": level, "confidence": conf, "evidence": ev, "idea": idea}
                for c, level, conf, ev, idea in con.execute(
                    "SELECT criterion, level, confidence, evidence, idea FROM ratings "
                    "WHERE contribution = ? ORDER BY criterion",
                    (cid,),
                )
            }
        return {"partner": row[0], "role": row[1], "assessor": row[2], "ratings": ratings}

    def receipt(self, response_id: int) -> str:
        """The participant code of the response ``response_id``."""
        with self.connect() as con:
            row = con.execute(
                "SELECT participant FROM contributions WHERE id = ?", (int(response_id),)
            ).fetchone()
        return str(row[0]) if row else ""

    @staticmethod
    def _insert(con: sqlite3.Connection, cid: int, clean: dict) -> None:
        con.execute(
            "INSERT INTO responses (contribution, partner, role, assessor, extra) "
            "VALUES (?, ?, ?, ?, ?)",
            (cid, clean["partner"], clean["role"], clean["assessor"], clean["extra"]),
        )
        con.executemany(
            "INSERT INTO ratings (contribution, criterion, level, confidence, evidence, "
            "idea) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (cid, c, r["level"], r["confidence"], r["evidence"], r["idea"])
                for c, r in clean["ratings"].items()
            ],
        )

    def responses(self, shown: bool = True) -> pd.DataFrame:
        """The ratings, one row each (:data:`COLUMNS`; ``response_id`` is the answer's slot,
        its place in the privacy steps, which an amendment does not change): by default
        those the room's last shown state holds (what every view, report and export reads);
        with ``shown=False`` every current rating (for tests and the store's own checks)."""
        import pandas as pd

        where = (
            "JOIN shown s ON s.grp = g.criterion || '|' || r.partner || '|' || r.role "
            "AND c.slot <= s.through "
            if shown
            else ""
        )
        with self.connect() as con:
            frame = pd.read_sql_query(
                "SELECT c.slot AS response_id, c.at AS submitted_at, r.partner, r.role, "
                "r.assessor, g.criterion, g.level, g.confidence, g.evidence, g.idea "
                "FROM contributions c JOIN responses r ON r.contribution = c.id "
                "JOIN ratings g ON g.contribution = c.id "
                + where
                + "WHERE c.superseded_by IS NULL ORDER BY response_id, g.criterion",
                con,
            )
        return frame.astype({"level": "int64", "confidence": "Int64"})[COLUMNS]

    def label(self, lang: str | None = None) -> str:
        """What the store holds: synthetic demo answers, or answers collected in a workshop."""
        if self.synthetic:
            return t("selfassess.synthetic_label", lang)
        return t("selfassess.real_label", lang, file=paths.relative(self.path))


def default_store() -> Path:
    """Where the workshop's answers go unless told otherwise (:func:`kit.store.default_path`:
    ``$KIT_STORE_SELF_ASSESSMENT`` or the state folder)."""
    return default_path(WORKSHOP)


def open_store(path: str | Path) -> ResponseStore:
    """The workshop's store at ``path`` (the registry's :class:`~kit.workshops.spec.Collects`)."""
    return ResponseStore(path)


def sample(store: ResponseStore, participant: str, number: int) -> int:
    """One valid answer of ``participant`` (one partner's staff, three criteria, levels from
    ``number``)."""
    ids = partners.ids(include_network=False)
    return store.submit(
        {
            "partner": ids[0],
            "role": "self",
            "assessor": f"Sample {number}",
            "ratings": {
                c: {"level": (number + i) % len(LEVELS), "idea": f"idea {number}"}
                for i, c in enumerate(store.criteria_ids[:3])
            },
        },
        participant,
    )


def published(store: ResponseStore) -> list[dict]:
    """Every rating the room's last shown state holds (what the live view, the report and the
    export are made of)."""
    return store.responses().drop(columns=["submitted_at"]).to_dict("records")
