"""The kinds of input file the kit reads, and what makes each one valid: declarations only.

A :class:`Kind` names its columns (in the normalised form of
:func:`kit.readers.normalise_header`), their types, the key that must not repeat and the
:class:`Rule` s across columns. :mod:`kit.validation` checks a file against its kind with
pandera; this module imports nothing heavy, so the command line can list the kinds at once.

The kinds:

==================  ================================================================================
``response_counts`` Vipunen's confirmed student-feedback counts: targeted and answered per provider
                    and survey (the real ``opiskelijapalaute_vahvistetut`` file and the demo's copy)
``student_years``   Vipunen's target student-years per provider and year
``answers``         the kit's answer layout: one row per answer (``kit import arvo`` writes it)
``feedback_counts`` a Vipunen-style aggregate: answer counts per provider, period, survey, question
                    and qualification
``key_figures``     a provider's key figures per year: students, drop-outs, graduates, placement
``partners``        the partner registry
``questions``       the question bank
``qualifications``  qualifications by official code: names and cost group
``cost_groups``     Vipunen's funding cost group per qualification code
``occupations``     the occupation classification AML 2010: code, level, names in fi/sv/en
==================  ================================================================================

Each workshop declares the kinds it alone reads in its own ``kinds.py`` (the criteria, the
indicator registry, the phases of work-based learning, the labour-market cube …) and registers
them through :mod:`kit.parts`; :func:`kinds` gives every kind, the core's and the registered.

Arvo's own CSV downloads have no fixed columns (a question's column is headed by its text):
:mod:`kit.arvo` reads them, and the loader calls their kind :data:`ARVO`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kit.errors import KitInputError
from kit.i18n import t
from kit.surveys import KYSELYT, LIKERT_VALUES, SURVEYS, THEMES

if TYPE_CHECKING:
    import pandas as pd

COUNT_SUFFIX = {
    "aloittaneet": "a",
    "tutkinnon_suorittaneet": "p_t",
    "tutkinnon_osia_suorittaneet": "p_o",
    "tyopaikkaohjaajakysely": "tpo",
    "tyopaikkakysely": "tpk",
}
FLAG_TRUE = {"1", "true", "kylla", "kyllä", "ja", "yes", "x"}
FLAG_FALSE = {"0", "false", "ei", "nej", "no", ""}


@dataclass(frozen=True)
class Col:
    """One column: its normalised name, type, and whether it must exist and may be empty.

    Types: ``text``, ``count`` (whole number ≥ 0), ``year``, ``ytunnus``, ``period``, ``date``,
    ``likert`` (1–5 or eos), ``choice`` (one of ``choices``), ``flag`` (yes/no) and
    ``qualification_code`` (six digits, Tilastokeskus koulutusluokitus), ``decimal`` (a
    number such as ``0.6`` or ``0,6``) and ``month`` (StatFin's ``2025M03``).
    """

    name: str
    type: str = "text"
    required: bool = True
    nullable: bool = False
    choices: tuple[str, ...] = ()
    suppressible: bool = False  # a count that may read "1-4" (suppressed at the source)
    label: str = ""  # how the column is usually written in files, for messages
    case: str = ""  # "lower" or "upper": codes are compared in this case
    future: bool = False  # a date that may lie ahead (a planned review, a work period's end)

    @property
    def shown(self) -> str:
        """The column's name as files usually write it."""
        return self.label or self.name


@dataclass(frozen=True)
class Rule:
    """A rule across columns, checked on the typed frame of a file that passed its cell
    checks. ``valid(frame, lookups)`` is true on every row that keeps the rule; a row that does
    not gets the message ``reason.<reason>``, placed at ``column`` and filled by
    ``params(frame, row)``."""

    reason: str
    column: str
    valid: Callable[[pd.DataFrame, Mapping], pd.Series]
    params: Callable[[pd.DataFrame, int], dict] = lambda frame, row: {}


@dataclass(frozen=True)
class Kind:
    """A kind of input file."""

    name: str
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    #: column → name of a lookup (a collection of allowed values) that the caller supplies
    choices: dict[str, str] = field(default_factory=dict)
    #: lookups the kind's rules read (beyond those of ``choices``)
    needs: tuple[str, ...] = ()
    #: a statistics cube (PC-Axis, JSON-stat) that :mod:`kit.statfiles` reads into this kind
    cube: bool = False
    #: the column of calendar years, for the one-line description of a file
    years: str = ""
    #: more for that description: ``summary(frame, lang)``
    summary: Callable[[pd.DataFrame, str | None], str] | None = None

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def shown(self, name: str) -> str:
        """How files usually write column ``name``."""
        return next((c.shown for c in self.columns if c.name == name), name)


# --- rules across columns -----------------------------------------------------------------------


def answered_within_targeted(pairs: list[tuple[str, str]]) -> tuple[Rule, ...]:
    """Each (targeted, answered) pair: answered ≤ targeted, and answered only where targeted."""
    return tuple(rule for targeted, answered in pairs for rule in _answered(targeted, answered))


def _answered(targeted: str, answered: str) -> tuple[Rule, Rule]:
    return (
        Rule(
            "answered_gt_targeted",
            answered,
            lambda f, _l: ~(f[answered] > f[targeted]).fillna(False),
            lambda f, row: {"answered": f.at[row, answered], "targeted": f.at[row, targeted]},
        ),
        Rule(
            "answered_without_targeted",
            targeted,
            lambda f, _l: ~(f[answered].notna() & f[targeted].isna()),
            lambda f, row: {"answered": f.at[row, answered]},
        ),
    )


def at_most(part: str, whole: str) -> tuple[Rule, ...]:
    """``part`` ≤ ``whole`` on every row (for example drop-outs ≤ students)."""
    return (
        Rule(
            "part_gt_whole",
            part,
            lambda f, _l: ~(f[part] > f[whole]).fillna(False),
            lambda f, row: {
                "part": f.at[row, part],
                "whole": f.at[row, whole],
                "whole_column": whole,
            },
        ),
    )


_ANSWER_COUNTS = [f"vastaus_{v}" for v in LIKERT_VALUES]


def _total(frame: pd.DataFrame) -> pd.Series:
    return frame[_ANSWER_COUNTS].sum(axis=1, min_count=1)


#: in an aggregate, the answer counts add up to the respondent count (unless it reads 1-4),
#: and a row suppressed at the source has no counts
COUNTS_MATCH_TOTAL = (
    Rule(
        "counts_mismatch",
        "vastaajia",
        lambda f, _l: f["vastaajia_suppressed"] | (_total(f) == f["vastaajia"]).fillna(False),
        lambda f, row: {
            "n": f.at[row, "vastaajia"],
            "total": 0 if _total(f).isna().at[row] else _total(f).at[row],
        },
    ),
    Rule(
        "suppressed_with_counts",
        "vastaajia",
        lambda f, _l: ~(f["vastaajia_suppressed"] & f[_ANSWER_COUNTS].notna().any(axis=1)),
    ),
)


def question_in_survey(survey_col: str, question_col: str) -> tuple[Rule, ...]:
    """Every question id belongs to the questionnaire of its survey (A.. to aloituskysely, ...)."""

    def valid(frame: pd.DataFrame, lookups: Mapping) -> pd.Series:
        expected = frame[survey_col].map(lambda s: SURVEYS[s].kysely)
        return (expected == frame[question_col].map(lookups["question_kysely"])).fillna(False)

    return (
        Rule(
            "question_not_in_survey",
            question_col,
            valid,
            lambda f, row: {"value": f.at[row, question_col], "survey": f.at[row, survey_col]},
        ),
    )


#: where a text of the kit's registers comes from: the published wording, a paraphrase of it, or
#: the kit's own (an optional column of the criteria, their levels and the indicator registry)
WORDING = Col(
    "wording",
    "choice",
    choices=("published", "paraphrase", "kit"),
    required=False,
    nullable=True,
    case="lower",
)

#: The core's lookups: ``question_ids`` (allowed question ids), ``question_kysely`` (a Series
#: mapping question id → questionnaire), ``occupation_codes`` and ``qualification_codes``.
#: :mod:`kit.loader` supplies them, and the ones workshops register
#: (:func:`kit.parts.add_lookup`).
LOOKUPS = (
    "question_ids",
    "question_kysely",
    "occupation_codes",
    "qualification_codes",
)

#: the occupation codes of a labour-market cube that the classification does not list: the
#: total and the unknown occupations
OCCUPATION_EXTRA = ("SSS", "X", "XX", "XXX", "XXXX", "XXXXX")

_COUNT_PAIRS = [(f"kyselyn_kohteena_olleet_{s}", f"vastanneet_{s}") for s in COUNT_SUFFIX.values()]

#: the kind of an Arvo CSV download (read by :mod:`kit.arvo`, not declared by columns)
ARVO = "arvo"

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "response_counts",
            (
                Col("tilastokausi", "period", label="Tilastokausi"),
                Col(
                    "koulutuksen_jarjestajan_y_tunnus",
                    "ytunnus",
                    label="Koulutuksen järjestäjän Y-tunnus",
                ),
                Col(
                    "koulutuksen_jarjestajan_nimi",
                    required=False,
                    nullable=True,
                    label="Koulutuksen järjestäjän nimi",
                ),
                *[
                    Col(
                        name,
                        "count",
                        required=s in ("a", "p_t", "p_o"),
                        nullable=True,
                        label=shown + s.upper(),
                    )
                    for s in COUNT_SUFFIX.values()
                    for name, shown in zip(
                        (f"kyselyn_kohteena_olleet_{s}", f"vastanneet_{s}"),
                        ("Kyselyn kohteena olleet_", "Vastanneet_"),
                    )
                ],
            ),
            key=("tilastokausi", "koulutuksen_jarjestajan_y_tunnus"),
            rules=answered_within_targeted(_COUNT_PAIRS),
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
            years="vuosi",
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
                Col("tutkinto", required=False, nullable=True),
                # working-life feedback: the work period's days, for duration weighting
                Col("tyopaikkajakson_kesto", "count", required=False, nullable=True),
                Col("lahde", required=False, nullable=True),  # the download it came from
            ),
            key=("vastaajatunnus", "kysymysid"),
            rules=question_in_survey("kyselypohja_tarkenne", "kysymysid"),
            choices={"kysymysid": "question_ids"},
        ),
        Kind(
            "feedback_counts",
            (
                Col("rahoituskausi", "period"),
                Col("koulutuksen_jarjestajan_y_tunnus", "ytunnus"),
                Col("kyselypohja_tarkenne", "choice", choices=tuple(SURVEYS), case="lower"),
                Col("kysymysid", "choice", case="upper"),
                Col("tutkinto", required=False, nullable=True),
                Col("vastaajia", "count", suppressible=True),
                *[Col(f"vastaus_{v}", "count", nullable=True) for v in LIKERT_VALUES],
            ),
            key=(
                "rahoituskausi",
                "koulutuksen_jarjestajan_y_tunnus",
                "kyselypohja_tarkenne",
                "kysymysid",
                "tutkinto",
            ),
            rules=(*COUNTS_MATCH_TOTAL, *question_in_survey("kyselypohja_tarkenne", "kysymysid")),
            choices={"kysymysid": "question_ids"},
        ),
        Kind(
            "key_figures",
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
            years="vuosi",
            rules=(
                *at_most("keskeyttaneet", "opiskelijat"),
                *at_most("aloittaneet", "opiskelijat"),
                *at_most("tyolliset_tai_jatko_opiskelijat", "valmistuneet"),
            ),
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
                Col("text_fi"),
                Col("text_sv"),
                Col("text_en"),
                Col("funding", "flag", nullable=True),
                Col("wording", "choice", choices=("published", "published_start", "kit")),
            ),
            key=("id",),
        ),
        Kind(
            "qualifications",
            (
                Col("code", "qualification_code"),
                Col("id"),
                Col("name_fi"),
                Col("name_sv"),
                Col("name_en"),
                Col(
                    "kustannusryhma",
                    "choice",
                    choices=("1", "2", "3", "4", "5"),
                    required=False,
                    nullable=True,
                ),
            ),
            key=("code",),
        ),
        Kind(
            "cost_groups",
            (
                Col("tutkinto_koodi", "qualification_code"),
                Col(
                    "kustannusryhma",
                    "choice",
                    choices=("1", "2", "3", "4", "5", "muu", "vt"),
                    case="lower",
                ),
            ),
            key=("tutkinto_koodi",),
        ),
        Kind(
            "occupations",
            (
                Col("code"),
                Col("level", "choice", choices=("1", "2", "3", "4", "5")),
                Col("parent", nullable=True),
                Col("name_fi"),
                Col("name_sv"),
                Col("name_en"),
            ),
            key=("code",),
        ),
    ]
}


