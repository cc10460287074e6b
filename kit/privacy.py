"""The anonymity rule, enforced once for every output the kit shows or exports.

**Results and participation.** *Results* are what people answered: answer counts, means,
distributions, shares, medians, free text, gaps and changes. No result of a group of 1–4 people
is ever shown, nor can be worked out from what is shown; in a result table such a group's
respondent count reads ``"1-4"``, as in Vipunen's result reports. *Participation* is how many
were asked and answered: the official confirmed counts (targeted, answered, the response rate
and the correction factor that funding uses) are shown exactly as Vipunen publishes them,
counts of 1–4 included (:func:`participation`). The threshold can be raised
(``KIT_PRIVACY_THRESHOLD`` or :func:`set_threshold`), never lowered below 5.

**One path.** Every result table is cut, by :func:`breakdown`, from one decision per data set
(:func:`decide`, made by :mod:`kit.suppression` for every breakdown at once and kept in the
cache folder): feedback (:func:`kit.feedback.summary`) and everything built on it (the
dashboards, funding points, exports, one-page summaries, ``kit run`` reports), and the
self-assessment's groups of assessors. Hiding a small group is not
enough when totals and other groups are shown, so the decision hides more groups where needed
(their count reads as :func:`hidden_label`) and audits the result against inference through
subtraction and through bounds. On top of it:

* a breakdown shows a group only if the decision shows it;
* selecting one value of a dimension is the same as breaking down by it and keeping one row;
* selecting several values shows their sum only where every selected group is shown (a sum of
  shown groups tells nothing new);
* selecting questions narrows the figures, never the decision, which is made for all of the
  data set's questions;
* thresholds form a chain (the decision for k starts from the one for k-1, down to 5), so
  tables at several thresholds together show no more than the strictest.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit import files, paths, suppression
from kit.errors import KitInputError
from kit.i18n import t
from kit.threshold import MINIMUM, _check, effective, set_threshold, threshold  # noqa: F401

#: the threshold itself lives in :mod:`kit.threshold` (no heavy imports, for the lean app
#: kernels); it is re-exported here, where every result table applies it


def hidden_label(lang: str | None = None) -> str:
    """How the count of a group hidden only to protect a small sibling reads."""
    return t("privacy.hidden", lang)


def breakdown(
    data: pd.DataFrame,
    by: Sequence[str],
    select: Mapping[str, object] | None,
    count: Callable[[pd.DataFrame, list[str]], pd.DataFrame],
    *,
    decision: suppression.Pattern,
    figures: Sequence[str],
    item: str | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Count ``data`` per group of ``by`` and show only what ``decision`` allows.

    ``decision`` was made for the whole data set (see :func:`decide`); ``data`` may be a
    narrower view of it (some items only: ``item`` names the item column, such as
    ``question_id``). ``select`` narrows people dimensions. ``count(rows, by)`` returns one
    row per group with ``respondents`` and the ``figures``. A row about one item is hidden
    where the decision hides that item's answers; a row pooling several items where it hides
    any of them.

    Returns ``count``'s table with ``suppressed`` and ``respondents_label`` added and every
    figure of a hidden group blanked.
    """
    dims = decision.dims
    by = list(by)
    wanted = {d: as_list(v) for d, v in (select or {}).items()}
    for d, values in list(wanted.items()):
        if set(data[d].unique()) <= set(values):
            del wanted[d]  # everything selected: no selection
    rows = data
    for d, values in wanted.items():
        rows = rows[rows[d].isin(values)]
    table = count(rows, by).reset_index(drop=True)
    people = [d for d in by if d in dims]
    extra = [d for d in wanted if d not in by]
    if item is not None and item in by:
        decided = _item_table(decision, people + extra, item)
        decided = decided[decided[item].isin(rows[item].astype(str).unique())]
        keys = [*people, item]
    else:
        items = rows[item].astype(str).unique() if item is not None else None
        decided = decision.table(people + extra, items)
        keys = people
    for d in extra:
        decided = decided[decided[d].isin(wanted[d])]
    if keys:
        flags = _any_hidden(decided, table, keys, item)
    else:
        flags = np.full(len(table), bool(decided["hidden"].any()) if len(decided) else False)
    return _blank(table, flags, figures, decision.k, lang)


