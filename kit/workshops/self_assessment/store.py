"""The self-assessment room: responses in the workshop's room store (:mod:`kit.room`).

A **response** is one participant's contribution to the room (one per participant and round;
its groups in the privacy step are the criteria it rates, each of its partner and role:
:func:`groups`)::

    {"partner": "spesia", "role": "self" | "peer", "assessor": "Name",
     "ratings": {"JOH1": {"level": 0-4, "confidence": 1-3 (optional),
                          "evidence": "...", "idea": "..."}, ...}}

Ratings may cover only some criteria. Other top-level fields are kept as they are. The store,
its transactions and rounds are the room core's (:mod:`kit.store`, :mod:`kit.room`): 30
attendees submit at once, a writer killed mid-write leaves nothing half-written, a malformed
response is refused with a clear message while everything stored stays, and a closed round
takes nothing.

**Codes and amendments.** The participant code an attendee's device gets on joining is the
answer's receipt (:data:`RECEIPT_LENGTH` characters, no look-alike letters). Whoever holds it
may load their answer (:meth:`ResponseStore.answer`) and replace it
(:meth:`ResponseStore.amend`) while the round is open and no shown state of the room holds it;
a shown answer is frozen. Every view, report and export reads the room's last shown state
(:meth:`ResponseStore.responses`).

This module imports neither numpy nor pandas until a frame is asked for: the form's kernel
submits through it and stays small.
"""

from __future__ import annotations

import json
import numbers
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kit import files, partners, paths
from kit.errors import KitInputError
from kit.i18n import t
from kit.room import CODE_ALPHABET, CODE_LENGTH, MAX_FAILED_LOOKUPS, Room, check_code
from kit.store import build, built, default_path, demo_path
from kit.workshops.self_assessment.criteria import LEVELS, criterion_ids, load_criteria

if TYPE_CHECKING:  # pragma: no cover - only for the type hints
    import pandas as pd

ROLES = ("self", "peer")
CONFIDENCE = (1, 2, 3)
MAX_TEXT = 4000
#: the workshop's name in the registry (its store's file and environment variable)
WORKSHOP = "self_assessment"
#: receipt codes are the room's participant codes (:mod:`kit.room`)
RECEIPT_ALPHABET, RECEIPT_LENGTH = CODE_ALPHABET, CODE_LENGTH
__all__ = ["MAX_FAILED_LOOKUPS", "ResponseStore", "check_receipt", "check_response"]
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


# --- responses ----------------------------------------------------------------------------------


def check_response(response: object, criteria_ids: Iterable[str]) -> dict:
    """Return a clean copy of ``response`` or raise :class:`KitInputError` (a ``ValueError``)
    that says what is wrong, in the current language."""
    ids = set(criteria_ids)
    if not isinstance(response, Mapping):
        raise KitInputError("response_not_mapping", value=type(response).__name__)
    for field in ("partner", "role", "assessor", "ratings"):
        if field not in response:
            raise KitInputError("response_missing_field", parameter=field)
    partner = response["partner"]
    valid = partners.ids(include_network=False)
    if partner not in valid:
        raise KitInputError(
            "unknown_partner", parameter="partner", value=partner, valid=", ".join(valid)
        )
    if response["role"] not in ROLES:
        raise KitInputError(
            "unknown_value", parameter="role", value=response["role"], valid=", ".join(ROLES)
        )
    assessor = response["assessor"]
    if not isinstance(assessor, str) or not assessor.strip() or len(assessor) > 200:
        raise KitInputError("response_bad_assessor", parameter="assessor")
    ratings = response["ratings"]
    if not isinstance(ratings, Mapping) or not ratings:
        raise KitInputError("response_no_ratings", parameter="ratings")
    clean: dict[str, dict] = {}
    for cid, rating in ratings.items():
        if cid not in ids:
            raise KitInputError(
                "unknown_value", parameter=f"ratings.{cid}", value=cid, valid=", ".join(sorted(ids))
            )
        if not isinstance(rating, Mapping) or "level" not in rating:
            raise KitInputError("response_rating_needs_level", parameter=f"ratings.{cid}")
        level = rating["level"]
        if (
            isinstance(level, bool)
            or not isinstance(level, numbers.Integral)
            or int(level) not in LEVELS
        ):
            raise KitInputError("response_bad_level", parameter=f"ratings.{cid}.level", value=level)
        confidence = rating.get("confidence")
        if confidence is not None and (
            isinstance(confidence, bool) or confidence not in CONFIDENCE
        ):
            raise KitInputError(
                "response_bad_confidence", parameter=f"ratings.{cid}.confidence", value=confidence
            )
        texts = {}
        for name in ("evidence", "idea"):
            value = rating.get(name, "") or ""
            if not isinstance(value, str) or len(value) > MAX_TEXT:
                raise KitInputError(
                    "response_bad_text", parameter=f"ratings.{cid}.{name}", limit=MAX_TEXT
                )
            texts[name] = value.strip()
        clean[str(cid)] = {
            "level": int(level),
            "confidence": None if confidence is None else int(confidence),
            **texts,
        }
    extra = {
        k: v for k, v in response.items() if k not in ("partner", "role", "assessor", "ratings")
    }
    try:
        extra_json = json.dumps(extra, ensure_ascii=False)
    except (TypeError, ValueError):
        raise KitInputError("response_extra_not_json") from None
    return {
        "partner": partner,
        "role": response["role"],
        "assessor": assessor.strip(),
        "ratings": clean,
        "extra": extra_json,
    }


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

    def count(self) -> int:
        """How many answers are stored (an amended answer counts once; participation)."""
        with self.connect() as con:
            return int(
                con.execute(
                    "SELECT COUNT(*) FROM contributions WHERE superseded_by IS NULL"
                ).fetchone()[0]
            )

    def label(self, lang: str | None = None) -> str:
        """What the store holds: synthetic demo answers, or answers collected in a workshop."""
        if self.synthetic:
            return t("selfassess.synthetic_label", lang)
        return t("selfassess.real_label", lang, file=paths.relative(self.path))