def missing_columns(kind: Kind, missing: list[str], file: str) -> KitInputError:
    """The error for a file without the columns ``missing`` of ``kind``."""
    others = ", ".join(f'"{kind.shown(c)}"' for c in missing[1:])
    return KitInputError(
        "missing_column" if len(missing) == 1 else "missing_columns",
        file=file,
        column=kind.shown(missing[0]),
        others=others,
        kind=t(f"kind.{kind.name}"),
    )


def kinds() -> dict[str, Kind]:
    """Every kind by name: the core's (:data:`KINDS`), then those registered with
    :func:`kit.parts.add_kinds` (each workshop's)."""
    from kit.parts import REGISTERED, resolve

    found = dict(KINDS)
    for target in REGISTERED.kinds:
        for kind in resolve(target):
            if kind.name in found and found[kind.name] is not kind:
                raise ValueError(f"file kind {kind.name!r} is declared twice ({target})")
            found[kind.name] = kind
    return found


def detect(columns: list[str], file: str) -> Kind:
    """The kind whose required columns are all in ``columns`` (the most specific one wins).

    When none fits, the error names the closest kind's first missing column.
    """
    have = set(columns)
    fitting = [k for k in kinds().values() if set(k.required) <= have]
    if fitting:
        return max(fitting, key=lambda k: len(k.required))
    scored = sorted(kinds().values(), key=lambda k: -len(set(k.required) & have) / len(k.required))
    best = scored[0]
    overlap = len(set(best.required) & have) / len(best.required)
    if overlap >= 0.5:
        raise missing_columns(best, [c for c in best.required if c not in have], file)
    raise KitInputError("unknown_kind", file=file, kinds=", ".join(kinds()))