#: each decision's tables by item, put together once per decision (a decision lives as long as
#: the process keeps it; its tables go with it)
_item_tables: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _item_table(decision: suppression.Pattern, dims: list[str], item: str) -> pd.DataFrame:
    """``decision.item_table(dims, item)``, made once per decision, breakdown and item."""
    tables = _item_tables.setdefault(decision, {})
    key = (tuple(sorted(dims)), item)
    if key not in tables:
        tables[key] = decision.item_table(dims, item)
    return tables[key]


def _any_hidden(
    decided: pd.DataFrame, table: pd.DataFrame, keys: list[str], item: str | None
) -> np.ndarray:
    """For each row of ``table``: whether any row of ``decided`` with the same ``keys`` is
    hidden (a group the decision does not know, or with a key missing, is not)."""
    n = len(decided)
    ours = np.zeros(n, dtype="int64")
    theirs = np.zeros(len(table), dtype="int64")
    known_ours = np.ones(n, dtype=bool)
    known_theirs = np.ones(len(table), dtype=bool)
    span = 1
    for key in keys:
        codes, values = pd.factorize(decided[key])
        column = table[key].astype("str") if key == item else table[key]
        found = pd.Index(values).get_indexer(column)
        known_ours &= codes >= 0
        known_theirs &= found >= 0
        size = max(len(values), 1)
        if span * size >= 2**62:  # keep the combined keys in range: number them afresh
            _, joined = np.unique(np.concatenate([ours, theirs]), return_inverse=True)
            ours, theirs = joined[:n].astype("int64"), joined[n:].astype("int64")
            span = int(joined.max(initial=0)) + 1
        ours, theirs = ours * size + codes, theirs * size + found
        span *= size
    hidden = ours[known_ours & decided["hidden"].to_numpy(bool)]
    return known_theirs & np.isin(theirs, hidden)


def _blank(
    table: pd.DataFrame, hidden: np.ndarray, figures: Sequence[str], k: int, lang: str | None
) -> pd.DataFrame:
    n = table["respondents"].fillna(0).astype("int64").to_numpy()
    small = (n > 0) & (n < k)
    hidden = hidden | small
    labels = n.astype(str).astype(object)
    labels[hidden] = hidden_label(lang)
    labels[small] = small_label(k)
    # the table is put together once, from arrays (a column set at a time, or Series to
    # align, cost a small table most of its time)
    blanked = {"respondents", *figures}
    columns = {
        col: _masked(table[col], hidden, col == "respondents")
        if col in blanked
        else table[col].array
        for col in table.columns
    }
    columns["respondents_label"] = pd.array(labels, dtype="str")
    columns["suppressed"] = hidden
    return pd.DataFrame(columns, index=table.index)


