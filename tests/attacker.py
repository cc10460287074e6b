"""An independent attacker for the kit's privacy rule: what can a reader work out from what the
kit shows?

The attacker knows nothing of how the kit decides what to hide. It sees published tables only:
rows of counts (missing where hidden), their ``respondents_label`` and, where the kit shows it,
``scale_respondents``; the list of finest people cells (hidden rows are listed with their
labels); and, optionally, official participation counts. From these it asks, by linear
programming, whether any answer count of a group of 1–4 respondents is *pinned*: the same
positive number in every table of counts consistent with everything shown.

**Model.** People cells ``c`` (provider × period × survey × qualification) and the questions
``q`` each cell lists make *pairs*. A pair whose finest row is shown is a known constant; a
hidden pair has unknowns ``x[c, q, v] >= 0`` for the six answer values ``v``. A cell with any
hidden pair has an unknown respondent count ``r[c]`` (at least its largest shown per-question
total); a fully shown cell's respondents are its largest per-question total, as the kit counts
them. Constraints:

* every shown row of every table equals the sum of its pairs, value by value;
* a shown ``scale_respondents`` of a hidden by-question row is the sum of its 1–5 answers;
* ``sum_v x[c, q, v] <= r[c]`` for every hidden pair (``== r[c]`` if everyone answers every
  question, see ``every_question_answered``);
* a row labelled ``"1-4"`` bounds the respondents of its group: at most 4 over the cells that
  ask its question, at least 1 over the whole group; a row hidden "to protect others" bounds
  them to at least 5 (lower bounds are used only where the group lies in one questionnaire,
  so that every bound holds whichever of the two readings of a group the kit uses);
* a participation count fixes the sum of ``r`` over its group.

The relaxation (no integrality, no "the largest per-question total equals ``r``") contains the
truth, so a count pinned by the LPs is really determined by what is shown. A *by-question*
table's shown ``respondents`` is that question's answer count, which the counts already give,
so it adds nothing.

**Speed.** Nothing couples different questionnaires, periods or surveys unless a table adds
them up, so the LP is split into its independent components (at least one per
questionnaire). In each, a few cheap LPs (minimising all targets, then random directions over
the open targets) clear every target that is zero in, or differs between, feasible solutions;
only the survivors get their own max and min LPs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

PEOPLE: tuple[str, ...] = ("y_tunnus", "period", "survey", "qualification")
VALUES: tuple[str, ...] = ("1", "2", "3", "4", "5", "eos")
COUNTS: list[str] = [f"n_{v}" for v in VALUES]


def cell(
    y_tunnus: str, period: str, survey: str, question_id: str, qualification: str, counts
) -> dict:
    """One row of a tidy table: a finest cell's answer counts (:data:`COUNTS`) to a question."""
    return {
        "y_tunnus": y_tunnus,
        "period": period,
        "survey": survey,
        "question_id": question_id,
        "qualification": qualification,
        **dict(zip(COUNTS, list(counts))),
    }


FINEST: list[str] = [*PEOPLE, "question_id"]
N_VALUES = len(VALUES)
SCALE = np.array([v != "eos" for v in VALUES])  # which values count in scale_respondents

#: a pin: the largest and the smallest possible count differ by less than this
PIN_TOLERANCE = 1e-6
#: two feasible solutions whose values differ by more than this clear a target
CLEAR_TOLERANCE = 1e-5
SMALL_LABEL = re.compile(r"^\s*1\s*[-–]\s*(\d+)\s*$")


@dataclass(frozen=True)
class Published:
    """One published table: key columns (some of :data:`PEOPLE`, plus ``question_id``),
    ``n_1``…``n_eos`` (missing where hidden) and ``respondents_label``; optionally
    ``scale_respondents``. ``within`` restricts the people its rows add up (e.g. a network
    total over some providers only: ``{"y_tunnus": [...]}``)."""

    name: str
    frame: pd.DataFrame
    within: Mapping[str, Collection[str]] = field(default_factory=dict)


