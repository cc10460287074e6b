"""The kinds of input file the kit reads, and what makes each one valid.

A :class:`Kind` names its columns (in the normalised form of
:func:`kit.readers.normalise_header`), their types, the key that must not repeat and the checks
across columns. Column types and per-cell checks are declared as pandera schemas; the failures
pandera finds are turned into the kit's one-line, three-language messages.

The kinds:

==================  ================================================================================
``response_counts`` Vipunen's confirmed student-feedback counts: targeted and answered per provider
                    and survey (the real ``opiskelijapalaute_vahvistetut`` file and the demo's copy)
``student_years``   Vipunen's target student-years per provider and year
``answers``         an Arvo-style answer export: one row per answer
``feedback_counts`` a Vipunen-style aggregate: answer counts per provider, period, survey, question
                    and qualification
``indicators``      scorecard inputs per provider and year
``partners``        the partner registry
``questions``       the question bank
``qualifications``  qualification names
==================  ================================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from kit import periods, ytunnus
from kit.errors import KitInputError
from kit.surveys import KYSELYT, LIKERT_VALUES, SURVEYS, THEMES

COUNT_SUFFIX = {"aloittaneet": "a", "tutkinnon_suorittaneet": "p_t", "tutkinnon_osia_suorittaneet": "p_o",
                "tyopaikkaohjaajakysely": "tpo", "tyopaikkakysely": "tpk"}
FLAG_TRUE = {"1", "true", "kylla", "kyllä", "ja", "yes", "x"}
FLAG_FALSE = {"0", "false", "ei", "nej", "no", ""}


@dataclass(frozen=True)
class Col:
    """One column: its normalised name, type, and whether it must exist and may be empty.

    Types: ``text``, ``count`` (whole number ≥ 0), ``year``, ``ytunnus``, ``period``, ``date``,
    ``likert`` (1–5 or eos), ``choice`` (one of ``choices``) and ``flag`` (yes/no).
    """

    name: str
    type: str = "text"
    required: bool = True
    nullable: bool = False
    choices: tuple[str, ...] = ()
    suppressible: bool = False  # a count that may read "1-4" (suppressed at the source)
    label: str = ""  # how the column is usually written in files, for messages
    case: str = ""  # "lower" or "upper": codes are compared in this case

    @property
    def shown(self) -> str:
        """The column's name as files usually write it."""
        return self.label or self.name


@dataclass(frozen=True)
class Problem:
    """Rows that break one rule: where, and what the message says."""

    rows: pd.Index
    reason: str
    column: str | None = None
    params: Callable[[int], dict] = lambda row: {}


@dataclass(frozen=True)
class Kind:
    """A kind of input file."""

    name: str
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()
    checks: tuple[Callable[[pd.DataFrame, Mapping], list[Problem]], ...] = ()
    #: column → name of a lookup (a collection of allowed values) that the caller supplies
    choices: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def shown(self, name: str) -> str:
        """How files usually write column ``name``."""
        return next((c.shown for c in self.columns if c.name == name), name)


# --- per-cell rules, each a vectorised "is this cell fine?" ------------------------------------

MAX_COUNT = 10_000_000  # more people than Finland has students: a typo


def _is_count(s: pd.Series) -> pd.Series:
    return s.str.fullmatch(r"-?[0-9]+").fillna(True)


def _is_year(s: pd.Series) -> pd.Series:
    four = s.str.fullmatch(r"[0-9]{4}").fillna(False)
    value = pd.to_numeric(s.where(four), errors="coerce")
    return four & value.between(1990, dt.date.today().year + 1).fillna(False)


def _not_too_large(s: pd.Series) -> pd.Series:
    digits = s.str.lstrip("-").str.lstrip("0")
    return ~_is_count(s) | (digits.str.len() < 8) | (
        (digits.str.len() == 8) & (digits <= str(MAX_COUNT)))


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
        return [check(_is_count, "not_integer"),
                check(lambda s: ~s.str.startswith("-").fillna(False), "negative"),
                check(_not_too_large, "too_large")]
    if kind == "year":
        return [check(_is_year, "bad_year")]
    if kind == "ytunnus":
        return [check(ytunnus.form_mask, "ytunnus_form"),
                check(lambda s: ~ytunnus.form_mask(s) | ytunnus.valid_mask(s), "ytunnus_checksum")]
    if kind == "period":
        return [check(lambda s: ytunnus.map_distinct(s, periods.parse).notna(), "bad_period")]
    if kind == "date":
        tomorrow = pd.Timestamp(dt.date.today() + dt.timedelta(days=1))
        return [check(lambda s: pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna(),
                      "bad_date"),
                check(lambda s: ~(pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
                                  > tomorrow).fillna(False), "future_date")]
    if kind == "likert":
        return [check(lambda s: s.isin(LIKERT_VALUES), "likert")]
    if kind == "flag":
        return [check(lambda s: s.str.lower().isin(FLAG_TRUE | FLAG_FALSE), "bad_flag")]
    if kind == "choice":
        return [check(lambda s: s.isin(choices),
                      "unknown_question" if col.name == "kysymysid" else "bad_choice")]
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


