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
``indicators``      scorecard inputs per provider and year
``partners``        the partner registry
``questions``       the question bank
``qualifications``  qualifications by official code: names and cost group
``cost_groups``     Vipunen's funding cost group per qualification code
``indicator_registry`` the indicators of the scorecards (workshop 3)
``perspectives``    the scorecards' perspectives (workshop 3)
``criteria``        self-assessment criteria (workshop 2)
``criteria_levels`` the criteria's level descriptors
``ratings``         self-assessment ratings from a spreadsheet (``kit assess import``)
``wbl_phases``      the phases of work-based learning, their actors, law and survey questions
                    (workshop 4)
``wbl_materials``   the guidance-material register: guides and forms per phase and audience
``work_periods``    a provider's work-period list (työpaikkajaksot) with eHOKS's field names
``labour_market``   StatFin ``tyonv/12ti``: unemployed jobseekers and open vacancies by region,
                    occupation (AML 2010) and month, from a PC-Axis or JSON-stat 2 file (workshop 5)
``supply``          Vipunen ``amm_opiskelijat_ja_tutkinnot_vuosi_tutkinto``: new students, students
                    and completers by year, qualification and provider (API JSON, CSV or xlsx)
``occupation_map``  the network's hand-curated bridge: qualification → occupation, weight, note
``occupations``     the occupation classification AML 2010: code, level, names in fi/sv/en
==================  ================================================================================

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


#: The lookups some kinds need: ``question_ids`` (allowed question ids), ``question_kysely``
#: (a Series mapping question id → questionnaire), ``perspectives`` (the scorecard
#: perspectives' ids) and ``wbl_phases`` (the work-based learning phases' ids).
#: :mod:`kit.loader` supplies them.
LOOKUPS = (
    "question_ids",
    "question_kysely",
    "perspectives",
    "wbl_phases",
    "occupation_codes",
    "qualification_codes",
)

#: who acts in a phase of work-based learning
WBL_ACTORS = ("student", "teacher", "instructor", "assessor")
#: who a guidance material is for
WBL_AUDIENCES = ("student", "instructor", "assessor")
#: the questionnaires whose questions a phase may name
WBL_KYSELYT = ("paattokysely", "tyopaikkaohjaajakysely", "tyopaikkakysely")


def _items(value: object) -> list[str]:
    """A list cell (``"TPO02; P06"``) as its items (an empty or missing cell has none)."""
    if not isinstance(value, str):
        return []
    return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]


def _bad_actor(value: object) -> str:
    return next((a for a in _items(value) if a.lower() not in WBL_ACTORS), "")


def _bad_question(value: object, kysely: pd.Series) -> str:
    return next(
        (
            q
            for q in _items(value)
            if q.upper() not in kysely.index or kysely[q.upper()] not in WBL_KYSELYT
        ),
        "",
    )


def _list_rules() -> tuple[Rule, ...]:
    """The phases' list columns: known actors (at least one), known questions of the
    päättökysely and the working-life surveys, and each question in one phase only."""

    def repeated_at(f: pd.DataFrame) -> dict[int, str]:
        seen: set[str] = set()
        out = {}
        for row, v in f["questions"].items():
            items = [q.upper() for q in _items(v)]
            again = next((q for q in items if q in seen), "")
            if again:
                out[row] = again
            seen.update(items)
        return out

    seen: dict = {}  # the lookups of the last check, for its message

    def question_ok(f: pd.DataFrame, lookups: Mapping) -> pd.Series:
        seen["kysely"] = lookups["question_kysely"]
        return f["questions"].map(lambda v: not _bad_question(v, lookups["question_kysely"]))

    return (
        Rule(
            "wbl_unknown_actor",
            "actors",
            lambda f, _l: f["actors"].map(lambda v: bool(_items(v)) and not _bad_actor(v)),
            lambda f, row: {
                "value": _bad_actor(f.at[row, "actors"]) or "–",
                "valid": ", ".join(WBL_ACTORS),
            },
        ),
        Rule(
            "wbl_unknown_question",
            "questions",
            question_ok,
            lambda f, row: {
                "value": _bad_question(f.at[row, "questions"], seen["kysely"]),
                "valid": ", ".join(WBL_KYSELYT),
            },
        ),
        Rule(
            "wbl_question_twice",
            "questions",
            lambda f, _l: f.index.to_series().map(lambda row: row not in repeated_at(f)),
            lambda f, row: {"value": repeated_at(f).get(row, "")},
        ),
    )


