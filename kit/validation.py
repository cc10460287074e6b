"""Checking a file against its kind (:mod:`kit.schemas`) with pandera, in plain language.

Two passes, both declared as pandera schemas:

1. **cells**: every column's type (a count, a Y-tunnus, a date, a scale answer, one of the
   allowed codes, …), on the text as read, after normalising spellings (thousands separators,
   Finnish dates, "En osaa sanoa");
2. **the frame**: the key that must not repeat, and the kind's rules across columns (answered
   ≤ targeted, the answer counts add up, a question belongs to its survey, …), on the typed
   columns of a file whose cells all passed.

The failures pandera finds become one :class:`~kit.errors.KitInputError`: the first problem in
file order, naming the file, the row as a spreadsheet numbers it and the column as the file
writes it, with how many more rows have problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from kit import periods, ytunnus
from kit.errors import KitInputError
from kit.schemas import FLAG_FALSE, FLAG_TRUE, Col, Kind, missing_columns
from kit.surveys import LIKERT_VALUES


class Problem:
    """Rows that break one rule: where, and what the message says."""

    def __init__(
        self,
        rows: pd.Index,
        reason: str,
        column: str | None = None,
        params: Callable[[int], dict] | None = None,
    ) -> None:
        self.rows, self.reason, self.column = rows, reason, column
        self.params = params or (lambda row: {})


MAX_COUNT = 10_000_000  # more people than Finland has students: a typo


def _is_count(s: pd.Series) -> pd.Series:
    return s.str.fullmatch(r"-?[0-9]+").fillna(True)


def _is_year(s: pd.Series) -> pd.Series:
    four = s.str.fullmatch(r"[0-9]{4}").fillna(False)
    value = pd.to_numeric(s.where(four), errors="coerce")
    return four & value.between(1990, dt.date.today().year + 1).fillna(False)


def _not_too_large(s: pd.Series) -> pd.Series:
    digits = s.str.lstrip("-").str.lstrip("0")
    return (
        ~_is_count(s)
        | (digits.str.len() < 8)
        | ((digits.str.len() == 8) & (digits <= str(MAX_COUNT)))
    )


def _normalise_number(s: pd.Series) -> pd.Series:
    """Drop thousands separators (spaces, no-break spaces) that Finnish exports write."""
    spaced = pd.Series(False, index=s.index)
    for space in (" ", "\u00a0", "\u202f", "\t"):
        spaced |= s.str.contains(space, regex=False).fillna(False)
    if not spaced.any():
        return s
    return s.where(~spaced, s.str.replace(r"[\s\u00a0\u202f]", "", regex=True))


def _normalise_date(s: pd.Series) -> pd.Series:
    """The date of ISO (``2024-09-30``, with or without a time) and Finnish (``30.9.2024``,
    with or without a time) timestamps, as ISO; anything else stays for the date rule."""
    if s.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(True).all():
        return s  # already plain ISO dates (the usual case): nothing to do
    iso = s.str.extract(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?$")[0]
    fin = s.str.extract(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?:,? (?:klo )?[0-9:.]+)?$")
    fin_iso = fin[2] + "-" + fin[1].str.zfill(2) + "-" + fin[0].str.zfill(2)
    return iso.fillna(fin_iso).fillna(s)


def _cell_checks(col: Col, choices: tuple[str, ...]) -> list[pa.Check]:
    """The pandera checks for one column; each check's name is a ``reason.*`` catalogue key."""

    def check(fn: Callable[[pd.Series], pd.Series], reason: str) -> pa.Check:
        if col.suppressible:
            return pa.Check(lambda s: fn(s) | s.isna() | (s == "1-4"), name=reason)
        return pa.Check(lambda s: fn(s) | s.isna(), name=reason)

    kind = col.type
    if kind == "count":
        return [
            check(_is_count, "not_integer"),
            check(lambda s: ~s.str.startswith("-").fillna(False), "negative"),
            check(_not_too_large, "too_large"),
        ]
    if kind == "year":
        return [check(_is_year, "bad_year")]
    if kind == "decimal":
        return [
            check(lambda s: s.str.fullmatch(r"-?[0-9]+([.,][0-9]+)?").fillna(False), "not_a_number")
        ]
    if kind == "month":
        return [
            check(
                lambda s: s.str.fullmatch(r"(19|20)[0-9]{2}M(0[1-9]|1[0-2])").fillna(False),
                "bad_month",
            )
        ]
    if kind == "qualification_code":
        return [
            check(lambda s: s.str.fullmatch(r"[0-9]{6}").fillna(False), "bad_qualification_code")
        ]
    if kind == "ytunnus":
        return [
            check(ytunnus.form_mask, "ytunnus_form"),
            check(lambda s: ~ytunnus.form_mask(s) | ytunnus.valid_mask(s), "ytunnus_checksum"),
        ]
    if kind == "period":
        return [check(lambda s: ytunnus.map_distinct(s, periods.parse).notna(), "bad_period")]
    if kind == "date":
        tomorrow = pd.Timestamp(dt.date.today() + dt.timedelta(days=1))
        parsed = check(
            lambda s: pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna(), "bad_date"
        )
        if col.future:
            return [parsed]
        return [
            parsed,
            check(
                lambda s: (
                    ~(pd.to_datetime(s, format="%Y-%m-%d", errors="coerce") > tomorrow).fillna(
                        False
                    )
                ),
                "future_date",
            ),
        ]
    if kind == "likert":
        return [check(lambda s: s.isin(LIKERT_VALUES), "likert")]
    if kind == "flag":
        return [check(lambda s: s.str.lower().isin(FLAG_TRUE | FLAG_FALSE), "bad_flag")]
    if kind == "choice":
        return [
            check(
                lambda s: s.isin(choices),
                "unknown_question" if col.name == "kysymysid" else "bad_choice",
            )
        ]
    return []


