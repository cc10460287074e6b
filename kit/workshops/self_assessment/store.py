"""The self-assessment response store: one SQLite file, safe for a room submitting at once.

**Responses** go to a :class:`ResponseStore`, one SQLite file (WAL journal, a busy timeout, one
transaction per response), so 30 attendees can submit through one Voilà server at once, a writer
killed mid-write leaves nothing half-written, and a malformed response is refused with a clear
message while everything already stored stays. A response is::

    {"partner": "spesia", "role": "self" | "peer", "assessor": "Name",
     "ratings": {"JOH1": {"level": 0-4, "confidence": 1-3 (optional),
                          "evidence": "...", "idea": "..."}, ...}}

Ratings may cover only some criteria. Other top-level fields are kept as they are.

**Receipts and amendments.** Each submission gets a short receipt code (:data:`RECEIPT_LENGTH`
characters, no look-alike letters). Whoever holds the code may load their answer
(:meth:`ResponseStore.answer`) and replace it (:meth:`ResponseStore.amend`) while the round is
open and the room's live view has not yet shown it. The new version is a new row that
supersedes the old one; reports, exports and the live view read current versions. Once the live
view has taken a step that includes an answer, the answer is frozen: otherwise the live view and
a later report (or two states of the live view) would differ by that one person's change.
The live view reads each answer under its first id (``responses(live=True)``) and takes its
steps inside one transaction with the amendments' check (:meth:`ResponseStore.advance_live`).

This module imports neither numpy nor pandas until a frame is asked for: the form's kernel
submits through it and stays small.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import numbers
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kit import files, partners, paths
from kit.errors import KitInputError
from kit.i18n import t
from kit.workshops.self_assessment.criteria import LEVELS, criterion_ids, load_criteria

if TYPE_CHECKING:  # pragma: no cover - only for the type hints
    import pandas as pd

ROLES = ("self", "peer")
CONFIDENCE = (1, 2, 3)
MAX_TEXT = 4000
#: receipt codes: no 0/O, 1/I/L or 5/S to mix up when read aloud or typed on a phone
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
RECEIPT_LENGTH = 6
#: failed code look-ups a round allows before loading answers is locked (until the round is
#: reopened): with 29^6 codes, 20 guesses find one of 30 answers with odds of about 1 in a million
MAX_FAILED_LOOKUPS = 20
COLUMNS = ["response_id", "submitted_at", "partner", "role", "assessor", "criterion", "level",
           "confidence", "evidence", "idea"]


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
        raise KitInputError("unknown_partner", parameter="partner", value=partner,
                            valid=", ".join(valid))
    if response["role"] not in ROLES:
        raise KitInputError("unknown_value", parameter="role", value=response["role"],
                            valid=", ".join(ROLES))
    assessor = response["assessor"]
    if not isinstance(assessor, str) or not assessor.strip() or len(assessor) > 200:
        raise KitInputError("response_bad_assessor", parameter="assessor")
    ratings = response["ratings"]
    if not isinstance(ratings, Mapping) or not ratings:
        raise KitInputError("response_no_ratings", parameter="ratings")
    clean: dict[str, dict] = {}
    for cid, rating in ratings.items():
        if cid not in ids:
            raise KitInputError("unknown_value", parameter=f"ratings.{cid}", value=cid,
                                valid=", ".join(sorted(ids)))
        if not isinstance(rating, Mapping) or "level" not in rating:
            raise KitInputError("response_rating_needs_level", parameter=f"ratings.{cid}")
        level = rating["level"]
        if isinstance(level, bool) or not isinstance(level, numbers.Integral) \
                or int(level) not in LEVELS:
            raise KitInputError("response_bad_level", parameter=f"ratings.{cid}.level",
                                value=level)
        confidence = rating.get("confidence")
        if confidence is not None and (isinstance(confidence, bool) or confidence not in CONFIDENCE):
            raise KitInputError("response_bad_confidence", parameter=f"ratings.{cid}.confidence",
                                value=confidence)
        texts = {}
        for name in ("evidence", "idea"):
            value = rating.get(name, "") or ""
            if not isinstance(value, str) or len(value) > MAX_TEXT:
                raise KitInputError("response_bad_text", parameter=f"ratings.{cid}.{name}",
                                    limit=MAX_TEXT)
            texts[name] = value.strip()
        clean[str(cid)] = {"level": int(level),
                           "confidence": None if confidence is None else int(confidence), **texts}
    extra = {k: v for k, v in response.items() if k not in ("partner", "role", "assessor",
                                                            "ratings")}
    try:
        extra_json = json.dumps(extra, ensure_ascii=False)
    except (TypeError, ValueError):
        raise KitInputError("response_extra_not_json") from None
    return {"partner": partner, "role": response["role"], "assessor": assessor.strip(),
            "ratings": clean, "extra": extra_json}


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submitted_at TEXT NOT NULL,
    partner TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('self', 'peer')),
    assessor TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    receipt TEXT,
    superseded_by INTEGER
);
CREATE TABLE IF NOT EXISTS ratings (
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    criterion TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    confidence INTEGER CHECK (confidence IS NULL OR confidence BETWEEN 1 AND 3),
    evidence TEXT NOT NULL DEFAULT '',
    idea TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (response_id, criterion)
);
"""