@dataclass
class Attack:
    """What the attack found: ``findings`` (one row per pinned count: the table and group it
    was found in, the question, the answer value and the pinned count) and diagnostics."""

    findings: pd.DataFrame
    targets: int  # distinct counts of 1–4 groups checked
    lps: int  # LPs solved
    components: int  # independent LPs the model split into (with targets)
    variables: int
    seconds: float
    skipped_known: int = 0  # participation counts spanning questionnaires (left out)
    cleared_cheaply: int = 0  # targets cleared without their own min/max LP

    def first(self) -> str:
        """The first finding as one line (for assertion messages)."""
        if self.findings.empty:
            return "no pinned count"
        row = self.findings.iloc[0]
        return (
            f"{row['table']} {row['group']} question {row['question_id']} "
            f"value {row['value']}: pinned to {row['count']:g}"
        )


def label_kind(label: object) -> tuple[str, int | None]:
    """``("small", k-1)`` for ``"1-4"``, ``("shown", n)`` for a number, ``("hidden", None)``
    for any other text (a group hidden to protect others), ``("none", None)`` when missing."""
    if label is None or (isinstance(label, float) and np.isnan(label)) or label is pd.NA:
        return "none", None
    text = str(label).strip()
    small = SMALL_LABEL.match(text)
    if small:
        return "small", int(small.group(1))
    if text.isdigit():
        return "shown", int(text)
    return "hidden", None


def default_blocks() -> dict[str, str]:
    """Survey → questionnaire, from the kit's public survey list."""
    from kit.surveys import SURVEYS

    return {code: s.kysely for code, s in SURVEYS.items()}