def _schema(kind: Kind, lookups: Mapping) -> pa.DataFrameSchema:
    cols = {}
    for col in kind.columns:
        choices = tuple(lookups[kind.choices[col.name]]) if col.name in kind.choices else col.choices
        checks = _cell_checks(col, choices)
        cols[col.name] = pa.Column("str", checks=checks, nullable=col.nullable, required=False)
    return pa.DataFrameSchema(cols, strict=False)


def validate(kind: Kind, frame: pd.DataFrame, headers: dict[str, str], file: str,
             lookups: Mapping | None = None) -> pd.DataFrame:
    """Check ``frame`` (strings, as read) against ``kind``; return it with typed columns.

    ``lookups`` supplies what some kinds check against (see :data:`LOOKUPS`): for example the
    question ids of the question bank.

    Raises :class:`KitInputError` for the first problem in file order, saying how many more
    there are.
    """
    missing = [c for c in kind.required if c not in frame.columns]
    if missing:
        raise _missing(kind, missing, file)
    frame = _prepare(kind, frame)
    problems: list[Problem] = []
    try:
        _schema(kind, lookups or {}).validate(frame, lazy=True)
    except SchemaErrors as exc:
        valid = {c.name: ", ".join(c.choices) for c in kind.columns if c.choices}
        problems += _problems_from_pandera(exc.failure_cases, frame, valid)
    if not problems:
        problems += _duplicates(kind, frame)
    typed = _typed(kind, frame) if not problems else None
    if typed is not None:
        for check in kind.checks:
            problems += check(typed, lookups or {})
    if problems:
        raise _first(problems, frame, headers, file)
    return typed


def _problems_from_pandera(cases: pd.DataFrame, frame: pd.DataFrame,
                           valid: dict[str, str]) -> list[Problem]:
    problems = []
    cases = cases[cases["index"].notna()]
    for (column, reason), group in cases.groupby(["column", "check"], sort=False):
        reason = "missing_value" if reason == "not_nullable" else reason
        rows = pd.Index(group["index"].astype(int).unique())

        def params(row: int, column: str = column) -> dict:
            return {"value": frame.at[row, column], "valid": valid.get(column, "")}

        problems.append(Problem(rows, str(reason), str(column), params))
    return problems


def _duplicates(kind: Kind, frame: pd.DataFrame) -> list[Problem]:
    if not kind.key:
        return []
    dup = frame.duplicated(list(kind.key), keep="first")
    if not dup.any():
        return []
    first = frame.reset_index().groupby(list(kind.key), dropna=False)["row"].transform("min")
    first.index = frame.index

    def params(row: int) -> dict:
        key = ", ".join(str(frame.at[row, k]) for k in kind.key)
        return {"first": int(first.at[row]), "key": key}

    return [Problem(frame.index[dup], "duplicate_key", kind.key[-1], params)]


def _first(problems: list[Problem], frame: pd.DataFrame, headers: dict[str, str],
           file: str) -> KitInputError:
    order = {name: i for i, name in enumerate(frame.columns)}
    best = min(problems, key=lambda p: (int(p.rows.min()), order.get(p.column, 0)))
    row = int(best.rows.min())
    more = len({int(r) for p in problems for r in p.rows}) - 1
    column = headers.get(best.column, best.column) if best.column else None
    return KitInputError(best.reason, file=file, row=row, column=column, more=more,
                         **best.params(row))


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
    return out


# --- checks across columns ----------------------------------------------------------------------

def answered_within_targeted(pairs: list[tuple[str, str]]) -> Callable[[pd.DataFrame, Mapping], list[Problem]]:
    """Each (targeted, answered) pair: answered ≤ targeted, and answered only where targeted."""
    def check(frame: pd.DataFrame, lookups: Mapping) -> list[Problem]:
        out = []
        for targeted, answered in pairs:
            if targeted not in frame or answered not in frame:
                continue
            t, a = frame[targeted], frame[answered]
            more = (a > t).fillna(False).to_numpy(bool)
            orphan = (a.notna() & t.isna()).to_numpy(bool)
            if more.any():
                out.append(Problem(frame.index[more], "answered_gt_targeted", answered,
                                   lambda row, t=t, a=a: {"answered": a.at[row],
                                                          "targeted": t.at[row]}))
            if orphan.any():
                out.append(Problem(frame.index[orphan], "answered_without_targeted", targeted,
                                   lambda row, a=a: {"answered": a.at[row]}))
        return out
    return check