def _period_rules() -> tuple[Rule, ...]:
    """A work period ends on or after it starts, and its part-time share is 1–100 %."""

    def ends_after(f, _l):
        import pandas as pd

        alku = pd.to_datetime(f["alku"], errors="coerce")
        loppu = pd.to_datetime(f["loppu"], errors="coerce")
        return ~(loppu < alku).fillna(False)

    def part_time(f, _l):
        v = f["osa_aikaisuustieto"]
        return (v.isna() | ((v >= 1) & (v <= 100))).fillna(True).astype(bool)

    return (
        Rule(
            "wbl_ends_before_start",
            "loppu",
            ends_after,
            lambda f, row: {"start": f.at[row, "alku"], "end": f.at[row, "loppu"]},
        ),
        Rule(
            "wbl_part_time",
            "osa_aikaisuustieto",
            part_time,
            lambda f, row: {"value": f.at[row, "osa_aikaisuustieto"]},
        ),
    )


def _review_rules() -> tuple[Rule, ...]:
    """A material's next review is not before its last one."""

    def order(f, _l):
        import pandas as pd

        last = pd.to_datetime(f["last_review"], errors="coerce")
        nxt = pd.to_datetime(f["next_review"], errors="coerce")
        return ~(nxt < last).fillna(False)

    return (
        Rule(
            "wbl_review_order",
            "next_review",
            order,
            lambda f, row: {"last": f.at[row, "last_review"], "next": f.at[row, "next_review"]},
        ),
    )


def _known(column: str, lookup: str, reason: str) -> tuple[Rule, ...]:
    """Every value of ``column`` is one of lookup ``lookup`` (the occupation classification,
    the official qualification codes); an empty cell is not checked."""
    return (
        Rule(
            reason,
            column,
            lambda f, lookups: f[column].isna() | f[column].isin(lookups[lookup]),
            lambda f, row: {"value": f.at[row, column]},
        ),
    )


