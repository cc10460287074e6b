"""Cell suppression over a whole data set: which groups may be shown, decided once.

A data set's people are split by a few *dimensions* (provider, period, survey, qualification).
Every table the kit can show is a breakdown by some of them, and every breakdown is a sum of the
finest cells. Deciding table by table is not enough: a total, a breakdown and a breakdown of
another table can be chained to give a hidden group back. So the :class:`Pattern` decides for
**all** breakdowns at once (the *cube*: every subset of the dimensions, the grand total
included):

1. **Primary.** A cell is *small* when it has 1 to k-1 respondents, or when a part of it that
   could be shown on its own (one question's answers, the people who gave a scale answer) is.
   Small cells are hidden.
2. **Siblings.** Under every shown parent (the same cell without one dimension), the hidden
   children must be none, or at least two that together cover k or more people. Otherwise the
   smallest shown sibling is hidden too, or the parent when there is none; repeated over all
   tables until nothing changes.
   A sibling set whose hidden total alone would pin a "1-4" member to one value (knowing that
   "1-4" means 1 to k-1 and any other hidden group has at least k) counts as unsafe too.
3. **Audit.** For every small cell, a linear-algebra check asks whether its count follows
   from the shown cells of all tables by adding and subtracting (its indicator lies in the row
   space of the shown cells' equations). Where it does, the smallest shown cell of that
   derivation is hidden and the audit runs again.

What this guarantees: no small group's count, and so none of its answers, can be worked out by
adding and subtracting anything the kit shows for the data set. What it does not claim: when
many totals are combined with the knowledge that a "1-4" group has at least one and at most
k-1 people, an interval narrower than 1-4 may be inferred for some groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import linalg as scipy_linalg
from scipy import sparse
from scipy.sparse import linalg as linalg_sparse


class Pattern:
    """The decision for every breakdown of a data set (see :func:`build`)."""

    def __init__(self, cube: "_Cube") -> None:
        self.dims = cube.dims
        self.k = cube.k
        self._cube = cube
        self._tables: dict[tuple[str, ...], pd.DataFrame] = {}

    def table(self, dims: Sequence[str]) -> pd.DataFrame:
        """The breakdown by ``dims`` (any order): its key columns, ``respondents``, ``small``
        (a primary cell) and ``hidden``."""
        sub = tuple(d for d in self.dims if d in set(dims))
        if sub not in self._tables:
            self._tables[sub] = self._cube.table(sub)
        return self._tables[sub]

    def flags_for(self, other_dims: Sequence[str], keys: pd.DataFrame) -> np.ndarray:
        """Whether each row of ``keys`` (columns ``other_dims``) is hidden here; rows this
        pattern does not know count as shown."""
        table = self.table(other_dims)
        merged = keys.merge(table[[*other_dims, "hidden"]] if other_dims else table[["hidden"]],
                            how="left", on=list(other_dims) or None) if other_dims else \
            keys.assign(hidden=bool(table["hidden"].iloc[0]) if len(table) else False)
        return merged["hidden"].fillna(False).to_numpy(bool)

    def hidden_arrays(self) -> dict[tuple[str, ...], np.ndarray]:
        """The decision itself, for storing (see :func:`build`)."""
        return dict(self._cube.hidden)

    def hidden_count(self) -> tuple[int, int]:
        """How many cells of all breakdowns are hidden, and how many there are."""
        hidden = self._cube.hidden
        return sum(int(h.sum()) for h in hidden.values()), sum(len(h) for h in hidden.values())


def build(
    cells: pd.DataFrame,
    dims: Sequence[str],
    k: int,
    parts: pd.DataFrame | None = None,
    hidden: dict[tuple[str, ...], np.ndarray] | None = None,
    start: Mapping[tuple[str, ...], np.ndarray] | None = None,
    link: "Pattern | None" = None,
) -> Pattern:
    """Decide the pattern for the finest ``cells`` (one row per combination of ``dims`` with a
    ``respondents`` column and optionally ``scale_respondents``).

    ``parts`` (``dims``, ``part``, ``count``, optionally ``presence``) are pieces of a cell that
    can be shown on their own, for example each question's answers: a cell with a small part
    counts as small. The cells a ``presence`` part (a question) has answers in are modelled as
    their own sums, because a table of that question adds up only those cells.
    ``hidden`` is a decision made earlier for the same input (:meth:`Pattern.hidden_arrays`),
    which is then reused instead of decided again. ``start`` marks cells (per subset, by cell
    number) that must be hidden whatever else is decided. ``link`` is the pattern of another
    table about the same people (feedback for response counts): every cell it hides, in a
    breakdown both know, is hidden here too.
    """
    cube = _Cube(cells.reset_index(drop=True), tuple(dims), k, parts)
    for sub, flags in (start or {}).items():
        if sub in cube.hidden and len(flags) == len(cube.hidden[sub]):
            cube.hidden[sub] |= np.asarray(flags, dtype=bool)
    if link is not None:
        for sub in cube.subsets:
            if set(sub) <= set(link.dims):
                keys = cube.table(sub)[list(sub)]
                cube.hidden[sub] |= link.flags_for(sub, keys)
    if hidden is not None and all(len(hidden.get(s, ())) == len(cube.r[s]) for s in cube.subsets):
        cube.hidden = {s: np.asarray(hidden[s], dtype=bool) for s in cube.subsets}
    else:
        cube.decide()
    return Pattern(cube)


class _Cube:
    """Arrays for every subset of the dimensions, indexed by cell number."""

    def __init__(self, cells: pd.DataFrame, dims: tuple[str, ...], k: int,
                 parts: pd.DataFrame | None) -> None:
        self.cells, self.dims, self.k = cells, dims, k
        self.subsets = [s for n in range(len(dims), -1, -1) for s in combinations(dims, n)]
        # how detailed a table is: dimensions later in ``dims`` weigh more
        self.detail = {s: sum(2 ** dims.index(d) for d in s) for s in self.subsets}
        self.finest = dims
        r = cells["respondents"].to_numpy(np.int64)
        s = cells["scale_respondents"].to_numpy(np.int64) if "scale_respondents" in cells else None
        self.code: dict[tuple, np.ndarray] = {}
        self.r: dict[tuple, np.ndarray] = {}
        self.small: dict[tuple, np.ndarray] = {}
        self.first: dict[tuple, np.ndarray] = {}
        for sub in self.subsets:
            code = (cells.groupby(list(sub), sort=True, observed=True).ngroup().to_numpy()
                    if sub else np.zeros(len(cells), dtype=np.int64))
            size = int(code.max()) + 1 if len(code) else 0
            self.code[sub] = code
            self.r[sub] = np.bincount(code, weights=r, minlength=size).astype(np.int64)
            small = (self.r[sub] > 0) & (self.r[sub] < k)
            if s is not None:
                s_sub = np.bincount(code, weights=s, minlength=size)
                small |= (s_sub > 0) & (s_sub < k)
            self.small[sub] = small
            first = np.full(size, -1, dtype=np.int64)
            first[code[::-1]] = np.arange(len(code))[::-1]
            self.first[sub] = first
        # which finest cells each part (question) is asked in: a sum over a group restricted to
        # those cells is published by a table of that question, so it is modelled too
        self.masks = [np.ones(len(cells), dtype=bool)]
        if parts is not None and len(parts):
            self._small_parts(parts)
            self.masks += self._presence(parts)
        self.rm: list[dict[tuple, np.ndarray]] = []
        for mask in self.masks:
            per = {sub: np.bincount(self.code[sub], weights=r * mask,
                                    minlength=len(self.r[sub])).astype(np.int64)
                   for sub in self.subsets}
            for sub in self.subsets:
                self.small[sub] |= (per[sub] > 0) & (per[sub] < k)
            self.rm.append(per)
        self.hidden = {sub: self.small[sub].copy() for sub in self.subsets}
        self.parent: dict[tuple[tuple, str], np.ndarray] = {}
        for sub in self.subsets:
            for d in sub:
                up = tuple(x for x in sub if x != d)
                self.parent[(sub, d)] = self.code[up][self.first[sub]]

    def _finest_of(self, parts: pd.DataFrame) -> np.ndarray:
        index = pd.MultiIndex.from_frame(self.cells[list(self.dims)])
        return index.get_indexer(pd.MultiIndex.from_frame(parts[list(self.dims)]))

    def _presence(self, parts: pd.DataFrame) -> list[np.ndarray]:
        """One mask per distinct set of finest cells a part is present in (``presence`` rows)."""
        if "presence" in parts:
            parts = parts[parts["presence"].to_numpy(bool)]
        where = self._finest_of(parts)
        keep = (where >= 0) & (parts["count"].to_numpy() > 0)
        masks: dict[bytes, np.ndarray] = {}
        for _name, rows in pd.Series(where[keep]).groupby(parts["part"].to_numpy()[keep]):
            mask = np.zeros(len(self.cells), dtype=bool)
            mask[rows.to_numpy()] = True
            if not mask.all():
                masks.setdefault(np.packbits(mask).tobytes(), mask)
        return list(masks.values())

    def _small_parts(self, parts: pd.DataFrame) -> None:
        where = self._finest_of(parts)
        keep = where >= 0
        where = where[keep]
        part = pd.factorize(parts["part"].to_numpy()[keep])[0]
        count = parts["count"].to_numpy(np.int64)[keep]
        n_parts = int(part.max()) + 1 if len(part) else 1
        for sub in self.subsets:
            key = self.code[sub][where] * n_parts + part
            totals = np.bincount(key, weights=count, minlength=len(self.r[sub]) * n_parts)
            bad = ((totals > 0) & (totals < self.k)).reshape(len(self.r[sub]), n_parts).any(axis=1)
            self.small[sub] |= bad

    # -- step 2: siblings ----------------------------------------------------------------------
    def siblings(self) -> None:
        """Hide until every sibling set under a shown parent is safe, for the whole groups and
        for their parts restricted to where each question is asked (a child without such cells
        is a known zero there, and protects nothing)."""
        k = self.k
        while True:
            changed = False
            for rm in self.rm:
                for sub in self.subsets:
                    for d in sub:
                        up = tuple(x for x in sub if x != d)
                        par = self.parent[(sub, d)]
                        n_par = len(self.r[up])
                        hid = self.hidden[sub] & (rm[sub] > 0)
                        count = np.bincount(par, weights=hid, minlength=n_par)
                        total = np.bincount(par, weights=np.where(hid, rm[sub], 0),
                                            minlength=n_par)
                        bad = ~self.hidden[up] & (rm[up] > 0) & (
                            (count == 1) | ((count >= 2) & (total < k))
                            | self._pinned(rm[sub], hid, par, n_par, total))
                        if bad.any():
                            self._hide_one_more(sub, up, par, bad, rm[sub])
                            changed = True
            if not changed:
                return

    def _pinned(self, r: np.ndarray, hid: np.ndarray, par: np.ndarray, n_par: int,
                total: np.ndarray) -> np.ndarray:
        """Sibling sets whose total alone pins a hidden small member to one value.

        A "1-4" member lies in [1, k-1] and any other hidden member in [k, ∞); with the parent
        shown, the hidden total S is known, so member i lies in
        [S - (sum of the others' upper bounds), S - (sum of the others' lower bounds)].
        """
        k = self.k
        small = hid & (r < k)
        low = np.where(small, 1, k) * hid
        up = np.where(small, k - 1, 0) * hid
        unbounded = np.bincount(par, weights=hid & ~small, minlength=n_par)
        sum_low = np.bincount(par, weights=low, minlength=n_par)
        sum_up = np.bincount(par, weights=up, minlength=n_par)
        i = np.flatnonzero(small)
        p = par[i]
        others_unbounded = unbounded[p] > 0  # an unbounded other member frees the lower end
        lo = np.where(others_unbounded, 1, np.maximum(1, total[p] - (sum_up[p] - up[i])))
        hi = np.minimum(k - 1, total[p] - (sum_low[p] - low[i]))
        pinned = np.zeros(n_par, dtype=bool)
        pinned[p[hi - lo < 1]] = True
        return pinned

    def _hide_one_more(self, sub: tuple, up: tuple, par: np.ndarray, bad: np.ndarray,
                       r: np.ndarray) -> None:
        """In each bad sibling set, hide the smallest shown sibling, or else the parent."""
        hid = self.hidden[sub]
        cand = np.flatnonzero(bad[par] & ~hid & (r > 0))
        if len(cand):
            order = cand[np.lexsort((r[cand], par[cand]))]
            first = np.r_[True, par[order][1:] != par[order][:-1]]
            hid[order[first]] = True
        served = np.zeros(len(bad), dtype=bool)
        served[par[cand]] = True
        self.hidden[up] |= bad & ~served

    # -- step 3: audit -------------------------------------------------------------------------
    def audit(self) -> list[tuple[tuple, int]]:
        """Small cells whose respondent count follows from the shown cells by addition and
        subtraction, each with the shown cell to hide next (the smallest one its derivation
        uses).

        A count is determined exactly when its indicator ``w`` (over the hidden finest cells)
        is orthogonal to the null space of the shown cells' equations ``A``. Random vectors of
        that null space come from least-squares projections (LSMR), which are checked to lie in
        it; ``w`` meets them at ~1e-11 when determined and at ~1e-1 otherwise.
        """
        fin = self.finest
        hidden_f = np.flatnonzero(self.hidden[fin])
        if not len(hidden_f):
            return []
        n_var = len(hidden_f)
        rows, cols, eq_cells = [], [], []
        eq = 0
        for mask in self.masks:
            inside = mask[hidden_f]
            for sub in self.subsets:
                if sub == fin:
                    continue
                cell = self.code[sub][hidden_f]
                shown = ~self.hidden[sub][cell] & inside
                if shown.any():
                    ids, inverse = np.unique(cell[shown], return_inverse=True)
                    rows.append(eq + inverse)
                    cols.append(np.flatnonzero(shown))
                    eq_cells += [(sub, int(i)) for i in ids]
                    eq += len(ids)
        if not eq:
            return []
        A = sparse.csr_matrix((np.ones(sum(len(c) for c in cols)),
                               (np.concatenate(rows), np.concatenate(cols))), shape=(eq, n_var))
        targets, columns = [], []
        for mask, rm in zip(self.masks, self.rm):
            inside = mask[hidden_f]
            for sub in self.subsets:
                cell = self.code[sub][hidden_f]
                for t in np.flatnonzero((rm[sub] > 0) & (rm[sub] < self.k)):
                    w = (cell == t) & inside
                    if w.any():
                        targets.append((sub, int(t)))
                        columns.append(w)
        if not targets:
            return []
        W = np.column_stack(columns).astype(float)
        solver = _Dense(A) if eq * n_var <= 2_000_000 else _Sparse(A)
        determined = solver.determined(W)
        out = []
        for (sub, t), w, bad in zip(targets, columns, determined):
            if not bad:
                continue
            y = solver.derivation(w.astype(float))
            used = np.flatnonzero(np.abs(y) > 1e-6)
            # hide detail before totals: tables with the later (finer) dimensions first, then
            # the smallest cell
            choices = sorted((eq_cells[i] for i in used
                              if self.r[eq_cells[i][0]][eq_cells[i][1]] > 0),
                             key=lambda c: (-self.detail[c[0]], self.r[c[0]][c[1]]))
            fresh = [c for c in choices if c not in out]  # one distinct cell per failure
            if fresh or choices:
                out.append((fresh or choices)[0])
        return out

    def decide(self) -> None:
        """Steps 2 and 3 until the audit passes (each round hides at least one more cell)."""
        while True:
            self.siblings()
            to_hide = self.audit()
            if not to_hide:
                return
            for sub, cell in to_hide:
                self.hidden[sub][cell] = True

    def table(self, sub: tuple) -> pd.DataFrame:
        """One breakdown as a DataFrame."""
        keys = {d: self.cells[d].to_numpy()[self.first[sub]] for d in sub}
        return pd.DataFrame({**keys, "respondents": self.r[sub], "small": self.small[sub],
                             "hidden": self.hidden[sub]})


class _Dense:
    """Exact enough for small systems: an orthonormal basis of the row space (pivoted QR)."""

    def __init__(self, A: sparse.csr_matrix) -> None:
        q, r, self.pivot = scipy_linalg.qr(A.toarray().T, mode="economic", pivoting=True)
        diag = np.abs(np.diag(r))
        self.rank = int((diag > diag.max() * 1e-10).sum()) if len(diag) else 0
        self.basis = q[:, :self.rank]
        self.r = r[:self.rank, :self.rank]
        self.n_eq = A.shape[0]

    def determined(self, W: np.ndarray) -> np.ndarray:
        residual = W - self.basis @ (self.basis.T @ W)
        return np.linalg.norm(residual, axis=0) < 1e-8

    def derivation(self, w: np.ndarray) -> np.ndarray:
        """Coefficients ``y`` with ``A.T @ y = w`` (``w`` in the row space), from the QR."""
        z = scipy_linalg.solve_triangular(self.r, self.basis.T @ w)
        y = np.zeros(self.n_eq)
        y[self.pivot[:self.rank]] = z
        return y


class _Sparse:
    """For large systems: random null-space vectors from least-squares projections."""

    def __init__(self, A: sparse.csr_matrix) -> None:
        self.A = A
        self.null = _null_vectors(A, A.shape[1])

    def determined(self, W: np.ndarray) -> np.ndarray:
        return np.abs(W.T @ self.null).max(axis=1) < 1e-6

    def derivation(self, w: np.ndarray) -> np.ndarray:
        return linalg_sparse.lsmr(self.A.T, w, atol=1e-12, btol=1e-12,
                                  maxiter=20 * self.A.shape[1])[0]


def _null_vectors(A: sparse.csr_matrix, n_var: int, count: int = 3) -> np.ndarray:
    """``count`` random vectors of the null space of ``A`` (as columns).

    Each is a random vector minus its least-squares projection onto the row space of ``A``;
    the projection is solved to machine precision and checked.
    """
    rng = np.random.default_rng(20260701)
    out = []
    for _ in range(count):
        g = rng.standard_normal(n_var)
        y = linalg_sparse.lsmr(A.T, g, atol=1e-15, btol=1e-15, maxiter=20 * n_var)[0]
        z = g - A.T @ y
        if np.abs(A @ z).max() > 1e-8:
            raise ArithmeticError("suppression audit: least squares did not converge")
        out.append(z)
    return np.column_stack(out)
