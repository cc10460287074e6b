"""Cell suppression over a whole data set: which groups may show their answers, decided once.

A data set's people are split by a few *dimensions* (provider, period, survey, qualification);
every table the kit can show is a breakdown by some of them (the *cube*: every subset of the
dimensions, the grand total included), per *item* (a question, a criterion), with a count for
each answer value. What must stay secret are the **answers of small groups**: no answer count of
a group of 1 to k-1 people (k = 5) may be worked out from everything shown. How many people
answered is participation, which Vipunen publishes (and the kit shows) as it is.

The decision (:func:`build`) has four steps.

1. **Primary.** A cell is *small* when 1 to k-1 people are in it, or answered one of its items,
   or gave a scale answer (not "can't say") to one: its answers are hidden.
2. **Secondary, by elimination** (after Statistics Norway's GaussSuppression). Every other cell
   of every breakdown is a candidate, taken from the most valuable down: by respondents, times a
   weight that keeps what the workshops show (a breakdown by period and survey; the whole
   network or country) and gives up first what they rarely show (pooled over periods or
   surveys). A candidate is published unless publishing it would let a small cell's answers be
   recomputed by adding and subtracting published cells: an exact test, kept up to date with an
   orthonormal basis of the published cells and each small cell's residual outside it, per set
   of cells an item is asked in. The residual of a small cell is then a direction in which the
   answers can change without changing anything published.
3. **Audit with bounds, by linear programming.** Subtraction is not all a reader can do: counts
   are never negative, and a group labelled 1–4 has at most four people. For every small cell,
   item and answer value with a positive count, the audit looks for two tables that agree with
   everything shown but differ in that count. Most are certified at once by moving answers
   between two values along the cell's residual direction; the rest by linear programs over
   the hidden finest cells' answers (HiGHS, through ``highspy``, one persistent model per item
   so that each solve starts from the last basis): a few with random objectives, then a
   minimum and a maximum for each count still open. The respondents of the hidden cells are
   kept as they are in these programs, a restriction of what a reader must consider, so every
   table found is one the reader cannot rule out. A count pinned to one positive value is
   protected by hiding one more published cell: the cheapest of those whose equations bind
   its minimum or maximum (a non-zero dual), as tau-ARGUS's audit points at the cells that
   fix a protection interval; then it is audited again, until no count is pinned.
4. **Release.** Elimination keeps every sum and difference of small cells unknown, and the
   audit's fixes are greedy, so much of what they hide protects nothing. Every cell hidden to
   protect others is tried once more, the most valuable first, and shown again when it is a
   sum of published cells, or when showing it leaves no small cell, and no two small finest
   cells whose people are together fewer than k, a combination of published cells, and every
   count of a small cell it touches is still certified by a swap along the new residual. The
   counts that only a linear program certified are audited again in the masks where cells
   were shown (a table found earlier that still agrees with every cell shown again keeps its
   certificate; the rest get new programs, and a count found pinned is protected as in step
   3). On the demo data this takes the share of the finest cells hidden to protect others
   from 14.4 % to 6.8 % (``bench/privacy.py``).

People in different periods or surveys never overlap, so each period × survey (a *block*) is
decided on its own (``separate``), large data sets on every core; a breakdown that pools blocks
shows a cell only where each of its parts is shown. Inside a block, items asked of the same
cells and small in the same cells share one decision (a *mask*).

What this guarantees: from everything shown for the data set, with the knowledge that counts
are non-negative and how many answered where, no answer count of a small group can be pinned to
one positive value, and neither a small group's answers nor those of two small finest groups
with fewer than k people together are a sum or difference of shown counts. What it does not
hide (the README's privacy section has the measured figures): a count that must be 0 because a
shown total is 0 over five or more people (so a small group's share of answers 1–2 can be known
to be 0 %), bounds on a small group's mean, and sums of three or more small groups.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from scipy import sparse

#: tolerance of the linear algebra and of the audit's linear programs
TOL = 1e-7
#: the longest residual direction the swap certificate tries
SWAP_SUPPORT = 24
#: with this many counts left or fewer, the audit skips the random rounds: a minimum and a
#: maximum per count is cheaper
FEW = 8
#: random rounds stop after this many in a row move no count
STALE = 1
#: breakdowns weighted this much or more (a provider's survey in a period) are published first
#: and kept by the audit where it can (see _Block.kept)
KEEP_WEIGHT = 50.0
#: HiGHS options of the audit's programs: primal simplex (twice as fast here as dual, since
#: every objective change keeps the previous basis feasible)
HIGHS_OPTIONS = {"simplex_strategy": 4}


@dataclass
class Report:
    """What a decision did: sizes, what was hidden, what the audit found, how long it took.

    Cells are counted per item (a dashboard row is a cell × question): ``finest`` of them in
    the finest breakdown, ``finest_small`` small there, ``finest_protected`` hidden there only
    to protect small ones; ``cells``, ``small`` and ``hidden`` over every breakdown."""

    finest: int = 0
    cells: int = 0
    small: int = 0
    hidden: int = 0
    finest_small: int = 0
    finest_protected: int = 0
    blocks: int = 0
    targets: int = 0
    certified: int = 0
    by_lp: int = 0
    pinned_fixed: int = 0
    pinned_left: int = 0
    released: int = 0
    lps: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """The report as plain values (for the cache and the benchmarks)."""
        return {k: (dict(v) if isinstance(v, dict) else v) for k, v in vars(self).items()}


class _Index:
    """The cells of every breakdown of some finest cells: each finest cell's cell number in
    every subset of ``dims``, and each cell's first finest cell."""

    def __init__(self, cells: pd.DataFrame, dims: tuple[str, ...]) -> None:
        self.dims, self.cells, self.n = dims, cells, len(cells)
        self.subsets = list(combinations_all(dims))
        self.code: dict[tuple, np.ndarray] = {}
        self.first: dict[tuple, np.ndarray] = {}
        self.size: dict[tuple, int] = {}
        for sub in self.subsets:
            code = (
                cells.groupby(list(sub), sort=True, observed=True).ngroup().to_numpy()
                if sub and self.n
                else np.zeros(self.n, dtype=np.int64)
            )
            size = int(code.max()) + 1 if len(code) else 0
            first = np.full(size, -1, dtype=np.int64)
            first[code[::-1]] = np.arange(len(code))[::-1]
            self.code[sub], self.first[sub], self.size[sub] = code, first, size
        self._members: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

    def sum(self, sub: tuple, values: np.ndarray) -> np.ndarray:
        """``values`` of the finest cells added up per cell of ``sub``."""
        return np.bincount(self.code[sub], weights=values, minlength=self.size[sub])

    def members(self, sub: tuple, cell: int | np.integer) -> np.ndarray:
        """The finest cells of ``cell`` in ``sub``."""
        if sub not in self._members:
            order = np.argsort(self.code[sub], kind="stable")
            bounds = np.searchsorted(self.code[sub][order], np.arange(self.size[sub] + 1))
            self._members[sub] = (order, bounds)
        order, bounds = self._members[sub]
        return order[bounds[cell] : bounds[cell + 1]]


