"""The anonymity rule, enforced once for every table the kit shows or exports.

**Rule.** No mean, distribution, share, count or other figure is shown for a group of 1–4
respondents; its count reads ``"1-4"``, as in Vipunen and Arvo (``raportointi-minimivastaajat
5``). The threshold can be raised (``KIT_PRIVACY_THRESHOLD`` or :func:`set_threshold`), never
lowered below 5.

**Subtraction.** Hiding a small group is not enough when totals and other groups are shown: a
total minus the other groups, or a chain of such steps across tables, can give it back. So the
decision is made once per data set, for every breakdown the kit can show, by
:mod:`kit.suppression`, which hides more groups where needed (their count reads as
:func:`hidden_label`) and audits the result with linear programming. Every summary is cut from
that one decision (:func:`breakdown`):

* a breakdown shows a group only if the decision shows it;
* selecting one value of a dimension is the same as breaking down by it and keeping one row;
* selecting several values shows their sum only where every selected group is shown (a sum of
  shown groups tells nothing new);
* selecting questions narrows the figures, never the decision, which is made for all of the
  data set's questions;
* thresholds form a chain (the decision for k starts from the one for k-1, down to 5), so
  tables at several thresholds together show no more than the strictest;
* response counts of a data set are decided starting from its feedback decision
  (:meth:`kit.datasets.Dataset.response_summary`), because the same people answered.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from kit import files, paths, suppression
from kit.errors import KitInputError
from kit.i18n import t

MINIMUM = 5
_threshold: int | None = None


def threshold() -> int:
    """The smallest group size whose figures may be shown (default 5)."""
    if _threshold is not None:
        return _threshold
    raw = os.environ.get("KIT_PRIVACY_THRESHOLD")
    return _check(raw, "KIT_PRIVACY_THRESHOLD") if raw else MINIMUM


def set_threshold(value: int | None) -> int:
    """Raise the threshold for this process (``None`` goes back to the default).

    Raises :class:`KitInputError` for anything below 5: the rule can only be made stricter.
    """
    global _threshold
    _threshold = None if value is None else _check(value, "threshold")
    return threshold()


def _check(value: object, name: str) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise KitInputError("threshold_not_integer", parameter=name, value=value) from None
    if number < MINIMUM:
        raise KitInputError("threshold_too_low", parameter=name, value=number, minimum=MINIMUM)
    return number


def effective(value: int | None) -> int:
    """``value`` if given (checked: never below 5), else the configured threshold."""
    return threshold() if value is None else max(_check(value, "threshold"), threshold())


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
    lang: str | None = None,
) -> pd.DataFrame:
    """Count ``data`` per group of ``by`` and show only what ``decision`` allows.

    ``decision`` was made for the whole data set (see :func:`decide`); ``data`` may be a
    narrower view of it (some questions only). ``select`` narrows people dimensions.
    ``count(rows, by)`` returns one row per group with ``respondents`` and the ``figures``.

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
    hidden = _hidden(decision.table(people + extra), people, extra, wanted)
    if people:
        flags = table[people].merge(hidden.rename("hidden").reset_index(), on=people, how="left")
        flags = flags["hidden"].fillna(False).to_numpy(bool)
    else:
        flags = np.full(len(table), bool(hidden.iloc[0]) if len(hidden) else False)
    return _blank(table, flags, figures, decision.k, lang)


def _hidden(decided: pd.DataFrame, people: list[str], extra: list[str],
            wanted: dict[str, list]) -> pd.Series:
    """Per group of ``people``: hidden if any cell of its selection box is hidden.

    A box of shown cells is a sum of shown cells, so it tells nothing new.
    """
    for d in extra:
        decided = decided[decided[d].isin(wanted[d])]
    if people:
        return decided.groupby(people, observed=True)["hidden"].any()
    return pd.Series([bool(decided["hidden"].any())])


def _blank(table: pd.DataFrame, hidden: np.ndarray, figures: Sequence[str], k: int,
           lang: str | None) -> pd.DataFrame:
    out = table.copy()
    n = out["respondents"].fillna(0).astype("int64").to_numpy()
    small = (n > 0) & (n < k)
    hidden = hidden | small
    labels = n.astype(str).astype(object)
    labels[hidden] = hidden_label(lang)
    labels[small] = small_label(k)
    out["respondents_label"] = pd.Series(labels, index=out.index, dtype="str")
    out["suppressed"] = hidden
    mask = pd.Series(hidden, index=out.index)
    out["respondents"] = out["respondents"].astype("Int64").mask(mask)
    for col in figures:
        if col in out:
            if out[col].dtype.kind in "iu":
                out[col] = out[col].astype("Int64")
            out[col] = out[col].mask(mask)
    return out


_patterns: dict[str, suppression.Pattern] = {}
_ALGORITHM = hashlib.sha1(Path(suppression.__file__).read_bytes()).hexdigest()[:12]


def decide(cells: pd.DataFrame, dims: tuple[str, ...], k: int, parts: pd.DataFrame | None,
           start: Mapping[tuple[str, ...], np.ndarray] | None,
           link: suppression.Pattern | None) -> suppression.Pattern:
    """The suppression pattern for these cells at threshold ``k``: decided once, then reused
    from memory and from the cache folder (a large data set takes minutes to decide, a
    partner's a second).

    Thresholds form a chain: the decision for k starts from the one for k-1, down to 5, so
    that tables made at different thresholds together show no more than the strictest.
    ``start`` adds cells that must be hidden from the outset (and replaces the chain); ``link``
    is the pattern of another table about the same people, whose hidden cells stay hidden.
    """
    if start is None and link is None and k > MINIMUM:
        start = decide(cells, dims, k - 1, parts, None, None).hidden_arrays()
    linked = link.hidden_arrays() if link is not None else {}
    key = hashlib.sha1(repr((dims, k, _digest(cells), _digest(parts), _ALGORITHM,
                             sorted((s, _digest_array(a)) for s, a in (start or {}).items()),
                             sorted((s, _digest_array(a)) for s, a in linked.items()),
                             )).encode()).hexdigest()[:20]
    if key in _patterns:
        return _patterns[key]
    stored = paths.cache_dir() / f"pattern-{key}.npz"
    hidden = None
    if stored.exists():
        try:
            with np.load(stored) as saved:
                hidden = {tuple(name.split("|")) if name else (): saved[name] for name in saved}
        except (OSError, ValueError):
            hidden = None
    decided = suppression.build(cells, dims, k, parts, hidden=hidden, start=start, link=link)
    if hidden is None:
        _store(stored, decided)
    if len(_patterns) > 64:
        _patterns.clear()
    _patterns[key] = decided
    return decided


def _store(path: Path, decided: suppression.Pattern) -> None:
    """Keep a decision for the next process; a read-only data folder just means no cache."""
    try:
        with files.atomic(path) as tmp:
            np.savez_compressed(tmp, **{"|".join(sub): hid
                                        for sub, hid in decided.hidden_arrays().items()})
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