def _prepare(kind: Kind, frame: pd.DataFrame) -> pd.DataFrame:
    """Normalise cells before checking: empty → missing, numbers and dates to one spelling."""
    frame = frame.copy()
    for col in kind.columns:
        if col.name not in frame:
            frame[col.name] = pd.Series(pd.NA, index=frame.index, dtype="str")
            continue
        s = frame[col.name].mask(frame[col.name] == "")
        if col.case == "lower":
            s = s.str.lower()
        elif col.case == "upper":
            s = s.str.upper()
        if col.type == "count":
            s = s.mask(s.isin(["-", "–", "—"]))  # a dash for "nothing", as reports write it
            s = _normalise_number(s).str.replace(r"^(-?[0-9]+)[.,]0+$", r"\1", regex=True)
            if col.suppressible:
                s = s.mask(s.str.fullmatch(r"1\s*[-–]\s*4|<\s*5").fillna(False), "1-4")
        elif col.type == "ytunnus":
            s = ytunnus.map_distinct(s, ytunnus.normalise).astype("str")
        elif col.type == "date":
            s = _normalise_date(s)
        elif col.type == "likert":
            s = s.str.lower().replace({"en osaa sanoa": "eos", "-1": "eos"})
            s = s.str.replace(r"^(\d)\.0$", r"\1", regex=True)
        frame[col.name] = s
    return frame


def _cell_schema(kind: Kind, lookups: Mapping) -> pa.DataFrameSchema:
    cols = {}
    for col in kind.columns:
        choices = (
            tuple(lookups[kind.choices[col.name]]) if col.name in kind.choices else col.choices
        )
        cols[col.name] = pa.Column(
            "str", checks=_cell_checks(col, choices), nullable=col.nullable, required=False
        )
    return pa.DataFrameSchema(cols, strict=False)


_UNIQUE = "key"


def _frame_schema(kind: Kind, lookups: Mapping) -> pa.DataFrameSchema:
    """The key and the rules across columns, one named pandera check each."""
    checks = [
        pa.Check(lambda frame, rule=rule: rule.valid(frame, lookups), name=f"rule{i}")
        for i, rule in enumerate(kind.rules)
    ]
    return pa.DataFrameSchema(
        {},
        checks=checks,
        unique=list(kind.key) or None,
        report_duplicates="exclude_first",
        strict=False,
    )