def _primary(
    index: _Index, r: np.ndarray, answered: np.ndarray, scaled: np.ndarray | None, k: int
) -> tuple[dict, dict]:
    """Per subset, which cells have answers to an item (``answered``: per finest cell) and
    which of those are small: 1 to k-1 people in the cell, or answers, or scale answers."""
    present, small = {}, {}
    for sub in index.subsets:
        rq = index.sum(sub, r * (answered > 0))
        present[sub] = rq > 0
        flag = (rq > 0) & (rq < k)
        for part in (answered, scaled):
            if part is not None:
                total = index.sum(sub, part)
                flag |= (total > 0) & (total < k)
        small[sub] = flag
    return present, small


class Pattern:
    """The decision for every breakdown of a data set (see :func:`build`): per item (a
    question, a criterion) and breakdown, which cells show their answers."""

    def __init__(
        self,
        index: _Index,
        items: list[str],
        r: np.ndarray,
        k: int,
        present: list[dict],
        small: list[dict],
        hidden: list[dict],
        report: Report,
    ) -> None:
        self.dims, self.k, self.items, self.report = index.dims, k, items, report
        self._index, self._present, self._small, self._hidden = index, present, small, hidden
        self._item_no = {q: i for i, q in enumerate(items)}
        self._r = {sub: index.sum(sub, r) for sub in index.subsets}
        self._tables: dict[tuple, pd.DataFrame] = {}

    def _numbers(self, items: Sequence[str] | None) -> tuple[int, ...]:
        if items is None:
            return tuple(range(len(self.items)))
        return tuple(sorted({self._item_no[str(q)] for q in items if str(q) in self._item_no}))

    def table(self, dims: Sequence[str], items: Sequence[str] | None = None) -> pd.DataFrame:
        """The breakdown by ``dims`` (any order): its key columns, ``respondents``, ``small``
        and ``hidden`` for the answers to ``items`` together (default: every item), i.e.
        hidden when hidden for any of them."""
        sub = tuple(d for d in self.dims if d in set(dims))
        numbers = self._numbers(items)
        if (sub, numbers) not in self._tables:
            index = self._index
            size = index.size[sub]
            small = np.zeros(size, dtype=bool)
            hidden = np.zeros(size, dtype=bool)
            for q in numbers:
                small |= self._small[q][sub] & self._present[q][sub]
                hidden |= self._hidden[q][sub] & self._present[q][sub]
            keys = {d: index.cells[d].to_numpy()[index.first[sub]] for d in sub}
            self._tables[sub, numbers] = pd.DataFrame(
                {
                    **keys,
                    "respondents": self._r[sub].astype(np.int64),
                    "small": small,
                    "hidden": hidden,
                }
            )
        return self._tables[sub, numbers]

    def item_table(self, dims: Sequence[str], item: str) -> pd.DataFrame:
        """The breakdown by ``dims`` and the item column ``item``: one row per group and item
        with ``hidden`` for that item's answers."""
        parts = [self.table(dims, [q]).assign(**{item: q}) for q in self.items]
        if not parts:
            return self.table(dims, []).assign(**{item: ""})
        return pd.concat(parts, ignore_index=True)

    def hidden_arrays(self) -> dict[str, np.ndarray]:
        """The decision itself, for storing (see :func:`build`): one flag array per item
        number and breakdown."""
        return {_name(q, sub): h for q, per in enumerate(self._hidden) for sub, h in per.items()}

    def hidden_count(self) -> tuple[int, int]:
        """How many (item, cell) pairs of all breakdowns are hidden, of those that have
        answers."""
        hidden = total = 0
        for q, per in enumerate(self._hidden):
            for sub, h in per.items():
                present = self._present[q][sub]
                hidden += int((h & present).sum())
                total += int(present.sum())
        return hidden, total


def _name(q: int, sub: tuple[str, ...]) -> str:
    return f"{q}:" + "|".join(sub)


def default_weight(sub: tuple[str, ...], dims: tuple[str, ...]) -> float:
    """How much a breakdown is worth keeping, per respondent. With the dimensions provider,
    period, survey, …: a provider's survey in a period (what every dashboard view starts from)
    most; then, equally, the finest cells and the breakdowns without a provider (the network
    or country); breakdowns pooled over periods or over surveys, which the workshops rarely
    show, least, so that they are the first to be hidden when something must be."""
    if len(dims) < 3:
        return 1.0 if dims and dims[0] in sub else 10.0
    weight = 1.0 if dims[0] in sub else 10.0
    if dims[1] not in sub or dims[2] not in sub:
        weight *= 0.005
    elif dims[0] in sub and len(sub) == 3:
        weight *= 100.0
    elif len(sub) == len(dims):
        weight *= 10.0
    return weight


def build(
    answers: pd.DataFrame,
    dims: Sequence[str],
    k: int,
    values: Sequence[str],
    scale: Sequence[str] = (),
    *,
    item: str = "item",
    separate: Sequence[str] = (),
    hidden: Mapping[str, np.ndarray] | None = None,
    start: Mapping[str, np.ndarray] | None = None,
    weight: Callable[[tuple[str, ...], tuple[str, ...]], float] = default_weight,
) -> Pattern:
    """Decide the pattern for ``answers``: one row per combination of ``dims`` and ``item``
    with a count per answer value (``values``; ``scale`` names the values that are points of a
    scale, whose answers make a mean).

    ``separate`` names dimensions that split people into groups that never overlap (a period,
    a survey): each of their combinations (a *block*) is decided on its own, and a breakdown
    that pools several blocks shows a cell only where each of its parts is shown, so that it
    is a sum of shown cells and tells nothing new. This keeps each decision small.

    ``hidden`` is a decision made earlier for the same input (:meth:`Pattern.hidden_arrays`),
    which is then reused instead of decided again. ``start`` marks cells that must be hidden
    whatever else is decided (the decision at a lower threshold, in the same form).
    """
    # the decision is many small matrix updates, which a threaded BLAS slows down many times
    with _one_thread():
        return _build(
            answers,
            tuple(dims),
            k,
            list(values),
            list(scale),
            item,
            separate,
            hidden,
            start,
            weight,
        )