def at_most(part: str, whole: str) -> Callable[[pd.DataFrame], list[Problem]]:
    """``part`` ≤ ``whole`` on every row (for example drop-outs ≤ students)."""
    def check(frame: pd.DataFrame, lookups: Mapping) -> list[Problem]:
        bad = (frame[part] > frame[whole]).fillna(False)
        if not bad.any():
            return []
        return [Problem(frame.index[bad.to_numpy(bool)], "part_gt_whole", part,
                        lambda row: {"part": frame.at[row, part], "whole": frame.at[row, whole],
                                     "whole_column": whole})]
    return check


def counts_match_total(frame: pd.DataFrame, lookups: Mapping) -> list[Problem]:
    """In an aggregate, the answer counts add up to the respondent count (unless it reads 1-4)."""
    counts = frame[[f"vastaus_{v}" for v in LIKERT_VALUES]]
    total = counts.sum(axis=1, min_count=1)
    n = frame["vastaajia"]
    suppressed = frame["vastaajia_suppressed"]
    bad = (~suppressed) & ((total != n).fillna(True))
    leaked = suppressed & counts.notna().any(axis=1)
    out = []
    if bad.any():
        out.append(Problem(frame.index[bad.to_numpy(bool)], "counts_mismatch", "vastaajia",
                           lambda row: {"n": n.at[row], "total": total.at[row] if pd.notna(total.at[row]) else 0}))
    if leaked.any():
        out.append(Problem(frame.index[leaked.to_numpy(bool)], "suppressed_with_counts", "vastaajia"))
    return out


def question_in_survey(survey_col: str, question_col: str) -> Callable[[pd.DataFrame], list[Problem]]:
    """Every question id belongs to the questionnaire of its survey (A.. to aloituskysely, ...)."""
    def check(frame: pd.DataFrame, lookups: Mapping) -> list[Problem]:
        bank = lookups["question_kysely"]
        expected = frame[survey_col].map(lambda s: SURVEYS[s].kysely)
        actual = frame[question_col].map(bank)
        bad = (expected != actual).fillna(True)
        if not bad.any():
            return []
        return [Problem(frame.index[bad.to_numpy(bool)], "question_not_in_survey", question_col,
                        lambda row: {"value": frame.at[row, question_col],
                                     "survey": frame.at[row, survey_col]})]
    return check


#: The lookups some kinds need: ``question_ids`` (allowed question ids) and ``question_kysely``
#: (a Series mapping question id → questionnaire). :mod:`kit.loader` supplies them.
LOOKUPS = ("question_ids", "question_kysely")