class ResponseStore:
    """Self-assessment responses in one SQLite file at ``path`` (made on first use).

    Every call opens its own connection, so the store can be shared by threads and processes:
    the WAL journal lets readers go on while one writer writes, and a writer waits up to
    ``timeout`` seconds for its turn. Each response is one transaction: it is stored whole or
    not at all.
    """

    def __init__(self, path: str | Path | None = None, criteria: pd.DataFrame | None = None,
                 timeout: float = 60.0) -> None:
        self.path = Path(path) if path else default_store()
        self.timeout = timeout
        self.criteria_ids = (list(criteria["id"]) if criteria is not None
                             else criterion_ids())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_SCHEMA)
            have = {row[1] for row in con.execute("PRAGMA table_info(responses)")}
            for column in ("receipt TEXT", "superseded_by INTEGER"):
                if column.split()[0] not in have:  # a store made before receipts existed
                    con.execute(f"ALTER TABLE responses ADD COLUMN {column}")

    @contextlib.contextmanager
    def _connect(self):
        try:
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise KitInputError("store_unusable", file=str(self.path), detail=str(exc)) from None
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=ON")
            yield con
        except sqlite3.DatabaseError as exc:
            raise KitInputError("store_unusable", file=str(self.path), detail=str(exc)) from None
        finally:
            con.close()

    def submit(self, response: Mapping) -> int:
        """Check and store one response; returns its id (its receipt code:
        :meth:`receipt`). A malformed response raises a ``ValueError``
        (:class:`KitInputError`) and stores nothing."""
        clean = check_response(response, self.criteria_ids)
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                rid = self._insert(con, clean, self._new_receipt(con))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return rid

    def amend(self, receipt: str, response: Mapping) -> int:
        """Replace the answer with receipt code ``receipt`` by ``response`` while the round is
        open; returns the new version's id (the receipt code stays the same). An unknown code,
        a closed round or a malformed response is refused and nothing changes."""
        code = check_receipt(receipt)
        clean = check_response(response, self.criteria_ids)
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                if self._closed(con):
                    raise KitInputError("round_closed", parameter="receipt")
                old = con.execute("SELECT id FROM responses WHERE receipt = ? AND "
                                  "superseded_by IS NULL", (code,)).fetchone()
                if old is None:
                    raise KitInputError("receipt_unknown", parameter="receipt", value=code)
                self._check_not_shown(con, code, set(clean["ratings"]))
                rid = self._insert(con, clean, code)
                con.execute("UPDATE responses SET superseded_by = ? WHERE id = ?", (rid, old[0]))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return rid

    def answer(self, receipt: str) -> dict:
        """The current version of the answer with receipt code ``receipt``, as a response
        dict (for the form to load it); refused after the round is closed, and for everyone
        once :data:`MAX_FAILED_LOOKUPS` unknown codes have been tried in the round (guessing
        codes through the form is how someone would read another's answer)."""
        code = check_receipt(receipt)
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                if self._closed(con):
                    raise KitInputError("round_closed", parameter="receipt")
                failed = con.execute("SELECT value FROM meta WHERE key = 'failed_lookups'"
                                     ).fetchone()
                failed = int(failed[0]) if failed else 0
                if failed >= MAX_FAILED_LOOKUPS:
                    raise KitInputError("receipt_locked", parameter="receipt")
                row = con.execute("SELECT id, partner, role, assessor FROM responses WHERE "
                                  "receipt = ? AND superseded_by IS NULL", (code,)).fetchone()
                if row is None:
                    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                                "('failed_lookups', ?)", (str(failed + 1),))
                    con.execute("COMMIT")
                    raise KitInputError("receipt_unknown", parameter="receipt", value=code)
                self._check_not_shown(con, code, set())
                con.execute("COMMIT")
            except KitInputError:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            ratings = {cid: {"level": level, "confidence": conf, "evidence": ev, "idea": idea}
                       for cid, level, conf, ev, idea in con.execute(
                           "SELECT criterion, level, confidence, evidence, idea FROM ratings "
                           "WHERE response_id = ? ORDER BY criterion", (row[0],))}
        return {"partner": row[1], "role": row[2], "assessor": row[3], "ratings": ratings}

    def receipt(self, response_id: int) -> str:
        """The receipt code of the submission ``response_id``."""
        with self._connect() as con:
            row = con.execute("SELECT receipt FROM responses WHERE id = ?",
                              (int(response_id),)).fetchone()
        return str(row[0]) if row and row[0] else ""

    def close_round(self) -> None:
        """Close the round: no answer can be loaded or amended any more."""
        self.set_meta(round_closed="true")

    def reopen_round(self) -> None:
        """Open the round again (amendments allowed, failed code look-ups forgotten); the
        live view only closes rounds, so this is the facilitator's, from Python."""
        self.set_meta(round_closed="false", failed_lookups="0")

    def round_open(self) -> bool:
        """Whether answers may still be amended."""
        with self._connect() as con:
            return not self._closed(con)

    @staticmethod
    def _check_not_shown(con: sqlite3.Connection, code: str, criteria: set[str]) -> None:
        """Refuse to change an answer the live view has already shown (any criterion it
        rated before, or rates now, whose live state has reached the answer's first id)."""
        first = int(con.execute("SELECT MIN(id) FROM responses WHERE receipt = ?",
                                (code,)).fetchone()[0])
        rated = {c for (c,) in con.execute(
            "SELECT DISTINCT g.criterion FROM ratings g JOIN responses r ON r.id = "
            "g.response_id WHERE r.receipt = ?", (code,))}
        row = con.execute("SELECT value FROM meta WHERE key = 'live'").fetchone()
        state = json.loads(row[0]) if row else {}
        if any(int(state.get(c, 0)) >= first for c in rated | criteria):
            raise KitInputError("answer_in_room_view", parameter="receipt")

    def advance_live(self, step: Callable[[pd.DataFrame, dict[str, int]], dict[str, int]]
                     ) -> tuple[pd.DataFrame, dict[str, int]]:
        """The live view's next step, in one transaction with the amendments' check: the
        answers as the live view reads them (:meth:`responses` with ``live``), the new state
        ``step(responses, state)``, kept; returns both."""
        import pandas as pd

        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                frame = self._read(con, pd, live=True)
                row = con.execute("SELECT value FROM meta WHERE key = 'live'").fetchone()
                shown = {str(k): int(v) for k, v in json.loads(row[0] if row else "{}").items()}
                state = step(frame, shown)
                con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('live', ?)",
                            (json.dumps(dict(sorted(state.items()))),))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return frame, state

    @staticmethod
    def _closed(con: sqlite3.Connection) -> bool:
        row = con.execute("SELECT value FROM meta WHERE key = 'round_closed'").fetchone()
        return bool(row and row[0] == "true")

    @staticmethod
    def _new_receipt(con: sqlite3.Connection) -> str:
        while True:
            code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
            if con.execute("SELECT 1 FROM responses WHERE receipt = ?", (code,)).fetchone() is None:
                return code

    @staticmethod
    def _insert(con: sqlite3.Connection, clean: dict, receipt: str) -> int:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        cur = con.execute(
            "INSERT INTO responses (submitted_at, partner, role, assessor, extra, receipt) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (now, clean["partner"], clean["role"], clean["assessor"], clean["extra"], receipt))
        rid = int(cur.lastrowid)
        con.executemany(
            "INSERT INTO ratings (response_id, criterion, level, confidence, evidence, "
            "idea) VALUES (?, ?, ?, ?, ?, ?)",
            [(rid, cid, r["level"], r["confidence"], r["evidence"], r["idea"])
             for cid, r in clean["ratings"].items()])
        return rid

    def responses(self, live: bool = False) -> pd.DataFrame:
        """Every stored rating of each answer's current version, one row each:
        :data:`COLUMNS`; with ``live`` the ``response_id`` is the answer's first id (its
        place in the live view's steps, which an amendment does not change)."""
        import pandas as pd

        with self._connect() as con:
            return self._read(con, pd, live)

    @staticmethod
    def _read(con: sqlite3.Connection, pd, live: bool = False) -> pd.DataFrame:
        rid = ("COALESCE((SELECT MIN(f.id) FROM responses f WHERE f.receipt = r.receipt), r.id)"
               if live else "r.id")
        frame = pd.read_sql_query(
            f"SELECT {rid} AS response_id, r.submitted_at, r.partner, r.role, r.assessor, "
            "g.criterion, g.level, g.confidence, g.evidence, g.idea "
            "FROM responses r JOIN ratings g ON g.response_id = r.id "
            "WHERE r.superseded_by IS NULL ORDER BY response_id, g.criterion", con)
        return frame.astype({"level": "int64", "confidence": "Int64"})[COLUMNS]

    def count(self) -> int:
        """How many answers are stored (an amended answer counts once)."""
        with self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM responses "
                                   "WHERE superseded_by IS NULL").fetchone()[0])

    def integrity(self) -> str:
        """SQLite's own integrity check: ``"ok"`` when the file is sound."""
        with self._connect() as con:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])

    def meta(self) -> dict[str, str]:
        """Labels kept with the store (for example that it holds synthetic answers)."""
        with self._connect() as con:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, **values: str) -> None:
        with self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            [(k, str(v)) for k, v in values.items()])

    def live_state(self) -> dict[str, int]:
        """The state the live views show (per criterion, the last submission they include),
        kept in the store so that every view of the room shows the same steps."""
        return {str(k): int(v) for k, v in json.loads(self.meta().get("live", "{}")).items()}

    def set_live_state(self, state: Mapping[str, int]) -> None:
        """Keep the live views' new state (see :meth:`live_state`)."""
        self.set_meta(live=json.dumps(dict(sorted(state.items()))))

    def label(self, lang: str | None = None) -> str:
        """What the store holds: synthetic demo answers, or answers collected in a workshop."""
        if self.meta().get("synthetic") == "true":
            return t("selfassess.synthetic_label", lang)
        return t("selfassess.real_label", lang, file=paths.relative(self.path))