def _one_thread():
    """BLAS on one thread, in numpy's and in scipy's copy (loaded first, so that the limit
    reaches it)."""
    import scipy.linalg  # noqa: F401  (scipy's BLAS, loaded before the limit is set)
    import scipy.sparse  # noqa: F401
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _build(
    answers: pd.DataFrame,
    dims: tuple[str, ...],
    k: int,
    values: list[str],
    scale: list[str],
    item: str,
    separate: Sequence[str],
    hidden: Mapping[str, np.ndarray] | None,
    start: Mapping[str, np.ndarray] | None,
    weight: Callable,
) -> Pattern:
    started = time.perf_counter()
    answers = answers[answers[values].sum(axis=1) > 0]
    cells = answers[list(dims)].drop_duplicates().sort_values(list(dims)).reset_index(drop=True)
    index = _Index(cells, dims)
    where = pd.MultiIndex.from_frame(cells).get_indexer(
        pd.MultiIndex.from_frame(answers[list(dims)])
    )
    items = sorted(answers[item].astype(str).unique())
    item_no = {q: i for i, q in enumerate(items)}
    # counts[c, q, v]: the answers of finest cell c to item q with value v
    counts = np.zeros((index.n, len(items), len(values)))
    np.add.at(
        counts,
        (where, answers[item].astype(str).map(item_no).to_numpy()),
        answers[values].to_numpy(float),
    )
    scale_idx = [values.index(v) for v in scale]
    per_item = counts.sum(axis=2)
    per_scale = counts[:, :, scale_idx].sum(axis=2) if scale_idx else None
    r = per_item.max(axis=1) if len(items) else np.zeros(index.n)
    flags = [
        _primary(index, r, per_item[:, q], None if per_scale is None else per_scale[:, q], k)
        for q in range(len(items))
    ]
    present = [f[0] for f in flags]
    small = [f[1] for f in flags]
    report = Report()
    report.seconds["cube"] = time.perf_counter() - started
    names = {_name(q, sub): (q, sub) for q in range(len(items)) for sub in index.subsets}
    if (
        hidden is not None
        and set(hidden) == set(names)
        and all(len(hidden[n]) == index.size[names[n][1]] for n in names)
    ):
        decided = [
            {sub: np.asarray(hidden[_name(q, sub)], dtype=bool) for sub in index.subsets}
            for q in range(len(items))
        ]
    else:
        begin = [{sub: small[q][sub].copy() for sub in index.subsets} for q in range(len(items))]
        for n, flags_n in (start or {}).items():
            if n in names and len(flags_n) == index.size[names[n][1]]:
                q, sub = names[n]
                begin[q][sub] |= np.asarray(flags_n, dtype=bool)
        decided = _decide(index, counts, r, k, scale_idx, separate, weight, begin, report)
    fin = dims
    for q in range(len(items)):
        for sub in index.subsets:
            p = present[q][sub]
            report.cells += int(p.sum())
            report.small += int((small[q][sub] & p).sum())
            report.hidden += int((decided[q][sub] & p).sum())
        p = present[q][fin]
        report.finest += int(p.sum())
        report.finest_small += int((small[q][fin] & p).sum())
        report.finest_protected += int((decided[q][fin] & ~small[q][fin] & p).sum())
    report.seconds["total"] = time.perf_counter() - started
    return Pattern(index, items, r, k, present, small, decided, report)


def _decide(
    index: _Index,
    counts: np.ndarray,
    r: np.ndarray,
    k: int,
    scale_idx: list[int],
    separate: Sequence[str],
    weight: Callable,
    begin: list[dict],
    report: Report,
) -> list[dict]:
    """Decide block by block (see :func:`build`) and put the blocks' decisions together; each
    item's flags start from ``begin`` (its small cells and anything that must be hidden).
    Large data sets are decided on every core, a block per task."""
    dims = index.dims
    sep = tuple(d for d in dims if d in set(separate))
    rest = tuple(d for d in dims if d not in sep)

    def full(sub: tuple) -> tuple:
        return tuple(d for d in dims if d in sub or d in sep)

    decided = [{sub: flags.copy() for sub, flags in per.items()} for per in begin]
    rows_of = [
        np.asarray(rows)
        for rows in (
            index.cells.groupby(list(sep), sort=True).indices.values()
            if sep
            else [np.arange(index.n)]
        )
    ]
    subsets = list(combinations_all(rest))
    jobs = []
    for rows in rows_of:
        asked = np.flatnonzero(counts[rows].sum(axis=(0, 2)) > 0)
        must = {
            int(q): {sub: begin[q][full(sub)][index.code[full(sub)][rows]] for sub in subsets}
            for q in asked
        }
        jobs.append(
            (
                index.cells.iloc[rows][list(rest)].reset_index(drop=True),
                rest,
                k,
                counts[rows],
                r[rows],
                scale_idx,
                _FullWeight(weight, dims, sep),
                must,
            )
        )
    for rows, (masks, report_b) in zip(rows_of, _run(jobs, report)):
        report.blocks += 1
        for name in (
            "targets",
            "certified",
            "by_lp",
            "pinned_fixed",
            "pinned_left",
            "released",
            "lps",
        ):
            setattr(report, name, getattr(report, name) + report_b[name])
        for name, seconds in report_b["seconds"].items():
            report.seconds[name] = report.seconds.get(name, 0.0) + seconds
        for items, hidden_b in masks:
            for sub, flags in hidden_b.items():
                fc = index.code[full(sub)][rows]
                for q in items:
                    np.logical_or.at(decided[q][full(sub)], fc, flags)
    # breakdowns pooling blocks: a cell is hidden when any of its parts is
    for sub in index.subsets:
        if set(sep) <= set(sub):
            continue
        parts = full(sub)
        up = index.code[sub][index.first[parts]]
        for q, per in enumerate(decided):
            present = index.sum(parts, r * (counts[:, q, :].sum(axis=1) > 0)) > 0
            any_hidden = (
                np.bincount(up, weights=per[parts] & present, minlength=index.size[sub]) > 0
            )
            per[sub] |= any_hidden
    return decided