class _Constraints:
    """Sparse rows ``A x (= or <=) b`` collected piece by piece."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.rhs: list[np.ndarray] = []
        self.n = 0

    def add(
        self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray | float, rhs: np.ndarray
    ) -> None:
        """Add ``len(rhs)`` rows; ``rows`` numbers the entries' rows from 0."""
        rows = np.asarray(rows, dtype=np.int64)
        self.rows.append(rows + self.n)
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), rows.shape).copy())
        self.rhs.append(np.asarray(rhs, dtype=float))
        self.n += len(rhs)

    def matrix(self, n_vars: int, equality: bool) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The rows as a CSR matrix and right-hand side; rows without variables are checked
        against their right-hand side and dropped."""
        if not self.n:
            return sparse.csr_matrix((0, n_vars)), np.zeros(0)
        a = sparse.csr_matrix(
            (np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
            shape=(self.n, n_vars),
        )
        b = np.concatenate(self.rhs)
        a.eliminate_zeros()
        empty = np.diff(a.indptr) == 0
        bad = np.abs(b[empty]) > 1e-6 if equality else b[empty] < -1e-6
        if bad.any():
            raise ValueError(
                "the published tables contradict each other (a row without unknowns "
                "does not add up)"
            )
        return a[~empty], b[~empty]


def _matches(frame: pd.DataFrame, within: Mapping[str, Collection[str]]) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for dim, allowed in within.items():
        mask &= frame[dim].isin(list(allowed)).to_numpy()
    return mask


def _floats(frame: pd.DataFrame) -> np.ndarray:
    """Columns as a float array, missing values as NaN."""
    return frame.apply(pd.to_numeric, errors="coerce").astype("float64").to_numpy()


def _keys(frame: pd.DataFrame) -> list[str]:
    return [d for d in PEOPLE if d in frame.columns]


def attack(
    tables: Iterable[Published | pd.DataFrame],
    universe: pd.DataFrame,
    known_respondents: pd.DataFrame | None = None,
    *,
    blocks: Mapping[str, str] | None = None,
    use_scale_respondents: bool = True,
    every_question_answered: bool = False,
    seed: int = 0,
) -> Attack:
    """Attack published tables: return every answer count of a 1–4 group pinned to a positive
    value.

    ``tables`` are the published tables (a plain DataFrame is a table over all people).
    ``universe`` lists the finest pairs, shown or hidden: columns :data:`PEOPLE` and
    ``question_id``; their shown counts come from the tables keyed by all four people
    dimensions. ``known_respondents`` has some people columns and ``respondents``: the number
    of people in each such group (participation counts). ``blocks`` maps a survey to its
    questionnaire (default: the kit's survey list). ``use_scale_respondents`` reads a shown
    ``scale_respondents`` of a hidden row; ``every_question_answered`` makes every hidden pair's
    answers equal its cell's respondents instead of at most.
    """
    start = time.perf_counter()
    tables = [
        t if isinstance(t, Published) else Published(f"table{i}", t) for i, t in enumerate(tables)
    ]
    model = _Model(
        universe, tables, default_blocks() if blocks is None else blocks, every_question_answered
    )
    for table in tables:
        model.add_table(table, use_scale_respondents)
    skipped = model.add_known(known_respondents)
    found, stats = model.solve(np.random.default_rng(seed))
    return Attack(
        findings=found,
        targets=len(model.targets),
        lps=stats["lps"],
        components=stats["components"],
        variables=model.n_vars,
        seconds=time.perf_counter() - start,
        skipped_known=skipped,
        cleared_cheaply=stats["cheap"],
    )


class _Model:
    """The unknowns, constraints and targets of one attack.

    Unknowns: ``x[p, v]`` for every hidden pair ``p`` (column ``hid[p] * 6 + v``), then
    ``r[c]`` for every cell with a hidden pair (column ``rvar[c]``).
    """

    def __init__(
        self,
        universe: pd.DataFrame,
        tables: Sequence[Published],
        blocks: Mapping[str, str],
        every_question_answered: bool,
    ) -> None:
        pairs = universe[[*PEOPLE, "question_id"]].astype(str).drop_duplicates()
        pairs = pairs.reset_index(drop=True)
        pairs["pair"] = np.arange(len(pairs))
        pairs["cell"] = pairs.groupby(list(PEOPLE), sort=False).ngroup().to_numpy()
        pairs["block"] = pairs["survey"].map(lambda s: blocks.get(s, s))
        self.pairs = pairs
        self.cell_of = pairs["cell"].to_numpy()
        self.cells = (
            pairs.drop_duplicates("cell")
            .sort_values("cell")[["cell", *PEOPLE, "block"]]
            .reset_index(drop=True)
        )
        n_pairs, n_cells = len(pairs), len(self.cells)

        # shown finest rows are constants
        known = np.full((n_pairs, N_VALUES), np.nan)
        for table in tables:
            if set(PEOPLE) <= set(table.frame.columns):
                frame = table.frame
                shown = frame.loc[frame[COUNTS].notna().all(axis=1), [*FINEST, *COUNTS]]
                hit = pairs[["pair", *FINEST]].merge(
                    shown.astype({d: str for d in FINEST}), on=FINEST
                )
                known[hit["pair"].to_numpy()] = _floats(hit[COUNTS])
        self.hidden = np.isnan(known).any(axis=1)
        known[self.hidden] = 0.0
        self.known = known
        self.hid = np.full(n_pairs, -1)
        self.hid[self.hidden] = np.arange(self.hidden.sum())
        n_x = int(self.hidden.sum()) * N_VALUES

        # respondents: a fully shown cell's are its largest question; others are unknowns
        shown_pairs = ~self.hidden
        largest = np.zeros(n_cells)
        np.maximum.at(largest, self.cell_of[shown_pairs], known[shown_pairs].sum(axis=1))
        open_cell = np.zeros(n_cells, dtype=bool)
        open_cell[self.cell_of[self.hidden]] = True
        self.rvar = np.full(n_cells, -1)
        self.rvar[open_cell] = n_x + np.arange(open_cell.sum())
        self.n_vars = n_x + int(open_cell.sum())
        self.lower = np.zeros(self.n_vars)
        self.lower[self.rvar[open_cell]] = largest[open_cell]  # at least its largest shown question
        self.constant_r = np.where(open_cell, 0.0, largest)

        self.eq, self.ub = _Constraints(), _Constraints()
        labels = {x for t in tables for x in t.frame["respondents_label"].dropna().unique()}
        limits = [n for kind, n in map(label_kind, labels) if kind == "small"]
        self.threshold = max(limits) + 1 if limits else 5  # a protected group is not small
        self.small_groups: list[dict] = []  # the table, keys and cells of every small group
        self.targets: list[dict] = []

        # each hidden pair's answers are at most (or exactly) its cell's respondents
        hp = np.flatnonzero(self.hidden)
        x_cols = (self.hid[hp][:, None] * N_VALUES + np.arange(N_VALUES)).ravel()
        into = self.eq if every_question_answered else self.ub
        into.add(
            np.concatenate([np.repeat(np.arange(len(hp)), N_VALUES), np.arange(len(hp))]),
            np.concatenate([x_cols, self.rvar[self.cell_of[hp]]]),
            np.concatenate([np.ones(len(x_cols)), -np.ones(len(hp))]),
            np.zeros(len(hp)),
        )

    def r_sum(self, groups: pd.DataFrame, sign: float, rhs: np.ndarray, into: _Constraints) -> None:
        """``sign * sum(r over each group's cells) (<= or =) rhs`` for ``groups`` (columns
        ``group``, numbered from 0, and ``cell``); constant respondents move to the right."""
        g = groups["group"].to_numpy()
        c = groups["cell"].to_numpy()
        const = np.bincount(g, weights=self.constant_r[c], minlength=len(rhs))
        var = self.rvar[c] >= 0
        into.add(g[var], self.rvar[c][var], sign, rhs - sign * const)

    def add_table(self, table: Published, use_scale_respondents: bool) -> None:
        """The constraints one published table makes, and its small groups."""
        frame = table.frame
        keys = _keys(frame)
        if "question_id" not in frame.columns:
            raise ValueError(f"{table.name}: a published table needs question_id")
        extra = (
            ["scale_respondents"] if use_scale_respondents and "scale_respondents" in frame else []
        )
        rows = frame[[*keys, "question_id", *COUNTS, "respondents_label", *extra]].copy()
        rows[[*keys, "question_id"]] = rows[[*keys, "question_id"]].astype(str)
        rows = rows.reset_index(drop=True)
        rows["row"] = np.arange(len(rows))
        members = self.pairs[_matches(self.pairs, table.within)][
            [*keys, "question_id", "pair", "cell", "block"]
        ].merge(rows[[*keys, "question_id", "row"]], on=[*keys, "question_id"])
        m_row, m_pair = members["row"].to_numpy(), members["pair"].to_numpy()
        open_member = self.hidden[m_pair]

        # a shown row: value by value, its hidden pairs add up to the count minus the constants
        counts = _floats(rows[COUNTS])
        shown = ~np.isnan(counts).any(axis=1)
        if shown.any():
            const = np.zeros((len(rows), N_VALUES))
            np.add.at(const, m_row, self.known[m_pair])
            sel = shown[m_row] & open_member
            number = np.cumsum(shown) - 1
            for v in range(N_VALUES):
                self.eq.add(
                    number[m_row[sel]],
                    self.hid[m_pair[sel]] * N_VALUES + v,
                    1.0,
                    counts[shown, v] - const[shown, v],
                )
        # a hidden row that still shows its 1–5 answers
        if extra:
            scale = _floats(rows[["scale_respondents"]])[:, 0]
            use = ~shown & ~np.isnan(scale)
            if use.any():
                const = np.zeros(len(rows))
                np.add.at(const, m_row, self.known[m_pair][:, SCALE].sum(axis=1))
                sel = use[m_row] & open_member
                points = np.flatnonzero(SCALE)
                self.eq.add(
                    np.repeat((np.cumsum(use) - 1)[m_row[sel]], len(points)),
                    (self.hid[m_pair[sel]][:, None] * N_VALUES + points).ravel(),
                    1.0,
                    scale[use] - const[use],
                )
        self._add_labels(table, keys, rows, members)

    def _add_labels(
        self, table: Published, keys: list[str], rows: pd.DataFrame, members: pd.DataFrame
    ) -> None:
        """Bounds on the respondents of groups labelled small or protected."""
        kinds = [label_kind(x) for x in rows["respondents_label"]]
        kind = np.array([k for k, _ in kinds])
        limit = np.array([-1 if n is None else n for _, n in kinds], dtype=float)
        if not np.isin(kind, ["small", "hidden"]).any():
            return
        rows["person"] = rows.groupby(keys, sort=False).ngroup() if keys else 0
        # each group of people over every question, and whether it lies in one questionnaire
        people = self.cells[_matches(self.cells, table.within)][["cell", *keys, "block"]]
        people = (
            people.merge(rows[[*keys, "person"]].drop_duplicates("person"), on=keys)
            if keys
            else people.assign(person=0)
        )
        one_block = people.groupby("person")["block"].nunique() == 1

        # at most k-1 over the cells that ask the row's question (one bound per set of cells)
        small = members.loc[kind[members["row"].to_numpy()] == "small", ["row", "cell"]]
        if len(small):
            sets = small.drop_duplicates().sort_values("cell").groupby("row")["cell"].agg(tuple)
            sets = sets.to_frame("cell").assign(limit=limit[sets.index.to_numpy()])
            sets = sets.drop_duplicates().assign(group=lambda f: np.arange(len(f)))
            self.r_sum(
                sets.explode("cell").astype({"cell": np.int64}),
                1.0,
                sets["limit"].to_numpy(),
                self.ub,
            )
        # at least 1 (small) or k (protected) over the whole group, where in one questionnaire
        for which, need in (("small", 1.0), ("hidden", float(self.threshold))):
            labelled = [
                k for k in rows.loc[kind == which, "person"].unique() if one_block.get(k, False)
            ]
            if labelled:
                bounded = people[people["person"].isin(labelled)]
                bounded = bounded.assign(
                    group=bounded["person"].map({k: i for i, k in enumerate(labelled)})
                )
                self.r_sum(bounded, -1.0, np.full(len(labelled), -need), self.ub)
        # the small groups, in the questionnaires of their small rows, are attacked
        for person in rows.loc[kind == "small", "person"].unique():
            labelled = rows[(rows["person"] == person) & (kind == "small")]
            in_blocks = members.loc[members["row"].isin(labelled["row"]), "block"].unique()
            cells = people.loc[
                (people["person"] == person) & people["block"].isin(in_blocks), "cell"
            ].to_numpy()
            first = labelled.iloc[0]
            self.small_groups.append(
                {"table": table.name, "group": {k: first[k] for k in keys}, "cells": cells}
            )

    def add_known(self, known: pd.DataFrame | None) -> int:
        """Participation counts fix the respondents of their groups; returns how many were left
        out because their group spans questionnaires."""
        if known is None or not len(known):
            return 0
        keys = _keys(known)
        frame = known[[*keys, "respondents"]].astype({k: str for k in keys}).reset_index(drop=True)
        frame["group"] = np.arange(len(frame))
        hits = self.cells[["cell", *keys, "block"]].merge(frame[[*keys, "group"]], on=keys)
        spans = hits.groupby("group")["block"].nunique()
        nobody = ~frame["group"].isin(hits["group"])
        if (frame.loc[nobody, "respondents"] != 0).any():
            raise ValueError("a participation count names a group with no feedback at all")
        kept = spans.index[spans == 1].to_numpy()
        number = pd.Series(np.arange(len(kept)), index=kept)
        hits = hits[hits["group"].isin(kept)]
        hits = hits.assign(group=number[hits["group"].to_numpy()].to_numpy())
        self.r_sum(
            hits, 1.0, frame.set_index("group").loc[kept, "respondents"].to_numpy(float), self.eq
        )
        return int((spans > 1).sum())

    def target_matrix(self) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Every question and value of every small group (the same count found in several tables
        once), as rows over the unknowns plus constants."""
        pairs_of_cell = pd.Series(np.arange(len(self.pairs))).groupby(self.cell_of).agg(np.array)
        question = self.pairs["question_id"].to_numpy()
        seen: dict[tuple, int] = {}
        rows, cols, const = [], [], []
        for small in self.small_groups:
            if not len(small["cells"]):
                continue
            members = np.concatenate([pairs_of_cell[c] for c in small["cells"]])
            for q, group in pd.Series(members).groupby(question[members]).agg(np.array).items():
                group = np.sort(group)
                for v in range(N_VALUES):
                    key = (tuple(group), v)
                    if key in seen:
                        self.targets[seen[key]]["tables"].append(small["table"])
                        continue
                    seen[key] = len(self.targets)
                    self.targets.append(
                        {
                            "table": small["table"],
                            "group": small["group"],
                            "question_id": q,
                            "value": VALUES[v],
                            "tables": [small["table"]],
                        }
                    )
                    unknown = group[self.hidden[group]]
                    rows.append(np.full(len(unknown), seen[key]))
                    cols.append(self.hid[unknown] * N_VALUES + v)
                    const.append(self.known[group, v].sum())
        entries = (
            np.concatenate(rows) if rows else np.zeros(0, np.int64),
            np.concatenate(cols) if cols else np.zeros(0, np.int64),
        )
        matrix = sparse.csr_matrix(
            (np.ones(len(entries[0])), entries), shape=(len(self.targets), self.n_vars)
        )
        return matrix, np.array(const, dtype=float)

    def solve(self, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
        """The pinned counts, solving each independent part of the LP on its own."""
        targets, const = self.target_matrix()
        a_eq, b_eq = self.eq.matrix(self.n_vars, equality=True)
        a_ub, b_ub = self.ub.matrix(self.n_vars, equality=False)
        pinned: dict[int, float] = {}
        has_unknowns = np.diff(targets.indptr) > 0
        for t in np.flatnonzero(~has_unknowns & (const > PIN_TOLERANCE)):
            pinned[int(t)] = float(const[t])  # all its pairs shown outright
        stats = {"lps": 0, "cheap": 0, "components": 0}
        # components of the graph of unknowns, constraints and targets
        stacked = sparse.vstack([a_eq, a_ub, targets]).tocsr()
        graph = sparse.bmat([[None, stacked.T], [stacked, None]]).tocsr()
        _, label = connected_components(graph, directed=False)
        ends = np.cumsum([self.n_vars, a_eq.shape[0], a_ub.shape[0], targets.shape[0]])
        var_of, eq_of, ub_of, target_of = np.split(label, ends[:-1])
        for part in np.unique(target_of[has_unknowns]):
            stats["components"] += 1
            v = np.flatnonzero(var_of == part)
            t = np.flatnonzero((target_of == part) & has_unknowns)
            problem = _Problem(
                a_eq[eq_of == part][:, v],
                b_eq[eq_of == part],
                a_ub[ub_of == part][:, v],
                b_ub[ub_of == part],
                self.lower[v],
                targets[t][:, v],
                const[t],
            )
            for local, value in problem.pins(rng, stats).items():
                pinned[int(t[local])] = value
        found = pd.DataFrame(
            [
                {
                    **{k: self.targets[t][k] for k in ("table", "group", "question_id", "value")},
                    "count": round(value, 6),
                    "tables": self.targets[t]["tables"],
                }
                for t, value in sorted(pinned.items())
            ],
            columns=["table", "group", "question_id", "value", "count", "tables"],
        )
        return found, stats


class _Problem:
    """One independent LP: ``a_eq x = b_eq``, ``a_ub x <= b_ub``, ``x >= lower``, and target
    counts ``targets x + const``."""

    def __init__(self, a_eq, b_eq, a_ub, b_ub, lower, targets, const) -> None:
        self.a_eq, self.b_eq, self.a_ub, self.b_ub = a_eq, b_eq, a_ub, b_ub
        self.lower, self.targets, self.const = lower, targets.tocsr(), const
        self.n = len(lower)

    def solve(self, objective: np.ndarray, stats: dict, box: float | None = None):
        """Minimise ``objective``; the solution, or ``None`` when unbounded."""
        stats["lps"] += 1
        upper = np.full(self.n, np.inf) if box is None else np.full(self.n, box)
        res = linprog(
            objective,
            A_ub=self.a_ub if self.a_ub.shape[0] else None,
            b_ub=self.b_ub if self.a_ub.shape[0] else None,
            A_eq=self.a_eq if self.a_eq.shape[0] else None,
            b_eq=self.b_eq if self.a_eq.shape[0] else None,
            bounds=np.column_stack([self.lower, upper]),
            method="highs",
        )
        if res.status == 3:
            return None
        if res.status != 0:
            raise RuntimeError(
                f"the attacker's LP failed ({res.message}): the published "
                "tables are inconsistent with the model"
            )
        return res.x

    def values(self, x: np.ndarray) -> np.ndarray:
        return self.targets @ x + self.const

    def pins(self, rng: np.random.Generator, stats: dict) -> dict[int, float]:
        """Targets pinned to a positive value, by local index."""
        n_t = self.targets.shape[0]
        ones = np.asarray(self.targets.sum(axis=0)).ravel()
        x = self.solve(ones + 1e-3 * rng.random(self.n), stats)  # push every target down
        if x is None:
            raise RuntimeError("minimising non-negative counts cannot be unbounded")
        ref = self.values(x)
        open_ = ref > PIN_TOLERANCE  # zero in one solution: not pinned to a positive value
        box = max(
            1e3,
            10 * float(np.abs(np.concatenate([self.b_eq, self.b_ub, [0]])).max()),
            2 * float(x.max(initial=0)),
        )

        def clear(y: np.ndarray) -> int:
            values = self.values(y)
            moved = open_ & ((np.abs(values - ref) > CLEAR_TOLERANCE) | (values <= PIN_TOLERANCE))
            open_[moved] = False
            return int(moved.sum())

        idle = 0
        for round_ in range(8):  # random directions over the open targets
            if not open_.any() or idle >= 2:
                break
            weights = rng.uniform(0.5, 1.5, n_t) * open_
            if round_ % 2:
                weights *= rng.choice([-1.0, 1.0], n_t)
            direction = -(self.targets.T @ weights) + 1e-4 * rng.standard_normal(self.n)
            y = self.solve(direction, stats, box=box)
            idle = 0 if clear(y) else idle + 1
        stats["cheap"] += int(n_t - open_.sum())

        pinned: dict[int, float] = {}
        for t in np.flatnonzero(open_):
            if not open_[t]:
                continue  # cleared by another target's LP meanwhile
            row = self.targets[t].toarray().ravel()
            high = self.solve(-row, stats)
            if high is None:
                open_[t] = False
                continue
            clear(high)
            if not open_[t]:
                continue
            low = self.solve(row, stats)
            clear(low)
            if not open_[t]:
                continue
            top, bottom = self.values(high)[t], self.values(low)[t]
            if top - bottom < PIN_TOLERANCE and bottom > PIN_TOLERANCE:
                pinned[int(t)] = float((top + bottom) / 2)
            open_[t] = False
        return pinned


@dataclass
class Disclosure:
    """What a reader learns about small groups without pinning any count (see
    :func:`disclosure`): one row per small group and question (``table, group, question_id``)
    with the bounds of its share of answers 1–2 and 4–5 (of its 1–5 answers) and of its
    mean."""

    groups: pd.DataFrame
    lps: int
    seconds: float

    def summary(self, width: float = 1.0) -> dict[str, int]:
        """How many small groups × questions have a share of answers 1–2 (or 4–5) pinned (to
        one value, 0 % included), and a mean bounded to an interval narrower than ``width``."""
        g = self.groups
        return {
            "groups": len(g),
            "low_share_pinned": int((g["low_max"] - g["low_min"] < 1e-6).sum()),
            "high_share_pinned": int((g["high_max"] - g["high_min"] < 1e-6).sum()),
            "mean_narrow": int((g["mean_max"] - g["mean_min"] < width).sum()),
        }


def disclosure(
    tables: Iterable[Published | pd.DataFrame],
    universe: pd.DataFrame,
    known_respondents: pd.DataFrame | None = None,
    *,
    blocks: Mapping[str, str] | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> Disclosure:
    """Group disclosure: for every small group (a row labelled 1–4) and question, the range of
    its share of answers 1–2 and of 4–5 among its 1–5 answers, and the range of its mean, over
    every table of counts consistent with what is shown (the same model as :func:`attack`).

    A ratio over the feasible counts is bounded with the Charnes–Cooper transformation: with
    ``y = t·x`` and the group's 1–5 answers scaled to one, the bounds are two LPs each. Groups
    whose 1–5 answers can be zero have no share in such a table; they are bounded over the
    tables where they have at least one answer (``scale >= 1``). ``sample`` bounds a random
    sample of that many small groups × questions only (six LPs each)."""
    start = time.perf_counter()
    tables = [
        t if isinstance(t, Published) else Published(f"table{i}", t) for i, t in enumerate(tables)
    ]
    model = _Model(universe, tables, default_blocks() if blocks is None else blocks, False)
    for table in tables:
        model.add_table(table, True)
    model.add_known(known_respondents)
    targets, const = model.target_matrix()
    a_eq, b_eq = model.eq.matrix(model.n_vars, equality=True)
    a_ub, b_ub = model.ub.matrix(model.n_vars, equality=False)
    stacked = sparse.vstack([a_eq, a_ub, targets]).tocsr()
    graph = sparse.bmat([[None, stacked.T], [stacked, None]]).tocsr()
    _, label = connected_components(graph, directed=False)
    ends = np.cumsum([model.n_vars, a_eq.shape[0], a_ub.shape[0], targets.shape[0]])
    var_of, eq_of, ub_of, target_of = np.split(label, ends[:-1])
    rows, lps = [], 0
    # the targets come in runs of six (one per answer value) per group and question
    firsts = np.arange(0, len(model.targets), N_VALUES)
    if sample is not None and sample < len(firsts):
        firsts = np.sort(np.random.default_rng(seed).choice(firsts, sample, replace=False))
    for first in firsts:
        info = model.targets[first]
        part = target_of[first]
        v = np.flatnonzero(var_of == part)
        own = targets[first : first + N_VALUES][:, v].toarray()
        c = const[first : first + N_VALUES]
        if not own.any():  # every pair shown: the group's counts are known
            counts = c
            scale = counts[:5].sum()
            if scale <= 0:
                continue
            low, high = counts[:2].sum() / scale, counts[3:5].sum() / scale
            mean = float(np.arange(1, 6) @ counts[:5]) / scale
            rows.append(
                {
                    **_where(info),
                    "low_min": low,
                    "low_max": low,
                    "high_min": high,
                    "high_max": high,
                    "mean_min": mean,
                    "mean_max": mean,
                }
            )
            continue
        eq, ub = a_eq[eq_of == part][:, v], a_ub[ub_of == part][:, v]
        beq, bub = b_eq[eq_of == part], b_ub[ub_of == part]
        lower = model.lower[v]
        n = len(v)
        # variables (y, t): eq y - beq t = 0; ub y - bub t <= 0; y - lower t >= 0;
        # scale(y) + scale_const t = 1; scale(y) + ... >= t (at least one 1–5 answer)
        scale_row = own[:5].sum(axis=0)
        scale_c = c[:5].sum()
        a_e = sparse.vstack(
            [
                sparse.hstack([eq, -beq[:, None]]),
                sparse.csr_matrix(np.append(scale_row, scale_c)[None, :]),
            ]
        ).tocsr()
        b_e = np.append(np.zeros(eq.shape[0]), 1.0)
        a_u = sparse.vstack(
            [
                sparse.hstack([ub, -bub[:, None]]),
                sparse.hstack([-sparse.identity(n), sparse.csr_matrix(lower[:, None])]),
                sparse.csr_matrix(np.append(-scale_row, 1.0 - scale_c)[None, :]),
            ]
        )
        b_u = np.zeros(a_u.shape[0])
        bounds = (0, None)
        out = {}
        for name, weights in (
            ("low", np.array([1, 1, 0, 0, 0])),
            ("high", np.array([0, 0, 0, 1, 1])),
            ("mean", np.arange(1, 6, dtype=float)),
        ):
            objective = np.append(weights @ own[:5], weights @ c[:5])
            found = []
            for sign in (1.0, -1.0):
                lps += 1
                res = linprog(
                    sign * objective,
                    A_ub=a_u,
                    b_ub=b_u,
                    A_eq=a_e,
                    b_eq=b_e,
                    bounds=bounds,
                    method="highs",
                )
                found.append(sign * res.fun if res.status == 0 else np.nan)
            out[f"{name}_min"], out[f"{name}_max"] = found
        if np.isnan(out["mean_min"]):
            continue  # no table where the group has a 1–5 answer
        rows.append({**_where(info), **out})
    frame = pd.DataFrame(
        rows,
        columns=[
            "table",
            "group",
            "question_id",
            "low_min",
            "low_max",
            "high_min",
            "high_max",
            "mean_min",
            "mean_max",
        ],
    )
    return Disclosure(frame, lps, time.perf_counter() - start)


def _where(info: dict) -> dict:
    return {"table": info["table"], "group": info["group"], "question_id": info["question_id"]}