def groups(clean: Mapping) -> list[str]:
    """The privacy step's groups of a checked response: one per criterion it rates, of its
    partner and role (``JOH1|spesia|self``), the finest cell any view or report shows. Each
    cell moves only with ``k`` new participants of its own, so no partner's or role's figure
    differs between two shown states by fewer than ``k`` people."""
    return [f"{c}|{clean['partner']}|{clean['role']}" for c in clean["ratings"]]


def check_receipt(code: object) -> str:
    """A participant code as typed, in its stored form (:func:`kit.room.check_code`)."""
    return check_code(code)


def default_store() -> Path:
    """Where the workshop's answers go unless told otherwise (:func:`kit.store.default_path`:
    ``$KIT_STORE_SELF_ASSESSMENT`` or the state folder)."""
    return default_path(WORKSHOP)


# --- import and export (CSV and .xlsx) ----------------------------------------------------------


def export(store: ResponseStore, out: str | Path) -> Path:
    """Write every rating to ``out`` (``.csv`` or ``.xlsx``), one row per rating."""
    out = Path(out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise KitInputError(
            "unknown_value", parameter="--out", value=out.suffix, valid=".csv, .xlsx"
        )
    return files.write_table(store.responses(), out)


def import_file(store: ResponseStore, path: str | Path) -> int:
    """Read ratings from a spreadsheet (the ``ratings`` kind: ``partner, role, assessor,
    criterion, level``, and optionally ``confidence, evidence, idea``; CSV or .xlsx) and store
    one response per partner, role and assessor. The file is checked like any input and every
    row against the store's criteria first; a bad row stops the import with its row and column
    named, and nothing is stored."""
    from kit import loader

    shown = paths.relative(Path(path))
    frame = loader.read(path, kind="ratings").frame
    grouped: dict[tuple, dict] = {}
    for row, r in zip(frame.index, frame.itertuples(index=False)):
        rating = {
            "level": int(r.level),
            "evidence": r.evidence if isinstance(r.evidence, str) else "",
            "idea": r.idea if isinstance(r.idea, str) else "",
        }
        if isinstance(r.confidence, str):
            rating["confidence"] = int(r.confidence)
        response = grouped.setdefault(
            (r.partner, r.role, r.assessor),
            {"partner": r.partner, "role": r.role, "assessor": r.assessor, "ratings": {}},
        )
        response["ratings"][r.criterion] = rating
        try:
            check_response({**response, "ratings": {r.criterion: rating}}, store.criteria_ids)
        except KitInputError as exc:
            column = (exc.parameter or "").split(".")[-1] or None
            if column == r.criterion:
                column = "criterion"
            raise KitInputError(
                exc.reason,
                file=shown,
                row=int(row),
                column=column if column in frame.columns else None,
                **exc.params,
            ) from None
    for response in grouped.values():
        store.submit(response)
    return len(grouped)


# --- synthetic demo answers ---------------------------------------------------------------------

DEMO_SEED = 2026
DEMO_VERSION = "2"  # rebuilt when what _fill_demo writes changes
DEMO_SELF, DEMO_PEERS = 8, 5
_IDEAS = {
    "fi": [
        "Sovitaan vastuuhenkilö ja seurantapalaveri kerran lukukaudessa.",
        "Otetaan palautteen tulokset tiimipalaverien vakioasiaksi.",
        "Kuvataan prosessi yhdessä työelämän edustajien kanssa.",
        "Kerätään näyttöä järjestelmällisesti yhteiseen kansioon.",
        "Järjestetään vertaisarviointi toisen kumppanin kanssa.",
    ],
    "evidence": [
        "Toimintasuunnitelma ja vuosikello.",
        "Opiskelijapalautteen raportit.",
        "Työelämätoimikunnan muistiot.",
        "Sisäisen auditoinnin raportti.",
        "Henkilöstökyselyn tulokset.",
    ],
}


def build_demo(path: str | Path | None = None, seed: int = DEMO_SEED) -> Path:
    """Write synthetic self and peer assessments for the six partners to a new store at
    ``path`` (default: the demo store): eight staff and five peers each, with partner and area
    profiles, peers a little stricter than staff, all shown, and the store labelled synthetic.
    Built whole (:func:`kit.store.build`)."""
    return build(
        Path(path) if path else demo_path(WORKSHOP),
        lambda p: ResponseStore(p, load_criteria()),
        lambda s: _fill_demo(s, seed),
    )


def _fill_demo(store: ResponseStore, seed: int) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    criteria = load_criteria()
    ids = list(partners.ids(include_network=False))
    areas = sorted(set(criteria["area"]))
    for p_i, partner in enumerate(ids):
        base = 1.6 + 0.25 * p_i % 1.0 + rng.normal(0, 0.2)
        area_effect = dict(zip(areas, rng.normal(0, 0.45, len(areas))))
        for role, count, shift in (("self", DEMO_SELF, 0.35), ("peer", DEMO_PEERS, -0.1)):
            for a in range(1, count + 1):
                name = (
                    f"Henkilöstö {a}"
                    if role == "self"
                    else f"Vertainen {a} ({ids[(p_i + a) % len(ids)]})"
                )
                ratings = {}
                for c in criteria.itertuples():
                    if role == "peer" and rng.random() < 0.15:
                        continue  # peers review only the chosen areas
                    level = int(
                        np.clip(
                            np.rint(base + area_effect[c.area] + shift + rng.normal(0, 0.7)), 0, 4
                        )
                    )
                    ratings[c.id] = {
                        "level": level,
                        "confidence": int(rng.integers(1, 4)),
                        "evidence": str(rng.choice(_IDEAS["evidence"])),
                        "idea": str(rng.choice(_IDEAS["fi"])) if rng.random() < 0.6 else "",
                    }
                store.submit(
                    {
                        "partner": partner,
                        "role": role,
                        "assessor": name,
                        "ratings": ratings,
                        "source": "synthetic demo",
                    }
                )
    store.advance()
    store.mark_synthetic(seed=seed, generator="kit.workshops.self_assessment.store.build_demo")


def demo_store() -> ResponseStore:
    """The synthetic demo store, built on first use."""
    return built(
        demo_path(WORKSHOP),
        lambda p: ResponseStore(p),
        lambda s: _fill_demo(s, DEMO_SEED),
        DEMO_VERSION,
    )


def export_room(path: str | Path, out: str | Path, lang: str | None = None) -> Path:
    """``kit room export self_assessment``: the room's last shown state per criterion
    (ratings at each level, n and median, through the privacy rule) as
    ``self_assessment_room.xlsx`` in ``out``, with an about sheet; returns the file."""
    import pandas as pd

    from kit import room as rooms
    from kit.workshops.self_assessment import assessment
    from kit.workshops.self_assessment.criteria import criterion_names, level_names

    store = ResponseStore(path)
    table = assessment.room(store.responses())
    names, levels = criterion_names(load_criteria(), lang), level_names(lang)
    table.insert(1, "name", table["criterion"].map(names))
    table = table.rename(
        columns={
            "criterion": t("assessment.col.criterion", lang),
            "name": t("assessment.col.name", lang),
            "n": "n",
            "median": t("assessment.col.median", lang),
            **{f"n_{v}": f"{v} {levels[v]}" for v in LEVELS},
        }
    )
    about = pd.DataFrame({t("room.sheet_about", lang): rooms.about(store, store.label(lang), lang)})
    return files.write_sheets(
        Path(out) / "self_assessment_room.xlsx",
        {t("live.room_sheet", lang): table, t("room.sheet_about", lang): about},
    )


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