def _masked(column: pd.Series, hidden: np.ndarray, integer: bool) -> Any:
    """``column``'s values, missing where ``hidden``; whole numbers as nullable integers."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":
        return pd.arrays.IntegerArray(column.to_numpy(dtype="int64"), hidden.copy())
    if integer or column.dtype.kind in "iu":
        whole = column.astype("Int64")
        values = whole.to_numpy(dtype="int64", na_value=0)
        return pd.arrays.IntegerArray(values, whole.isna().to_numpy() | hidden)
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "f":
        return np.where(hidden, np.nan, column.to_numpy())
    return column.mask(pd.Series(hidden, index=column.index)).array


_patterns: dict[str, suppression.Pattern] = {}
_ALGORITHM = hashlib.sha1(Path(suppression.__file__).read_bytes()).hexdigest()[:12]


def decide(
    answers: pd.DataFrame,
    dims: tuple[str, ...],
    k: int,
    values: Sequence[str],
    scale: Sequence[str] = (),
    *,
    item: str = "item",
    separate: Sequence[str] = (),
    start: Mapping[str, np.ndarray] | None = None,
    weight: Callable[[tuple[str, ...], tuple[str, ...]], float] | None = None,
) -> suppression.Pattern:
    """The suppression decision for ``answers`` (``dims``, ``item`` and a count per answer
    value) at threshold ``k``: decided once, then reused from memory and from the cache folder.

    Thresholds form a chain: the decision for k starts from the one for k-1, down to 5, so that
    tables made at different thresholds together show no more than the strictest. ``start``
    adds cells that must be hidden from the outset (and replaces the chain). ``weight`` says
    how much each breakdown is worth keeping (:func:`kit.suppression.default_weight`);
    ``separate`` names dimensions whose groups never share people (decided block by block,
    see :func:`kit.suppression.build`).
    """
    weight = weight or suppression.default_weight
    if start is None and k > MINIMUM:
        start = decide(
            answers, dims, k - 1, values, scale, item=item, separate=separate, weight=weight
        ).hidden_arrays()
    key = hashlib.sha1(
        repr(
            (
                dims,
                k,
                tuple(values),
                tuple(scale),
                item,
                tuple(separate),
                weight.__module__,
                weight.__qualname__,
                _digest(answers[[*dims, item, *values]]),
                _ALGORITHM,
                sorted((s, _digest_array(a)) for s, a in (start or {}).items()),
            )
        ).encode()
    ).hexdigest()[:20]
    if key in _patterns:
        return _patterns[key]
    stored = paths.cache_dir() / f"pattern-{key}.npz"

    def build(hidden: dict | None = None) -> suppression.Pattern:
        """The decision made afresh, or rebuilt around the ``hidden`` cells a cache kept."""
        return suppression.build(
            answers,
            dims,
            k,
            values,
            scale,
            item=item,
            separate=separate,
            hidden=hidden,
            start=start,
            weight=weight,
        )

    hidden = _load(stored)
    if hidden is None:
        hidden = _load(shipped_dir() / stored.name)
    decided = None
    if hidden is None:
        # one process decides, the others wait and read its result (the warm kernels of a
        # run, or test workers, would otherwise make the same decision side by side)
        with _lock(f"pattern-{key}"):
            hidden = _load(stored)
            if hidden is None:
                decided = build()
                _store(stored, decided)
    if decided is None:
        decided = build(hidden)
    if len(_patterns) > 64:
        _patterns.clear()
    _patterns[key] = decided
    return decided


def shipped_dir() -> Path:
    """The decisions made ahead for the bundled synthetic data (``data/decisions``, written by
    ``make decisions``): the demo's and the national data's, and their monthly and
    work-based-learning tables, at the default threshold. :func:`decide` looks a decision up
    there by the same key as in the cache folder, so one is used only for exactly the data,
    threshold, chain and algorithm it was made for; on one's own data, or after any change to
    :mod:`kit.suppression`, none matches and the decision is made as before."""
    return paths.ROOT / "data" / "decisions"


def participation(table: pd.DataFrame, respondents: str = "answered") -> pd.DataFrame:
    """A participation table as published: every count shown, ``suppressed`` false and
    ``respondents_label`` the number itself (participation is not a result)."""
    out = table.copy()
    n = out[respondents].astype("Int64")
    out["respondents_label"] = n.astype("str").where(n.notna(), "")
    out["suppressed"] = False
    return out


def _load(path: Path) -> dict | None:
    """A kept decision's hidden cells, or ``None`` when there is none (or it is unreadable)."""
    if not path.exists():
        return None
    try:
        with np.load(path) as saved:
            return {name: saved[name] for name in saved}
    except (OSError, ValueError):
        return None


def _lock(name: str):
    """The build lock ``name``; where no lock can be made (a read-only folder), none."""
    import contextlib

    try:
        paths.cache_dir().mkdir(parents=True, exist_ok=True)
        return files.locked(name)
    except OSError:
        return contextlib.nullcontext()


def _store(path: Path, decided: suppression.Pattern) -> None:
    """Keep a decision for the next process; a read-only data folder just means no cache."""
    try:
        with files.atomic(path) as tmp:
            np.savez_compressed(tmp, allow_pickle=False, **decided.hidden_arrays())
    except (OSError, KitInputError):
        pass


def _digest_array(values: np.ndarray) -> str:
    return hashlib.sha1(np.asarray(values, dtype=bool).tobytes()).hexdigest()


def _digest(frame: pd.DataFrame | None) -> str:
    if frame is None:
        return ""
    hashed = pd.util.hash_pandas_object(frame.reset_index(drop=True), index=False).to_numpy()
    return hashlib.sha1(hashed.tobytes()).hexdigest()


def as_list(value: object) -> list:
    """A selection value as a list: one value, or a list, tuple, set, array or Series of them."""
    if isinstance(value, (list, tuple, set, frozenset, pd.Index, pd.Series, np.ndarray)):
        return list(value)
    return [value]


def small_label(k: int | None = None) -> str:
    """How a small group's count reads: ``"1-4"`` with the default threshold of 5."""
    return f"1-{(k or threshold()) - 1}"