_COUNT_PAIRS = [(f"kyselyn_kohteena_olleet_{s}", f"vastanneet_{s}") for s in COUNT_SUFFIX.values()]

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "response_counts",
            (
                Col("tilastokausi", "period", label="Tilastokausi"),
                Col("koulutuksen_jarjestajan_y_tunnus", "ytunnus",
                    label="Koulutuksen järjestäjän Y-tunnus"),
                Col("koulutuksen_jarjestajan_nimi", required=False, nullable=True,
                    label="Koulutuksen järjestäjän nimi"),
                *[Col(name, "count", required=s in ("a", "p_t", "p_o"), nullable=True,
                      label=shown + s.upper())
                  for s in COUNT_SUFFIX.values()
                  for name, shown in zip((f"kyselyn_kohteena_olleet_{s}", f"vastanneet_{s}"),
                                         ("Kyselyn kohteena olleet_", "Vastanneet_"))],
            ),
            key=("tilastokausi", "koulutuksen_jarjestajan_y_tunnus"),
            checks=(answered_within_targeted(_COUNT_PAIRS),),
        ),
        Kind(
            "student_years",
            (
                Col("vuosi", "year"),
                Col("ytunnus", "ytunnus"),
                Col("koulutuksen_jarjestaja", required=False, nullable=True),
                Col("tavoitteelliset_opiskelijavuodet", "count"),
            ),
            key=("vuosi", "ytunnus"),
        ),
        Kind(
            "answers",
            (
                Col("vastaajatunnus"),
                Col("vastausaika", "date"),
                Col("koulutustoimija", "ytunnus"),
                Col("kyselypohja_tarkenne", "choice", choices=tuple(SURVEYS), case="lower"),
                Col("kysymysid", "choice", case="upper"),
                Col("numerovalinta", "likert"),
                Col("tutkinto", required=False, nullable=True, case="lower"),
            ),
            key=("vastaajatunnus", "kysymysid"),
            checks=(question_in_survey("kyselypohja_tarkenne", "kysymysid"),),
            choices={"kysymysid": "question_ids"},
        ),
        Kind(
            "feedback_counts",
            (
                Col("rahoituskausi", "period"),
                Col("koulutuksen_jarjestajan_y_tunnus", "ytunnus"),
                Col("kyselypohja_tarkenne", "choice", choices=tuple(SURVEYS), case="lower"),
                Col("kysymysid", "choice", case="upper"),
                Col("tutkinto", required=False, nullable=True, case="lower"),
                Col("vastaajia", "count", suppressible=True),
                *[Col(f"vastaus_{v}", "count", nullable=True) for v in LIKERT_VALUES],
            ),
            key=("rahoituskausi", "koulutuksen_jarjestajan_y_tunnus", "kyselypohja_tarkenne",
                 "kysymysid", "tutkinto"),
            checks=(counts_match_total, question_in_survey("kyselypohja_tarkenne", "kysymysid")),
            choices={"kysymysid": "question_ids"},
        ),
        Kind(
            "indicators",
            (
                Col("ytunnus", "ytunnus"),
                Col("vuosi", "year"),
                Col("opiskelijavuodet", "count"),
                Col("opiskelijat", "count"),
                Col("aloittaneet", "count"),
                Col("tutkinnot", "count"),
                Col("keskeyttaneet", "count"),
                Col("valmistuneet", "count"),
                Col("tyolliset_tai_jatko_opiskelijat", "count"),
            ),
            key=("ytunnus", "vuosi"),
            checks=(at_most("keskeyttaneet", "opiskelijat"), at_most("aloittaneet", "opiskelijat"),
                    at_most("tyolliset_tai_jatko_opiskelijat", "valmistuneet")),
        ),
        Kind(
            "partners",
            (Col("id"), Col("display_name"), Col("legal_name"), Col("y_tunnus", "ytunnus")),
            key=("id",),
        ),
        Kind(
            "questions",
            (
                Col("id"),
                Col("kysely", "choice", choices=tuple(KYSELYT)),
                Col("theme", "choice", choices=tuple(THEMES)),
                Col("text_fi"), Col("text_sv"), Col("text_en"),
                Col("funding", "flag", nullable=True),
                Col("wording", "choice", choices=("published", "published_start", "kit")),
            ),
            key=("id",),
        ),
        Kind(
            "qualifications",
            (Col("id"), Col("name_fi"), Col("name_sv"), Col("name_en")),
            key=("id",),
        ),
        Kind(
            "criteria",
            (
                Col("id"), Col("area"),
                Col("priority", "choice", choices=("high", "normal"), case="lower"),
                Col("name_fi"), Col("name_sv"), Col("name_en"),
                Col("focus_fi", nullable=True), Col("focus_sv", nullable=True),
                Col("focus_en", nullable=True),
                Col("quality_strategy", nullable=True, required=False),
                Col("eqavet", nullable=True, required=False),
                Col("efqm", nullable=True, required=False),
                Col("peer_review", nullable=True, required=False),
                Col("wording", "choice", choices=("published", "paraphrase", "kit"),
                    required=False, nullable=True, case="lower"),
            ),
            key=("id",),
        ),
        Kind(
            "criteria_levels",
            (
                Col("criterion"),
                Col("level", "choice", choices=("0", "1", "2", "3", "4")),
                Col("key", "choice", choices=("puuttuva", "alkava", "kehittyva", "edistynyt",
                                              "erinomainen"), case="lower"),
                Col("descriptor_fi"), Col("descriptor_sv"), Col("descriptor_en"),
                Col("wording", "choice", choices=("published", "paraphrase", "kit"),
                    required=False, nullable=True, case="lower"),
            ),
            key=("criterion", "level"),
        ),
    ]
}


def _missing(kind: Kind, missing: list[str], file: str) -> KitInputError:
    from kit.i18n import t

    others = ", ".join(f'"{kind.shown(c)}"' for c in missing[1:])
    return KitInputError("missing_column" if len(missing) == 1 else "missing_columns",
                         file=file, column=kind.shown(missing[0]), others=others,
                         kind=t(f"kind.{kind.name}"))


def detect(columns: list[str], file: str) -> Kind:
    """The kind whose required columns are all in ``columns`` (the most specific one wins).

    When none fits, the error names the closest kind's first missing column.
    """
    have = set(columns)
    fitting = [k for k in KINDS.values() if set(k.required) <= have]
    if fitting:
        return max(fitting, key=lambda k: len(k.required))
    scored = sorted(KINDS.values(),
                    key=lambda k: -len(set(k.required) & have) / len(k.required))
    best = scored[0]
    overlap = len(set(best.required) & have) / len(best.required)
    if overlap >= 0.5:
        raise _missing(best, [c for c in best.required if c not in have], file)
    raise KitInputError("unknown_kind", file=file, kinds=", ".join(KINDS))
