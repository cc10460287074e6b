"""The room's vote on which critical points to work on: ballots in the workshop's room store
(:mod:`kit.room`), and a tally that never shows the choices of 1–4 people.

**Ballots** go to a :class:`VoteStore`: a ballot names one to :data:`PICKS` different phases,
is checked before anything is stored, and a malformed one is refused while everything stored
stays. A ballot belongs to a participant, one per round: a second ballot amends the first while
the tally has not shown it. A closed round takes no ballots.

**The tally moves in steps** (the room's privacy step, one group :data:`TALLY`): it takes in
new ballots only when at least the privacy threshold of *different participants* have voted
since its last step, inside one transaction, and every view reads the same kept state. Two
states of the tally therefore differ by *k* voters or more, and the export
(:meth:`VoteStore.result`) reads the last shown state, never the ballots after it.

No pandas here: the voting app's kernel stays small.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from kit import paths
from kit.errors import KitInputError
from kit.i18n import t
from kit.room import Room
from kit.store import default_path
from kit.threshold import threshold

#: how many phases a ballot names at most
PICKS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ballots (
    contribution INTEGER PRIMARY KEY REFERENCES contributions(id),
    choices TEXT NOT NULL
);
"""
#: the workshop's name in the registry (its store's file and environment variable)
WORKSHOP = "work_based_learning"
#: the tally is one group of the privacy step: it moves when k different voters are new
TALLY = "tally"


def default_store() -> Path:
    """The workshop's vote store (:func:`kit.store.default_path`)."""
    return default_path(WORKSHOP)


def check_ballot(choices: object, allowed: Sequence[str]) -> list[str]:
    """The ballot's phases, checked: one to :data:`PICKS` different ids of ``allowed``."""
    if isinstance(choices, str) or not isinstance(choices, Iterable):
        raise KitInputError("vote_bad", parameter="choices", value=repr(choices), most=PICKS)
    picked = [str(c).strip().upper() for c in choices]
    if not 1 <= len(picked) <= PICKS or len(set(picked)) != len(picked):
        raise KitInputError(
            "vote_bad", parameter="choices", value=", ".join(picked) or "–", most=PICKS
        )
    unknown = [c for c in picked if c not in allowed]
    if unknown:
        raise KitInputError(
            "unknown_value", parameter="choices", value=unknown[0], valid=", ".join(allowed)
        )
    return picked


class VoteStore(Room):
    """Ballots in the workshop's room store at ``path`` (made on first use), for the phases
    ``allowed``. A ballot is one contribution per participant and round."""

    SCHEMA = _SCHEMA

    def __init__(
        self, path: str | Path | None = None, allowed: Sequence[str] = (), timeout: float = 60.0
    ) -> None:
        super().__init__(Path(path) if path else default_store(), timeout)
        self.allowed = [str(a).upper() for a in allowed]

    def cast(self, choices: Sequence[str], participant: str | None = None) -> int:
        """Check and store the ballot of ``participant`` (default: a new one joins, or the
        signed-in user); a second ballot of theirs in the round amends the first while the
        tally has not shown it. Returns the ballot's id. A bad ballot, a shown one or a closed
        round raises :class:`KitInputError` and stores nothing."""
        picked = check_ballot(choices, self.allowed)
        who = participant or self.join()
        with self.transaction() as con:
            cid = self.contribute(con, who, [TALLY], key="", parameter="choices")
            con.execute(
                "INSERT INTO ballots (contribution, choices) VALUES (?, ?)",
                (cid, json.dumps(picked)),
            )
        return cid

    def tally(self) -> dict:
        """The last shown state: ``voters`` (ballots it holds), ``votes`` (phase → ballots
        naming it, every allowed phase listed), ``waiting`` (different voters since, not yet
        shown) and ``step`` (the privacy threshold)."""
        with self.connect() as con:
            through = self._shown(con).get(TALLY, 0)
            rows = con.execute(
                "SELECT b.choices FROM ballots b JOIN contributions c ON "
                "c.id = b.contribution WHERE c.superseded_by IS NULL AND "
                "c.slot <= ?",
                (through,),
            ).fetchall()
            waiting = self._waiting(con).get(TALLY, 0)
        votes = {p: 0 for p in self.allowed}
        for (choices,) in rows:
            for p in json.loads(choices):
                votes[p] = votes.get(p, 0) + 1
        return {"voters": len(rows), "votes": votes, "waiting": waiting, "step": threshold()}

    def result(self, names: dict[str, str] | None = None) -> list[dict]:
        """The shown tally as rows, most votes first: ``phase, name, votes, voters``; empty
        while fewer than the threshold have been taken in."""
        state = self.tally()
        if state["voters"] < threshold():
            return []
        rows = [
            {"phase": p, "name": (names or {}).get(p, p), "votes": v, "voters": state["voters"]}
            for p, v in state["votes"].items()
        ]
        return sorted(rows, key=lambda r: (-r["votes"], r["phase"]))

    def label(self, lang: str | None = None) -> str:
        """What the store holds: the demo's invented ballots, or a workshop's."""
        if self.synthetic:
            return t("wbl.votes_synthetic", lang)
        return t("wbl.votes_real", lang, file=paths.relative(self.path))


def export_room(path: str | Path, out: str | Path, lang: str | None = None) -> Path:
    """``kit room export work_based_learning``: the vote's last shown tally (phase, votes,
    voters; nothing while fewer than the threshold have been shown) as ``vote.xlsx`` in
    ``out``, with an about sheet; returns the file."""
    import pandas as pd

    from kit import files
    from kit import room as rooms
    from kit.workshops.work_based_learning import phases

    process = phases.load()
    store = VoteStore(path, process.ids())
    rows = store.result(process.names(lang))
    table = pd.DataFrame(rows, columns=["phase", "name", "votes", "voters"]).rename(
        columns={c: t(f"wbl.vote_col.{c}", lang) for c in ("phase", "name", "votes", "voters")}
    )
    about = pd.DataFrame({t("room.sheet_about", lang): rooms.about(store, store.label(lang), lang)})
    return files.write_sheets(
        Path(out) / "vote.xlsx",
        {t("wbl.vote_sheet", lang): table, t("room.sheet_about", lang): about},
    )


def open_store(path: str | Path) -> VoteStore:
    """The workshop's store at ``path``, for the process's phases."""
    from kit.workshops.work_based_learning import phases

    return VoteStore(path, phases.load().ids())


def sample(store: VoteStore, participant: str, number: int) -> int:
    """One valid ballot of ``participant`` (one or two phases, chosen by ``number``)."""
    ids = store.allowed
    picks = [ids[number % len(ids)]] + ([ids[(number + 3) % len(ids)]] if number % 2 else [])
    return store.cast(picks, participant)


def published(store: VoteStore) -> dict:
    """What the tally shows of the ballots (the last shown state)."""
    state = store.tally()
    return {"voters": state["voters"], "votes": state["votes"]}