def check_receipt(code: object) -> str:
    """A receipt code as typed (any case, spaces or dashes) in its stored form, or a message
    that says what a code looks like."""
    text = re.sub(r"[\s-]", "", code).upper() if isinstance(code, str) else ""
    if len(text) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in text):
        raise KitInputError("receipt_bad", parameter="receipt", length=RECEIPT_LENGTH)
    return text


def default_store() -> Path:
    """Where the workshop's answers go unless told otherwise: ``$KIT_SELFASSESS_STORE`` or
    ``data/selfassess/responses.sqlite3``."""
    import os

    env = os.environ.get("KIT_SELFASSESS_STORE")
    return Path(env) if env else paths.work_dir() / "selfassess" / "responses.sqlite3"


# --- import and export (CSV and .xlsx) ----------------------------------------------------------

def export(store: ResponseStore, out: str | Path) -> Path:
    """Write every rating to ``out`` (``.csv`` or ``.xlsx``), one row per rating."""
    out = Path(out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise KitInputError("unknown_value", parameter="--out", value=out.suffix,
                            valid=".csv, .xlsx")
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
        rating = {"level": int(r.level), "evidence": r.evidence if isinstance(r.evidence, str)
                  else "", "idea": r.idea if isinstance(r.idea, str) else ""}
        if isinstance(r.confidence, str):
            rating["confidence"] = int(r.confidence)
        response = grouped.setdefault((r.partner, r.role, r.assessor), {
            "partner": r.partner, "role": r.role, "assessor": r.assessor, "ratings": {}})
        response["ratings"][r.criterion] = rating
        try:
            check_response({**response, "ratings": {r.criterion: rating}}, store.criteria_ids)
        except KitInputError as exc:
            column = (exc.parameter or "").split(".")[-1] or None
            if column == r.criterion:
                column = "criterion"
            raise KitInputError(exc.reason, file=shown, row=int(row),
                                column=column if column in frame.columns else None,
                                **exc.params) from None
    for response in grouped.values():
        store.submit(response)
    return len(grouped)


# --- synthetic demo answers ---------------------------------------------------------------------

DEMO_SEED = 2026
DEMO_SELF, DEMO_PEERS = 8, 5
_IDEAS = {
    "fi": ["Sovitaan vastuuhenkilö ja seurantapalaveri kerran lukukaudessa.",
           "Otetaan palautteen tulokset tiimipalaverien vakioasiaksi.",
           "Kuvataan prosessi yhdessä työelämän edustajien kanssa.",
           "Kerätään näyttöä järjestelmällisesti yhteiseen kansioon.",
           "Järjestetään vertaisarviointi toisen kumppanin kanssa."],
    "evidence": ["Toimintasuunnitelma ja vuosikello.", "Opiskelijapalautteen raportit.",
                 "Työelämätoimikunnan muistiot.", "Sisäisen auditoinnin raportti.",
                 "Henkilöstökyselyn tulokset."],
}


def build_demo(path: str | Path | None = None, seed: int = DEMO_SEED) -> Path:
    """Write synthetic self and peer assessments for the six partners to a new store at
    ``path`` (default ``data/demo/selfassess.sqlite3``): eight staff and five peers each, with
    partner and area profiles, peers a little stricter than staff, and the store labelled
    synthetic. Built in a temporary file and renamed, so it appears whole."""
    target = Path(path) if path else paths.demo_dir() / "selfassess.sqlite3"
    with files.atomic(target) as tmp:
        _fill_demo(ResponseStore(tmp, load_criteria()), seed)
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return target


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
                name = (f"Henkilöstö {a}" if role == "self"
                        else f"Vertainen {a} ({ids[(p_i + a) % len(ids)]})")
                ratings = {}
                for c in criteria.itertuples():
                    if role == "peer" and rng.random() < 0.15:
                        continue  # peers review only the chosen areas
                    level = int(np.clip(np.rint(base + area_effect[c.area] + shift
                                                + rng.normal(0, 0.7)), 0, 4))
                    ratings[c.id] = {
                        "level": level, "confidence": int(rng.integers(1, 4)),
                        "evidence": str(rng.choice(_IDEAS["evidence"])),
                        "idea": str(rng.choice(_IDEAS["fi"])) if rng.random() < 0.6 else ""}
                store.submit({"partner": partner, "role": role, "assessor": name,
                              "ratings": ratings, "source": "synthetic demo"})
    store.set_meta(synthetic="true", seed=str(seed),
                   generator="kit.workshops.self_assessment.store.build_demo")


def demo_store() -> ResponseStore:
    """The synthetic demo store, built on first use."""
    target = paths.demo_dir() / "selfassess.sqlite3"
    if not target.exists():
        with files.locked("build-selfassess-demo"):
            if not target.exists():
                build_demo(target)
    return ResponseStore(target)