def combinations_all(dims: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Every subset of ``dims``, the finest first (the order of :class:`_Index`)."""
    return (s for n in range(len(dims), -1, -1) for s in combinations(dims, n))


class _FullWeight:
    """A block's weight: the data set's weight of the breakdown with the block's dimensions
    added back (a plain object, so that a block can be decided in another process)."""

    def __init__(self, weight: Callable, dims: tuple, sep: tuple) -> None:
        self.weight, self.dims, self.sep = weight, dims, sep

    def __call__(self, sub: tuple, _dims: tuple) -> float:
        return self.weight(tuple(d for d in self.dims if d in sub or d in self.sep), self.dims)


#: data sets with at least this many finest cells are decided on every core
PARALLEL_CELLS = 4000


def _run(jobs: list[tuple], report: Report) -> list:
    """Each block's decision (:func:`_decide_block`): in this process for small data sets; for
    large ones also in one fresh Python process per other core (nothing of a notebook's kernel
    is copied, and a script needs no ``__main__`` guard). Every process takes the next block
    nobody has taken yet, the largest first (:func:`_take`), so that the cores finish
    together. A worker that fails leaves its blocks to this process."""
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or sum(len(job[0]) for job in jobs) < PARALLEL_CELLS:
        return [_decide_block(*job) for job in jobs]
    import pickle
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
    results: dict[int, tuple] = {}
    with tempfile.TemporaryDirectory(prefix="kit-decide-") as tmp:
        started = []
        source = Path(tmp) / "jobs.pickle"
        try:
            source.write_bytes(pickle.dumps((order, jobs)))
        except (pickle.PicklingError, AttributeError, TypeError):
            return [_decide_block(*job) for job in jobs]  # a weight defined in a notebook
        root = str(Path(__file__).resolve().parent.parent)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p),
        }
        code = "import sys; from kit.suppression import _worker; _worker(*sys.argv[1:])"
        for _w in range(1, workers):
            started.append(
                subprocess.Popen(
                    [sys.executable, "-c", code, str(source), tmp],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        for i in _take(order, tmp):
            results[i] = _decide_block(*jobs[i])
        for process in started:
            process.wait()
        for i in order:
            done = Path(tmp) / f"done-{i}.pickle"
            if i not in results and done.exists():
                results[i] = pickle.loads(done.read_bytes())
    for i in range(len(jobs)):
        if i not in results:
            results[i] = _decide_block(*jobs[i])
    return [results[i] for i in range(len(jobs))]


def _take(order: list[int], folder: str) -> Iterator[int]:
    """The blocks of ``order`` this process takes, one at a time: a block is taken by the one
    process that creates its claim file in ``folder`` (an exclusive create is atomic)."""
    for i in order:
        try:
            os.close(os.open(os.path.join(folder, f"claim-{i}"), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            continue
        yield i


def _worker(source: str, folder: str) -> None:
    """Decide the blocks pickled in ``source`` that no other process has taken, each into
    ``done-<number>.pickle`` in ``folder`` (a process of :func:`_run`)."""
    import pickle
    from pathlib import Path

    order, jobs = pickle.loads(Path(source).read_bytes())
    for i in _take(order, folder):
        target = Path(folder) / f"done-{i}.pickle"
        partial = target.with_suffix(".part")
        partial.write_bytes(pickle.dumps(_decide_block(*jobs[i])))
        partial.replace(target)


def _decide_block(
    cells: pd.DataFrame,
    dims: tuple,
    k: int,
    counts: np.ndarray,
    r: np.ndarray,
    scale_idx: list[int],
    weight: Callable,
    must: dict[int, dict],
) -> tuple[list, dict]:
    """One block decided: per mask, the data set's item numbers and the flags per breakdown
    for the block's finest cells; and what the decision did."""
    with _one_thread():
        block = _Block(cells, dims, k, counts, r, scale_idx, weight)
        for m, (_mask, qs) in enumerate(block.masks):
            for sub in block.subsets:
                flags = np.zeros(block.size[sub], dtype=bool)
                for q in qs:
                    np.logical_or.at(flags, block.code[sub], must[int(block.item[q])][sub])
                block.hidden[m][sub] |= flags
        report = Report()
        block.decide(report)
    masks = [
        (
            [int(block.item[q]) for q in qs],
            {sub: block.hidden[m][sub][block.code[sub]] for sub in block.subsets},
        )
        for m, (_mask, qs) in enumerate(block.masks)
    ]
    return masks, report.as_dict()


class _Block(_Index):
    """One block's finest cells and every breakdown of them, with one decision per *mask*:
    items asked in the same cells and small in the same cells share one."""

    def __init__(
        self,
        cells: pd.DataFrame,
        dims: tuple[str, ...],
        k: int,
        counts: np.ndarray,
        r: np.ndarray,
        scale_idx: list[int],
        weight: Callable,
    ) -> None:
        super().__init__(cells, dims)
        self.k = k
        #: the answer values that are points of a scale
        self.scale = list(scale_idx)
        per_item = counts.sum(axis=2)
        asked = np.flatnonzero(per_item.sum(axis=0) > 0)
        #: the block's items (numbers of the data set's items) and their answers
        self.item = asked
        self.counts = counts[:, asked, :]
        self.values = list(range(counts.shape[2]))
        per_item = per_item[:, asked]
        per_scale = self.counts[:, :, scale_idx].sum(axis=2) if scale_idx else None
        self.r = {sub: self.sum(sub, r) for sub in self.subsets}
        self.cost = {sub: (self.r[sub] + 1) * weight(sub, dims) for sub in self.subsets}
        #: the breakdowns the workshops show first (a provider's survey in a period): the audit
        #: hides one of their cells only when nothing else frees a pinned count
        self.kept = {sub for sub in self.subsets if weight(sub, dims) >= KEEP_WEIGHT}
        present = per_item > 0
        groups: dict[bytes, list[int]] = {}
        smalls: dict[bytes, dict[tuple, np.ndarray]] = {}
        presents: dict[bytes, dict[tuple, np.ndarray]] = {}
        for q in range(len(asked)):
            present_q, small_q = _primary(
                self, r, per_item[:, q], None if per_scale is None else per_scale[:, q], k
            )
            key = np.packbits(present[:, q]).tobytes()
            key += b"".join(np.packbits(small_q[sub]).tobytes() for sub in self.subsets)
            groups.setdefault(key, []).append(q)
            if key in smalls:
                small_q = {sub: smalls[key][sub] | small_q[sub] for sub in self.subsets}
            smalls[key], presents[key] = small_q, present_q
        self.masks = [(present[:, qs[0]].copy(), qs) for qs in groups.values()]
        self.small = [smalls[key] for key in groups]
        self.present = [presents[key] for key in groups]
        self.item_mask = {q: m for m, (_mask, qs) in enumerate(self.masks) for q in qs}
        self.hidden = [{sub: small_m[sub].copy() for sub in self.subsets} for small_m in self.small]
        #: the masks in which the audit hid more (:meth:`_hide_around`)
        self.fixed: set[int] = set()
        #: per mask, the audit's linear-programming certificates (:meth:`_keep_moves`)
        self.moves: list[list[tuple]] = [[] for _ in self.masks]

    def decide(self, report: Report) -> None:
        """Eliminate and audit (steps 2 and 3)."""
        step = time.perf_counter()
        residuals = [self.eliminate(m) for m in range(len(self.masks))]
        report.seconds["eliminate"] = report.seconds.get("eliminate", 0.0) + (
            time.perf_counter() - step
        )
        step = time.perf_counter()
        self.audit(residuals, report)
        report.seconds["audit"] = report.seconds.get("audit", 0.0) + (time.perf_counter() - step)
        step = time.perf_counter()
        released = [self.release(m, report, residuals[m]) for m in range(len(self.masks))]
        report.seconds["release"] = report.seconds.get("release", 0.0) + (
            time.perf_counter() - step
        )
        recheck = {m: shown for m, (_state, shown) in enumerate(released) if shown}
        if recheck:
            step = time.perf_counter()
            self.audit([state for state, _shown in released], report, recheck=recheck)
            report.seconds["recheck"] = report.seconds.get("recheck", 0.0) + (
                time.perf_counter() - step
            )

    # -- step 2: elimination -------------------------------------------------------------------
    def eliminate(self, m: int) -> dict:
        """Publish mask ``m``'s cells, the kept breakdowns first and each from the most
        valuable down, hiding each one whose publication would let a small cell be
        recomputed; returns the basis and the small cells' residuals."""
        hidden, present = self.hidden[m], self.present[m]
        state = self._mask_state(m)
        order = []
        for sub in self.subsets:
            open_ = np.flatnonzero(~hidden[sub] & present[sub])
            # the kept breakdowns first (a provider's survey in a period, so that no provider
            # loses a whole survey unless its only group is small), each from the most
            # valuable down
            first = 0 if sub in self.kept else 1
            order += [(first, -self.cost[sub][i], len(sub), sub, int(i)) for i in open_]
        order.sort(key=lambda row: row[:3])
        for _first, _cost, _n, sub, cell in order:
            idx = state["local"][self.members(sub, cell)]
            idx = idx[idx >= 0]
            if not len(idx):
                continue
            coef = state["Q"][idx, : state["k"]].sum(axis=0)
            norm2 = len(idx) - float(coef @ coef)
            if norm2 <= TOL:
                continue  # already a sum of published cells: publishing tells nothing new
            # the new direction is the cell's part outside the published cells, so its
            # product with a small cell's residual is the residual's sum over the cell
            a = state["R"][idx].sum(axis=0)
            if sub in self.kept or not sub:
                # a kept cell, or the block's total, must not give any one small cell back
                # (no residual may vanish); it may be a sum of small cells, so that a provider
                # whose every group is small still shows its survey and the total of many
                # small providers is still shown, and the audit then checks what bounds tell
                if len(a) and np.any(state["norm2"] - a * a / norm2 <= 1e-6):
                    hidden[sub][cell] = True
                    continue
            else:
                # any other cell must not make a small cell, nor any sum or difference of
                # small cells, a combination of published cells: the new direction must lie
                # outside the space the small cells' residuals span
                w = state["W"][idx].sum(axis=0)
                if float(w @ w) >= (1 - 1e-6) * norm2:
                    hidden[sub][cell] = True
                    continue
            self._publish(state, idx, coef, a / np.sqrt(norm2))
        return state

    def _mask_state(self, m: int, span: bool = True) -> dict:
        """The basis of published cells (empty at first) and the residuals of the small cells,
        in the space of mask ``m``'s finest cells."""
        mask = self.masks[m][0]
        cells = np.flatnonzero(mask)
        local = np.full(self.n, -1, dtype=np.int64)
        local[cells] = np.arange(len(cells))
        targets = [
            (sub, int(i))
            for sub in self.subsets
            for i in np.flatnonzero(self.small[m][sub] & self.present[m][sub])
        ]
        R = np.zeros((len(cells), len(targets)))
        for j, (sub, cell) in enumerate(targets):
            idx = local[self.members(sub, cell)]
            R[idx[idx >= 0], j] = 1.0
        return {
            "cells": cells,
            "local": local,
            "k": 0,
            "targets": targets,
            "R": R,
            "norm2": R.sum(axis=0),
            "W": _orthonormal(R) if span else None,
            "Q": np.zeros((len(cells), max(len(cells), 1))),
        }

    @staticmethod
    def _publish(
        state: dict, idx: np.ndarray, coef: np.ndarray, a: np.ndarray, span: bool = True
    ) -> None:
        """Add a published cell's new direction to the basis (kept orthonormal), and take it
        out of the small cells' residuals (``a``: their products with the direction) and out
        of the orthonormal basis of their span."""
        Q, k = state["Q"], state["k"]
        r = np.zeros(Q.shape[0])
        r[idx] = 1.0
        r -= Q[:, :k] @ coef
        if float(r @ r) < 0.5 * len(idx):
            # much of the cell was in the published space already: once more, for
            # orthogonality in floating point ("twice is enough")
            r -= Q[:, :k] @ (Q[:, :k].T @ r)
        norm = float(np.linalg.norm(r))
        if norm <= np.sqrt(TOL):
            return
        r /= norm
        Q[:, k] = r
        state["k"] = k + 1
        if len(a):
            _rank_one(state["R"], -r, a)
            state["norm2"] = state["norm2"] - a * a
        if not span:
            return
        W = state["W"]
        a = r @ W
        a2 = min(float(a @ a), 1.0 - 1e-12)
        if a2 > 1e-15:
            # W - r aᵀ has Gram matrix I - a aᵀ: rescaled along a it stays orthonormal, in
            # one rank-one update: W + (γ W a - (1 + γ a·a) r) aᵀ
            gamma = (1.0 / np.sqrt(1.0 - a2) - 1.0) / a2
            u = gamma * (W @ a) - (1.0 + gamma * a2) * r
            _rank_one(W, u, a)

    # -- step 4: release what protects nothing ---------------------------------------------
    def release(self, m: int, report: Report, state: dict) -> tuple[dict, list[tuple]]:
        """Show again, in mask ``m``, cells hidden to protect others that protect nothing;
        returns the basis and residuals of what is then published and the cells shown again
        that were not sums of shown ones (for the audit that follows). ``state`` is the
        elimination's basis and residuals, used as they are when the audit hid nothing more.

        Elimination is strict: it keeps every sum and difference of small cells unknown, and
        the audit's fixes are greedy. So the hidden cells are tried once more, the most
        valuable first (the kept breakdowns, then by cost). One is shown again when

        * it is a sum of published cells (showing it tells nothing new); or
        * after showing it, no small cell, nor the sum of two small finest cells, is a
          combination of published cells; no small cell is left with one possible scale value
          by a published cell that contains it; and every
          count of each
          small cell whose residual direction it changes is still certified by a swap along
          the new direction (see :func:`_swap_certificate`).

        Counts certified by a linear program may lose their certificate: the audit checks them
        again afterwards (:meth:`audit` with ``recheck``)."""
        hidden, present, small = self.hidden[m], self.present[m], self.small[m]
        candidates = []
        for sub in self.subsets:
            for found in np.flatnonzero(hidden[sub] & present[sub] & ~small[sub]):
                first = 0 if sub in self.kept else 1
                candidates.append((first, -self.cost[sub][found], len(sub), sub, int(found)))
        if m in self.fixed:
            state = self._published_state(m)
        shown: list[tuple] = []
        if not candidates:
            return state, shown
        candidates.sort(key=lambda row: row[:3])
        cells, local, R, Q = state["cells"], state["local"], state["R"], state["Q"]
        targets = state["targets"]
        # the counts of the mask's items, and which of them each small cell has
        x = self.counts[:, self.masks[m][1], :][cells]
        # no two small finest cells may be a combination of published cells either (their sum
        # would be a group of few people, and its zeros would be theirs)
        fin = self.dims
        finest = np.array([sub == fin for sub, _c in targets], dtype=bool)
        gram = R.T @ R
        has = []
        for sub, cell in targets:
            idx = local[self.members(sub, cell)]
            has.append(x[idx[idx >= 0]].sum(axis=0) > TOL)

        def place(sub: tuple, cell: int | np.integer) -> np.ndarray:
            idx = local[self.members(sub, cell)]
            return idx[idx >= 0]

        # the scale values each small cell is known not to have given (per item): those a
        # published cell containing it has none of. A cell whose showing would leave a small
        # cell with one possible scale value (its every answer known) stays hidden.
        scale = np.asarray(self.scale, dtype=np.int64)
        known = []
        contains: dict[tuple, list[int]] = {}  # (breakdown, cell) → the small cells inside
        for j, (sub, cell) in enumerate(targets):
            first = self.members(sub, cell)[0]
            zero = np.zeros((x.shape[1], len(scale)), dtype=bool)
            for sup in self.subsets:
                if set(sup) < set(sub):
                    c = int(self.code[sup][first])
                    contains.setdefault((sup, c), []).append(j)
                    if not hidden[sup][c] and present[sup][c]:
                        zero |= x[place(sup, c)].sum(axis=0)[:, scale] <= TOL
            known.append(zero)
        answers = [h[:, scale].any(axis=1) for h in has]  # items each small cell has 1–5 for

        for _first, _cost, _n, sub, cell in candidates:
            idx = place(sub, cell)
            k = state["k"]
            coef = Q[idx, :k].sum(axis=0)
            norm2 = len(idx) - float(coef @ coef)
            if norm2 <= TOL:
                hidden[sub][cell] = False
                report.released += 1
                continue
            a = R[idx].sum(axis=0) / np.sqrt(norm2)
            if len(a):
                if np.any(np.diag(gram) - a * a <= 1e-6):
                    continue
                if _pair_known(gram, a, finest):
                    continue
                r = np.zeros(len(cells))
                r[idx] = 1.0
                r -= Q[:, :k] @ coef
                r /= np.sqrt(norm2)
                if not all(
                    _swaps_all(R[:, j] - a[j] * r, x, has[j])
                    for j in np.flatnonzero(np.abs(a) > 1e-9)
                ):
                    continue
            within = contains.get((sub, cell), []) if len(scale) else []
            if within:
                zero = x[idx].sum(axis=0)[:, scale] <= TOL
                if any(((~(known[j] | zero)).sum(axis=1)[answers[j]] <= 1).any() for j in within):
                    continue
                for j in within:
                    known[j] |= zero
            self._publish(state, idx, coef, a, span=False)
            gram -= np.outer(a, a)
            hidden[sub][cell] = False
            report.released += 1
            shown.append((sub, cell))
        # a cell passed over early may have become a sum of cells shown after it
        for _first, _cost, _n, sub, cell in candidates:
            if hidden[sub][cell]:
                idx = place(sub, cell)
                coef = Q[idx, : state["k"]].sum(axis=0)
                if len(idx) - float(coef @ coef) <= TOL:
                    hidden[sub][cell] = False
                    report.released += 1
        return state, shown

    def _published_state(self, m: int) -> dict:
        """:meth:`_mask_state` with every cell that mask ``m`` publishes now in the basis."""
        state = self._mask_state(m, span=False)
        hidden, present = self.hidden[m], self.present[m]
        local, n = state["local"], len(state["cells"])
        columns = []
        for sub in self.subsets:
            for cell in np.flatnonzero(~hidden[sub] & present[sub]):
                idx = local[self.members(sub, cell)]
                idx = idx[idx >= 0]
                if len(idx):
                    column = np.zeros(n)
                    column[idx] = 1.0
                    columns.append(column)
        if columns:
            basis = _orthonormal(np.column_stack(columns))
            k = basis.shape[1]
            state["Q"][:, :k] = basis
            state["k"] = k
            R = state["R"]
            R -= basis @ (basis.T @ R)
            state["norm2"] = (R * R).sum(axis=0)
        return state

    # -- step 3: the audit with bounds ---------------------------------------------------------
    def audit(
        self, states: list[dict], report: Report, recheck: dict[int, list[tuple]] | None = None
    ) -> None:
        """Certify that no small cell's answer count is pinned to a positive value, hiding
        more where one is (see the module's documentation).

        Per item, the swap along a small cell's residual certifies most counts; the rest are
        tried by linear programs over the item's hidden answers, with every hidden cell's
        respondents kept as they are (a reader who knew them would know no less, so a table
        found this way is one a reader cannot tell from the true one): first a few with random
        objectives, then a minimum and a maximum per count still open. Hiding more only
        loosens what a reader knows, so after a fix only the counts that were pinned are
        audited again.

        ``recheck`` (after :meth:`release`: per mask, the cells it showed again) audits only
        those masks, with ``states`` the residuals of what is published now; a count certified
        earlier by a linear program keeps that certificate where the table found then still
        agrees with every cell shown again (:meth:`_still_moves`), so only the rest need a new
        program.
        """
        by_presence: dict[bytes, list[int]] = {}
        for m, (mask, _items) in enumerate(self.masks):
            if recheck is not None and m not in recheck:
                continue
            by_presence.setdefault(np.packbits(mask).tobytes(), []).append(m)
        for groups in by_presence.values():
            open_ = []
            for m in groups:
                state = states[m]
                residual = {t: state["R"][:, j] for j, t in enumerate(state["targets"])}
                for q in self.masks[m][1]:
                    targets = self._targets(m, q)
                    if recheck is None:
                        report.targets += len(targets)
                    left = self._certify(q, state, residual, targets, report)
                    if left and recheck is not None:
                        left = self._still_moves(m, left, recheck[m])
                    if left:
                        lp = _ItemLP(self, m, q)
                        left = lp.clear(left, report, exhaustive=False)
                        self._keep_moves(m, lp)
                    open_ += left
            for _round in range(200):
                if not open_:
                    break
                pinned, blame = [], {}
                for q in sorted({t[5] for t in open_}):
                    mine = [t for t in open_ if t[5] == q]
                    lp = _ItemLP(self, self.item_mask[q], q)
                    pinned += lp.clear(mine, report, exhaustive=True)
                    self._keep_moves(self.item_mask[q], lp)
                    blame.update(lp.blame)
                if not pinned:
                    break
                cells = sorted({(t[5], t[0], t[1]) for t in pinned})
                report.pinned_fixed += len(cells)
                fixed = [
                    self._hide_around(self.item_mask[q], sub, cell, blame.get((q, sub, cell)))
                    for q, sub, cell in cells
                ]
                if not any(fixed):
                    report.pinned_left += len(cells)
                    break
                open_ = [
                    t
                    for q in sorted({t[5] for t in pinned})
                    for t in self._targets(
                        self.item_mask[q], q, only={(c[1], c[2]) for c in cells if c[0] == q}
                    )
                ]

    def _still_moves(self, m: int, targets: list[tuple], shown: list[tuple]) -> list[tuple]:
        """The ``targets`` of mask ``m`` that no table kept from the audit's linear programs
        still moves: one that moved a count still does when its answers agree with the true
        ones over each cell in ``shown`` (the cells shown again since)."""
        from scipy import sparse

        moves = self.moves[m]
        if not moves or not shown:
            return targets
        nv = self.counts.shape[2]
        rows = np.concatenate([i * nv + values for i, (_c, values, _d, _k) in enumerate(moves)])
        moved = sparse.csr_matrix(
            (
                np.concatenate([d for _c, _v, d, _k in moves]),
                (rows, np.concatenate([c for c, _v, _d, _k in moves])),
            ),
            shape=(len(moves) * nv, self.n),
        )
        members = [self.members(sub, cell) for sub, cell in shown]
        where = sparse.csr_matrix(
            (
                np.ones(sum(len(c) for c in members)),
                (
                    np.concatenate(members),
                    np.repeat(np.arange(len(shown)), [len(c) for c in members]),
                ),
            ),
            shape=(self.n, len(shown)),
        )
        sums = abs(moved @ where)
        broken = np.zeros(len(moves), dtype=bool)
        broken[np.unique(sums.tocoo().row[sums.tocoo().data > 1e-7] // nv)] = True
        certified = {
            key for i, (_c, _v, _d, keys) in enumerate(moves) if not broken[i] for key in keys
        }
        return [t for t in targets if _key(t) not in certified]

    def _keep_moves(self, m: int, lp: _ItemLP) -> None:
        """Keep the audit's certificates of mask ``m``: each table ``lp`` found that moved a
        count, as per-value differences from the truth over the block's finest cells."""
        for move, keys in lp.moves:
            delta = move.reshape(len(lp.hid), lp.nv)
            rows, values = np.nonzero(np.abs(delta) > 1e-9)
            if len(rows):
                self.moves[m].append((lp.hid[rows], values, delta[rows, values], keys))

    def _targets(self, m: int, q: int, only: set | None = None) -> list[tuple]:
        """The counts to audit for item ``q``: ``(sub, cell, value, hidden members, count,
        q)`` for each small cell of mask ``m`` (or only those in ``only``) and each value it
        has."""
        fin = self.dims
        mask, hidden = self.masks[m][0], self.hidden[m]
        x = self.counts[:, q, :]
        targets = []
        for sub in self.subsets:
            for cell in np.flatnonzero(self.small[m][sub] & self.present[m][sub]):
                if only is not None and (sub, int(cell)) not in only:
                    continue
                members = self.members(sub, cell)
                members = members[mask[members] & hidden[fin][members]]
                if not len(members):
                    continue
                totals = x[members].sum(axis=0)
                for v in np.flatnonzero(totals > TOL):
                    targets.append((sub, int(cell), int(v), members, float(totals[v]), q))
        return targets

    def _certify(
        self, q: int, state: dict, residual: dict, targets: list, report: Report
    ) -> list[tuple]:
        """The targets that a swap along their residual direction does not certify."""
        x = self.counts[:, q, :]
        open_ = []
        for target in targets:
            d = residual.get((target[0], target[1]))
            if d is not None and _swap_certificate(d, state["cells"], x, target[2]):
                report.certified += 1
            else:
                open_.append(target)
        return open_

    def _hide_around(self, m: int, sub: tuple, cell: int, blame: set | None) -> bool:
        """Hide, in mask ``m``, one more published cell to free the pinned small cell ``cell``.
        ``blame`` holds the published cells whose equations bind it in the audit (rows with a
        non-zero dual in its minimum or its maximum). The cheapest of the first of these that
        has a published cell: the blamed cells outside the kept breakdowns; the cells that
        contain ``cell``, outside the kept breakdowns, but not the grand total; the published
        finest cells inside blamed kept cells (so that a provider's survey stays shown while
        more of it is free); the blamed kept cells; any published cell sharing finest cells
        with ``cell``. Returns whether there was one."""
        mask, hidden, present = self.masks[m][0], self.hidden[m], self.present[m]
        fin = self.dims

        def open_(cells):
            return {(o, int(c)) for o, c in cells if not hidden[o][c] and present[o][c]}

        blamed = open_(blame or ())
        inside = set()
        for o, c in blamed:
            if o in self.kept:
                members = self.members(o, c)
                inside |= {(fin, int(i)) for i in members[mask[members]]}
        members = self.members(sub, cell)
        members = members[mask[members]]
        around = {(o, int(c)) for o in self.subsets for c in np.unique(self.code[o][members])}
        around = open_(around)
        for candidates in (
            {oc for oc in blamed if oc[0] not in self.kept},
            {oc for oc in around if oc[0] and oc[0] not in self.kept},
            open_(inside),
            blamed,
            around,
        ):
            if candidates:
                other, c = min(
                    candidates, key=lambda oc: (self.cost[oc[0]][oc[1]], -len(oc[0]), oc)
                )
                hidden[other][c] = True
                self.fixed.add(m)
                return True
        return False


_banner = {"shown": False}


def _highs():
    """A silent HiGHS instance (its first construction prints a banner to the process's
    standard output, which would land in a command's output: it goes to /dev/null)."""
    import os
    import sys

    import highspy

    if _banner["shown"]:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        try:
            highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner["shown"] = True
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    for name, value in HIGHS_OPTIONS.items():
        highs.setOptionValue(name, value)
    return highs


def _rank_one(matrix: np.ndarray, u: np.ndarray, v: np.ndarray) -> None:
    """``matrix += u vᵀ`` in place, without a temporary (BLAS ``dger``)."""
    from scipy.linalg.blas import dger

    if matrix.flags.c_contiguous:
        dger(1.0, v, u, a=matrix.T, overwrite_a=True)
    else:
        matrix += np.outer(u, v)


def _orthonormal(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the column space of ``matrix``."""
    if not matrix.size:
        return np.zeros((matrix.shape[0], 0))
    q, r, _pivot = __import__("scipy.linalg", fromlist=["qr"]).qr(
        matrix, mode="economic", pivoting=True
    )
    diag = np.abs(np.diag(r))
    rank = int((diag > max(diag.max(), 1.0) * 1e-10).sum()) if len(diag) else 0
    return np.ascontiguousarray(q[:, :rank])


def _pair_known(gram: np.ndarray, a: np.ndarray, finest: np.ndarray) -> bool:
    """Whether publishing a direction with products ``a`` with the small cells' residuals
    (whose Gram matrix is ``gram``) would make the sum of two small finest cells (``finest``)
    a combination of published cells: its residual, ``R_i + R_j``, would vanish. Only pairs
    with a cell the direction touches can change."""
    moved = np.flatnonzero(finest & (np.abs(a) > 1e-9))
    if not len(moved):
        return False
    others = np.flatnonzero(finest)
    diag = np.diag(gram)
    left = (
        diag[moved, None]
        + diag[None, others]
        + 2 * gram[np.ix_(moved, others)]
        - (a[moved, None] + a[None, others]) ** 2
    )
    left[moved[:, None] == others[None, :]] = np.inf
    return bool(np.any(left <= 1e-6))


def _swaps_all(d: np.ndarray, x: np.ndarray, has: np.ndarray) -> bool:
    """Whether a swap along ``d`` certifies every count a small cell has (``has``: items ×
    values) at once, with ``x`` the counts of the mask's finest cells (cells × items ×
    values): :func:`_swap_certificate` for every item and value."""
    support = np.flatnonzero(np.abs(d) > 1e-9)
    if not len(support) or len(support) > SWAP_SUPPORT:
        return False
    counts = x[support] > TOL
    up, down = d[support] > 0, d[support] < 0
    up_has = np.asarray(counts[up].all(axis=0))  # items × values: every rising cell has the value
    down_has = np.asarray(counts[down].all(axis=0))

    def other(flags: np.ndarray) -> np.ndarray:
        return (flags.sum(axis=1, keepdims=True) - flags) > 0

    ok = (up_has & other(down_has)) | (down_has & other(up_has))
    return bool(np.all(ok[has]))


def _key(target: tuple) -> tuple:
    """An audited count's key: (item, breakdown, cell, value)."""
    return (target[5], target[0], target[1], target[2])


def _swap_certificate(d: np.ndarray, cells: np.ndarray, x: np.ndarray, v: int) -> bool:
    """Whether moving answers between value ``v`` and another value along the null direction
    ``d`` (over the finest cells ``cells`` of the mask) keeps every count non-negative: then the
    small cell's count of ``v`` can change while everything shown, and every cell's number of
    answers, stays as it is."""
    support = np.flatnonzero(np.abs(d) > 1e-9)
    if not len(support) or len(support) > SWAP_SUPPORT:
        return False  # a long direction almost never has every count it needs
    counts = x[cells[support]]
    up, down = d[support] > 0, d[support] < 0
    for w in range(x.shape[1]):
        if w == v:
            continue
        # direction 1: cells with d > 0 give up v (and take w); cells with d < 0 give up w
        if np.all(counts[up, v] > TOL) and np.all(counts[down, w] > TOL):
            return True
        # direction 2: the other way round
        if np.all(counts[up, w] > TOL) and np.all(counts[down, v] > TOL):
            return True
    return False


class _LP:
    """A linear program over some answer counts (and respondents), with the true table as a
    feasible point: clears targets by finding tables that move them."""

    A: sparse.csr_matrix | None = None
    b: np.ndarray | None = None
    A_ub: sparse.csr_matrix | None = None
    b_ub: np.ndarray | None = None
    bounds: list | tuple = (0, None)
    truth: np.ndarray
    #: the published cell ``(breakdown, cell)`` of each equality row
    row_cell: list = []

    def __init__(self) -> None:
        #: per pinned small cell ``(item, breakdown, cell)``: the published cells that bound it
        self.blame: dict[tuple, set] = {}
        #: every feasible table found that moved a count, as its difference from the truth
        #: (the certificates that :meth:`_Block.release` keeps valid)
        self.moves: list[tuple[np.ndarray, list[tuple]]] = []

    def vector(self, target: tuple) -> np.ndarray:
        """The target's count as a linear function of the variables."""
        raise NotImplementedError

    def _model(self):
        """The program in HiGHS, built once: later solves change only the objective and start
        from the previous basis."""
        import highspy
        from scipy import sparse

        blocks = [m for m in (self.A, self.A_ub) if m is not None]
        matrix = (
            sparse.vstack(blocks).tocsc() if blocks else sparse.csc_matrix((0, len(self.truth)))
        )
        n_eq = self.A.shape[0] if self.A is not None else 0
        n_ub = self.A_ub.shape[0] if self.A_ub is not None else 0
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
        lp.col_cost_ = np.zeros(matrix.shape[1])
        bounds = self.bounds if isinstance(self.bounds, list) else [self.bounds] * matrix.shape[1]
        lp.col_lower_ = np.array([b[0] if b[0] is not None else -inf for b in bounds], float)
        lp.col_upper_ = np.array([b[1] if b[1] is not None else inf for b in bounds], float)
        b_eq = self.b if self.b is not None else np.zeros(0)
        b_ub = self.b_ub if self.b_ub is not None else np.zeros(0)
        lp.row_lower_ = np.concatenate([b_eq, np.full(n_ub, -inf)])
        lp.row_upper_ = np.concatenate([b_eq, b_ub])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data.astype(float)
        highs = _highs()
        highs.passModel(lp)
        del n_eq
        return highs

    def _solve(self, objective: np.ndarray, report: Report) -> np.ndarray | None:
        import highspy

        if getattr(self, "_highs", None) is None:
            self._highs = self._model()
        report.lps += 1
        n = len(objective)
        self._highs.changeColsCost(n, np.arange(n, dtype=np.int32), objective.astype(float))
        self._highs.run()
        if self._highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self._highs.getSolution()
        n_eq = self.A.shape[0] if self.A is not None else 0
        self.duals = np.asarray(solution.row_dual)[:n_eq]
        return np.asarray(solution.col_value)

    def clear(self, targets: list, report: Report, exhaustive: bool) -> list:
        """The targets no feasible table found here moves: after a few programs with random
        objectives, and (``exhaustive``) a minimum and a maximum for each target left."""
        rng = np.random.default_rng(20261201)
        vectors = [self.vector(t) for t in targets]
        values = np.array([t[4] for t in targets])
        open_ = list(range(len(targets)))
        stale = 0
        rounds = 0 if exhaustive and len(open_) <= FEW else 12
        for _round in range(rounds):
            if not open_ or stale >= STALE:
                break
            # random weights with random signs: each open count is pushed up or down
            weights = rng.uniform(0.5, 1.5, len(open_)) * rng.choice((-1.0, 1.0), len(open_))
            objective = np.zeros(len(self.truth))
            for w, i in zip(weights, open_):
                objective += w * vectors[i]
            solution = self._solve(objective, report)
            if solution is None:
                break
            moved = {i for i in open_ if abs(vectors[i] @ solution - values[i]) > 1e-6}
            if moved:
                self.moves.append((solution - self.truth, [_key(targets[i]) for i in moved]))
            stale = 0 if moved else stale + 1
            report.by_lp += len(moved)
            open_ = [i for i in open_ if i not in moved]
        if not exhaustive:
            return [targets[i] for i in open_]
        pinned = []
        done: set[tuple] = set()  # one pinned count is enough to protect its cell again
        moved = set()  # every table found moves more counts than the one sought
        for i in open_:
            if i in moved:
                continue
            cell = (targets[i][5], targets[i][0], targets[i][1])
            if cell in done:
                pinned.append(targets[i])
                continue
            binding: set[int] = set()
            for sign in (-1.0, 1.0):
                solution = self._solve(sign * vectors[i], report)
                if solution is None:
                    continue
                binding |= set(np.flatnonzero(np.abs(self.duals) > 1e-9).tolist())
                now = {
                    j
                    for j in open_
                    if j not in moved and abs(vectors[j] @ solution - values[j]) > 1e-6
                }
                if now:
                    self.moves.append((solution - self.truth, [_key(targets[j]) for j in now]))
                report.by_lp += len(now)
                moved |= now
                if i in moved:
                    break
            else:
                pinned.append(targets[i])
                done.add(cell)
                # the published cells whose counts bound this one: hiding one of them is
                # what can free it
                self.blame.setdefault(cell, set()).update(
                    self.row_cell[row] for row in binding if row < len(self.row_cell)
                )
        return pinned


class _ItemLP(_LP):
    """The answers to one item of the hidden finest cells, as the unknowns of a linear program:
    every published cell's counts and every cell's number of answers are fixed."""

    def __init__(self, cube: _Block, m: int, q: int) -> None:
        from scipy import sparse

        super().__init__()
        self.row_cell = []
        fin = cube.dims
        hidden = cube.hidden[m]
        hid = self.hid = np.flatnonzero(hidden[fin] & cube.masks[m][0])
        x = cube.counts[:, q, :]
        nv = self.nv = x.shape[1]
        self.pos = np.full(cube.n, -1, dtype=np.int64)
        self.pos[hid] = np.arange(len(hid))
        self.truth = x[hid].reshape(-1)
        rows, cols, rhs = [], [], []
        eq = 0
        for sub in cube.subsets:
            if sub == fin or not len(hid):
                continue
            code = cube.code[sub][hid]
            shown = ~hidden[sub][code]
            if not shown.any():
                continue
            cells, inverse = np.unique(code[shown], return_inverse=True)
            members = np.flatnonzero(shown)
            for v in range(nv):
                rows.append(eq + inverse * nv + v)
                cols.append(members * nv + v)
            sums = np.zeros((len(cells), nv))
            np.add.at(sums, inverse, x[hid[members]])
            rhs.append(sums.reshape(-1))
            eq += len(cells) * nv
            self.row_cell += [(sub, int(c)) for c in cells for _v in range(nv)]
        n_h = len(hid)
        self.A = (
            sparse.csr_matrix(
                (np.ones(sum(len(c) for c in cols)), (np.concatenate(rows), np.concatenate(cols))),
                shape=(eq, n_h * nv),
            )
            if rows
            else None
        )
        self.b = np.concatenate(rhs) if rhs else None
        # each hidden cell answers the item at most as often as it has respondents (kept as
        # they are here)
        self.A_ub = sparse.csr_matrix(
            (np.ones(n_h * nv), (np.repeat(np.arange(n_h), nv), np.arange(n_h * nv))),
            shape=(n_h, n_h * nv),
        )
        self.b_ub = cube.r[fin][hid].astype(float)

    def vector(self, target: tuple) -> np.ndarray:
        w = np.zeros(len(self.truth))
        w[self.pos[target[3]] * self.nv + target[2]] = 1.0
        return w
