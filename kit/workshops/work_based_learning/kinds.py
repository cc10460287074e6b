"""The files workshop 4 reads: the phases of work-based learning, the guidance-material
register and a provider's work-period list (eHOKS's field names). Registered with the core
through the workshop's ``kinds``; materials name their phase from the lookup ``wbl_phases``
(:func:`phase_ids`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from kit.schemas import Col, Kind, Rule

if TYPE_CHECKING:
    import pandas as pd

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


#: ``wbl_phases``, ``wbl_materials`` and ``work_periods``
KINDS: tuple[Kind, ...] = (
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
)


def phase_ids() -> tuple[str, ...]:
    """The lookup ``wbl_phases``: the ids of ``data/wbl_phases.csv``."""
    from kit import loader, paths

    return tuple(loader.read(paths.data_dir() / "wbl_phases.csv", kind="wbl_phases").frame["id"])