def _weight_rules() -> tuple[Rule, ...]:
    """A bridge weight lies in (0, 1]."""
    return (
        Rule(
            "bridge_weight",
            "weight",
            lambda f, _l: ((f["weight"] > 0) & (f["weight"] <= 1)).fillna(False),
            lambda f, row: {"value": f.at[row, "weight"]},
        ),
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
            "indicator_registry",
            (
                Col("id", case="upper"),
                Col("perspective", "choice", case="lower"),
                Col("name_fi"),
                Col("name_sv"),
                Col("name_en"),
                Col("definition_fi"),
                Col("definition_sv"),
                Col("definition_en"),
                Col("numerator", nullable=True),
                Col("denominator", nullable=True),
                Col("unit", "choice", choices=("share", "mean", "factor", "level"), case="lower"),
                Col("source", "choice", choices=("official", "kit", "partner"), case="lower"),
                Col("compute"),
                Col("direction", "choice", choices=("higher", "lower"), case="lower"),
                Col("lag_months", "count"),
                Col(
                    "cycle",
                    "choice",
                    choices=("month", "half_year", "period", "year", "workshop"),
                    case="lower",
                ),
                Col("funding_component", nullable=True, case="lower"),
                Col("funding_weight", "decimal", nullable=True),
                Col("eqavet", nullable=True),
                Col("quality_strategy", nullable=True),
                Col("target", "decimal", nullable=True),
                Col("tolerance", "decimal", nullable=True),
                Col("gaming", nullable=True, case="lower"),
                Col(
                    "wording",
                    "choice",
                    choices=("published", "paraphrase", "kit"),
                    required=False,
                    nullable=True,
                    case="lower",
                ),
            ),
            key=("id",),
            choices={"perspective": "perspectives"},
        ),
        Kind(
            "perspectives",
            (
                Col("id", case="lower"),
                Col("order", "count"),
                Col("name_fi"),
                Col("name_sv"),
                Col("name_en"),
            ),
            key=("id",),
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
            "criteria",
            (
                Col("id"),
                Col("area"),
                Col("priority", "choice", choices=("high", "normal"), case="lower"),
                Col("name_fi"),
                Col("name_sv"),
                Col("name_en"),
                Col("focus_fi", nullable=True),
                Col("focus_sv", nullable=True),
                Col("focus_en", nullable=True),
                Col("quality_strategy", nullable=True, required=False),
                Col("eqavet", nullable=True, required=False),
                Col("efqm", nullable=True, required=False),
                Col("peer_review", nullable=True, required=False),
                Col(
                    "wording",
                    "choice",
                    choices=("published", "paraphrase", "kit"),
                    required=False,
                    nullable=True,
                    case="lower",
                ),
            ),
            key=("id",),
        ),
        Kind(
            "criteria_levels",
            (
                Col("criterion"),
                Col("level", "choice", choices=("0", "1", "2", "3", "4")),
                Col(
                    "key",
                    "choice",
                    choices=("puuttuva", "alkava", "kehittyva", "edistynyt", "erinomainen"),
                    case="lower",
                ),
                Col("descriptor_fi"),
                Col("descriptor_sv"),
                Col("descriptor_en"),
                Col(
                    "wording",
                    "choice",
                    choices=("published", "paraphrase", "kit"),
                    required=False,
                    nullable=True,
                    case="lower",
                ),
            ),
            key=("criterion", "level"),
        ),
        Kind(
            "ratings",
            (
                Col("partner", case="lower"),
                Col("role", "choice", choices=("self", "peer"), case="lower"),
                Col("assessor"),
                Col("criterion", case="upper"),
                Col("level", "choice", choices=("0", "1", "2", "3", "4")),
                Col("confidence", "choice", choices=("1", "2", "3"), required=False, nullable=True),
                Col("evidence", required=False, nullable=True),
                Col("idea", required=False, nullable=True),
            ),
            key=("partner", "role", "assessor", "criterion"),
        ),
        Kind(
            "wbl_phases",
            (
                Col("id", case="upper"),
                Col("order", "count"),
                Col("name_fi"),
                Col("name_sv"),
                Col("name_en"),
                Col("actors", case="lower"),
                Col("law", nullable=True),
                Col("law_verified", "flag", nullable=True),
                Col("data_anchor", required=False, nullable=True),
                Col("questions", nullable=True, case="upper"),
                Col("mapping", "choice", choices=("kit", "partner", "official"), case="lower"),
            ),
            key=("id",),
            rules=_list_rules(),
            needs=("question_kysely",),
        ),
        Kind(
            "wbl_materials",
            (
                Col("id"),
                Col("phase", "choice", case="upper"),
                Col("audience", "choice", choices=WBL_AUDIENCES, case="lower"),
                Col("title"),
                Col(
                    "kind",
                    "choice",
                    choices=("guide", "form", "checklist", "video", "other"),
                    required=False,
                    nullable=True,
                    case="lower",
                ),
                Col("owner", nullable=True),
                Col("location", nullable=True),
                Col("version", nullable=True),
                Col("last_review", "date", nullable=True),
                Col("next_review", "date", nullable=True, future=True),
            ),
            key=("id",),
            rules=_review_rules(),
            choices={"phase": "wbl_phases"},
        ),
        Kind(
            "work_periods",
            (
                Col("yksiloiva_tunniste", label="yksiloiva-tunniste"),
                Col("hoks_id", label="hoks-id"),
                Col("koulutustoimija", "ytunnus"),
                Col("tutkinto", required=False, nullable=True),
                Col(
                    "osaamisen_hankkimistapa_koodi_uri",
                    "choice",
                    choices=(
                        "osaamisenhankkimistapa_koulutussopimus",
                        "osaamisenhankkimistapa_oppisopimus",
                    ),
                    case="lower",
                    label="osaamisen-hankkimistapa-koodi-uri",
                ),
                Col("alku", "date", future=True),
                Col("loppu", "date", nullable=True, future=True),
                Col("osa_aikaisuustieto", "count", nullable=True, label="osa-aikaisuustieto"),
                Col(
                    "tyopaikan_y_tunnus",
                    "ytunnus",
                    nullable=True,
                    required=False,
                    label="tyopaikan-y-tunnus",
                ),
                Col(
                    "vastuullinen_tyopaikka_ohjaaja_sahkoposti",
                    nullable=True,
                    label="vastuullinen-tyopaikka-ohjaaja.sahkoposti",
                ),
                Col(
                    "vastuullinen_tyopaikka_ohjaaja_puhelinnumero",
                    nullable=True,
                    label="vastuullinen-tyopaikka-ohjaaja.puhelinnumero",
                ),
                Col(
                    "oppisopimuksen_perusta_koodi_uri",
                    required=False,
                    nullable=True,
                    label="oppisopimuksen-perusta-koodi-uri",
                ),
                Col("keskeytymisajanjaksot", required=False, nullable=True),
                Col("tallennettu", "date", required=False, nullable=True),
                Col("kysely_luotu", "flag", required=False, nullable=True),
                Col("vastattu", "flag", required=False, nullable=True),
            ),
            key=("yksiloiva_tunniste",),
            rules=_period_rules(),
        ),
        Kind(
            "labour_market",
            (
                Col("alue", case="upper", label="Alue"),
                Col("alue_nimi", nullable=True, required=False),
                Col("ammatti", case="upper", label="Ammattiryhmä"),
                Col("ammatti_nimi", nullable=True, required=False),
                Col("kuukausi", "month", label="Kuukausi"),
                Col(
                    "tiedot",
                    "choice",
                    choices=("TYOTTOMATLOPUSSA", "AVPAIKATLOPUSSA"),
                    case="upper",
                    label="Tiedot",
                ),
                Col("arvo", "count", nullable=True, label="DATA"),
            ),
            key=("alue", "ammatti", "kuukausi", "tiedot"),
            rules=_known("ammatti", "occupation_codes", "unknown_occupation"),
            needs=("occupation_codes",),
        ),
        Kind(
            "supply",
            (
                Col("tilastovuosi", "year", label="tilastovuosi"),
                Col("koodi_tutkinto", "qualification_code", label="koodiTutkinto"),
                Col("tutkinto", required=False, nullable=True),
                Col("tutkintotyyppi", required=False, nullable=True),
                Col("suorituksen_tyyppi", required=False, nullable=True),
                Col("koodi_koulutuksen_jarjestaja", "ytunnus", label="koodiKoulutuksenJarjestaja"),
                Col("koulutuksen_jarjestaja", required=False, nullable=True),
                Col("uudet_opiskelijat_lkm", "count", nullable=True, label="uudetOpiskelijatLkm"),
                Col("opiskelijat_lkm", "count", nullable=True, label="opiskelijatLkm"),
                Col(
                    "tutkinnon_suorittaneet_lkm",
                    "count",
                    nullable=True,
                    label="tutkinnonSuorittaneetLkm",
                ),
            ),
            rules=_known("koodi_tutkinto", "qualification_codes", "unknown_qualification"),
            needs=("qualification_codes",),
        ),
        Kind(
            "occupation_map",
            (
                Col("qualification", "qualification_code"),
                Col("occupation", case="upper"),
                Col("weight", "decimal"),
                Col("note", nullable=True),
                Col("source", "choice", choices=("network", "forum"), case="lower"),
            ),
            key=("qualification", "occupation"),
            rules=(
                *_known("qualification", "qualification_codes", "unknown_qualification"),
                *_known("occupation", "occupation_codes", "unknown_occupation"),
                *_weight_rules(),
            ),
            needs=("qualification_codes", "occupation_codes"),
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


def detect(columns: list[str], file: str) -> Kind:
    """The kind whose required columns are all in ``columns`` (the most specific one wins).

    When none fits, the error names the closest kind's first missing column.
    """
    have = set(columns)
    fitting = [k for k in KINDS.values() if set(k.required) <= have]
    if fitting:
        return max(fitting, key=lambda k: len(k.required))
    scored = sorted(KINDS.values(), key=lambda k: -len(set(k.required) & have) / len(k.required))
    best = scored[0]
    overlap = len(set(best.required) & have) / len(best.required)
    if overlap >= 0.5:
        raise missing_columns(best, [c for c in best.required if c not in have], file)
    raise KitInputError("unknown_kind", file=file, kinds=", ".join(KINDS))