def validate(
    kind: Kind,
    frame: pd.DataFrame,
    headers: dict[str, str],
    file: str,
    lookups: Mapping | None = None,
) -> pd.DataFrame:
    """Check ``frame`` (strings, as read) against ``kind``; return it with typed columns.

    ``lookups`` supplies what some kinds check against (see :data:`kit.schemas.LOOKUPS`): for
    example the question ids of the question bank.

    Raises :class:`KitInputError` for the first problem in file order, saying how many more
    there are.
    """
    lookups = lookups or {}
    missing = [c for c in kind.required if c not in frame.columns]
    if missing:
        raise missing_columns(kind, missing, file)
    frame = _prepare(kind, frame)
    try:
        _cell_schema(kind, lookups).validate(frame, lazy=True)
    except SchemaErrors as exc:
        valid = {c.name: ", ".join(c.choices) for c in kind.columns if c.choices}
        raise _first(
            _cell_problems(exc.failure_cases, frame, valid), frame, headers, file
        ) from None
    typed = _typed(kind, frame)
    try:
        _frame_schema(kind, lookups).validate(typed, lazy=True)
    except SchemaErrors as exc:
        raise _first(
            _frame_problems(exc.failure_cases, kind, frame, typed), frame, headers, file
        ) from None
    return typed


def _cell_problems(
    cases: pd.DataFrame, frame: pd.DataFrame, valid: dict[str, str]
) -> list[Problem]:
    problems = []
    cases = cases[cases["index"].notna()]
    for (column, reason), group in cases.groupby(["column", "check"], sort=False):
        reason = "missing_value" if reason == "not_nullable" else reason
        rows = pd.Index(group["index"].astype(int).unique())

        def params(row: int, column: str = column) -> dict:
            return {"value": frame.at[row, column], "valid": valid.get(column, "")}

        problems.append(Problem(rows, str(reason), str(column), params))
    return problems


def _frame_problems(
    cases: pd.DataFrame, kind: Kind, frame: pd.DataFrame, typed: pd.DataFrame
) -> list[Problem]:
    problems = []
    cases = cases[cases["index"].notna()]
    for check, group in cases.groupby("check", sort=False):
        rows = pd.Index(group["index"].astype(int).unique())
        if str(check).startswith("rule"):
            rule = kind.rules[int(str(check)[4:])]
            problems.append(Problem(rows, rule.reason, rule.column, partial(rule.params, typed)))
        else:  # the key repeats: pandera names it field_ or multiple_fields_uniqueness
            problems.append(_duplicates(kind, frame, rows))
    return problems


def _duplicates(kind: Kind, frame: pd.DataFrame, rows: pd.Index) -> Problem:
    first = frame.reset_index().groupby(list(kind.key), dropna=False)["row"].transform("min")
    first.index = frame.index

    def params(row: int) -> dict:
        return {
            "first": int(first.at[row]),
            "key": ", ".join(str(frame.at[row, k]) for k in kind.key),
        }

    return Problem(rows, "duplicate_key", kind.key[-1], params)


def _first(
    problems: list[Problem], frame: pd.DataFrame, headers: dict[str, str], file: str
) -> KitInputError:
    order = {name: i for i, name in enumerate(frame.columns)}
    best = min(problems, key=lambda p: (int(p.rows.min()), order.get(p.column, 0)))
    row = int(best.rows.min())
    more = len({int(r) for p in problems for r in p.rows}) - 1
    column = headers.get(best.column, best.column) if best.column else None
    return KitInputError(
        best.reason, file=file, row=row, column=column, more=more, **best.params(row)
    )


def _typed(kind: Kind, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[[c.name for c in kind.columns]].copy()
    for col in kind.columns:
        s = out[col.name]
        if col.type in ("count", "year"):
            if col.suppressible:
                out[col.name + "_suppressed"] = s == "1-4"
                s = s.mask(s == "1-4")
            out[col.name] = pd.to_numeric(s).astype("Int64")
        elif col.type == "period":
            out[col.name] = ytunnus.map_distinct(s, periods.parse).astype("str")
        elif col.type == "flag":
            out[col.name] = s.fillna("").str.lower().isin(FLAG_TRUE)
        elif col.type == "decimal":
            out[col.name] = pd.to_numeric(s.str.replace(",", ".", regex=False)).astype("float64")
    return out
