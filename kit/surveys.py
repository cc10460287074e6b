"""The feedback surveys and their answer scale.

Student feedback (ARVO amispalaute) has three target groups, named as Arvo's
``kyselypohja_tarkenne``: ``aloittaneet`` answer the aloituskysely; ``tutkinnon_suorittaneet``
and ``tutkinnon_osia_suorittaneet`` answer the päättökysely. Working-life feedback
(työelämäpalaute) has the työpaikkaohjaajakysely and the työpaikkakysely. All use the Likert scale
1–5 plus "En osaa sanoa" (``eos``). Labels come from the catalogue (``survey.*``, ``kysely.*``,
``scale.*``, ``theme.*``), in Arvo's own fi/sv/en wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.i18n import t

LIKERT_VALUES: tuple[str, ...] = ("1", "2", "3", "4", "5", "eos")
SCALE_POINTS: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Survey:
    """A survey target group: its code, the questionnaire it answers and its feedback family."""

    code: str
    kysely: str
    family: str  # "opiskelijapalaute" or "tyoelamapalaute"
    first_period: str  # the first funding period in which the survey ran nationally

    def label(self, lang: str | None = None) -> str:
        return t(f"survey.{self.code}", lang)


SURVEYS: dict[str, Survey] = {
    s.code: s
    for s in [
        Survey("aloittaneet", "aloituskysely", "opiskelijapalaute", "2018-19"),
        Survey("tutkinnon_suorittaneet", "paattokysely", "opiskelijapalaute", "2018-19"),
        Survey("tutkinnon_osia_suorittaneet", "paattokysely", "opiskelijapalaute", "2018-19"),
        Survey("tyopaikkaohjaajakysely", "tyopaikkaohjaajakysely", "tyoelamapalaute", "2021-22"),
        Survey("tyopaikkakysely", "tyopaikkakysely", "tyoelamapalaute", "2021-22"),
    ]
}
STUDENT_SURVEYS = tuple(c for c, s in SURVEYS.items() if s.family == "opiskelijapalaute")
WORKLIFE_SURVEYS = tuple(c for c, s in SURVEYS.items() if s.family == "tyoelamapalaute")
KYSELYT: tuple[str, ...] = (
    "aloituskysely",
    "paattokysely",
    "tyopaikkaohjaajakysely",
    "tyopaikkakysely",
)
THEMES: tuple[str, ...] = (
    "start",
    "information",
    "hoks",
    "guidance",
    "learning",
    "assessment",
    "community",
    "worklife",
    "overall",
    "cooperation",
    "customer",
    "impact",
)


def scale_labels(lang: str | None = None) -> dict[str, str]:
    """The answer values and their labels in ``lang``: ``{"1": "Täysin eri mieltä", ...}``."""
    return {v: t(f"scale.{v}", lang) for v in LIKERT_VALUES}
