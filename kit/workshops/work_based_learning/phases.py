"""The work-based learning process as data: seven phases, who acts in each, the law and the
survey questions that speak about it.

``data/wbl_phases.csv`` (kind ``wbl_phases``, checked by :mod:`kit.loader`) holds one row per
phase: its id and order, names in fi/sv/en, its actors (``student``, ``teacher``,
``instructor`` = the workplace instructor, ``assessor`` = the working-life assessor), its legal
anchor where it was verified (``law_verified``), the eHOKS fields that record it, and the
questions of the päättökysely and the two working-life surveys that speak about it. Which
question belongs to which phase is a judgement, the kit's own (``mapping = kit``), not an
official mapping: a provider can pass a file of its own (``mapping = partner``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit import paths
from kit.i18n import check_lang
from kit.workshops.work_based_learning.kinds import WBL_ACTORS, WBL_AUDIENCES

#: the actors in their lane order, top to bottom
ACTORS = WBL_ACTORS
#: who guidance material is for (the teacher writes it)
AUDIENCES = WBL_AUDIENCES


@dataclass(frozen=True)
class Process:
    """The phases (one row each, in order) and the file they came from."""

    frame: pd.DataFrame
    path: Path

    def ids(self) -> list[str]:
        """The phase ids in order."""
        return list(self.frame["id"])

    def name(self, phase: str, lang: str | None = None) -> str:
        """A phase's name in ``lang``."""
        return str(self.frame.set_index("id").at[phase, f"name_{check_lang(lang)}"])

    def names(self, lang: str | None = None) -> dict[str, str]:
        """Every phase's name in ``lang``, in order."""
        return dict(zip(self.frame["id"], self.frame[f"name_{check_lang(lang)}"]))

    def questions(self) -> pd.DataFrame:
        """``phase, question_id`` for every question a phase names, in phase order."""
        rows = [(p, q) for p, qs in zip(self.frame["id"], self.frame["question_list"]) for q in qs]
        return pd.DataFrame(rows, columns=["phase", "question_id"])

    def actors(self) -> pd.DataFrame:
        """``phase, actor`` for every actor of every phase."""
        rows = [(p, a) for p, acts in zip(self.frame["id"], self.frame["actor_list"]) for a in acts]
        return pd.DataFrame(rows, columns=["phase", "actor"])

    def needed(self) -> pd.DataFrame:
        """``phase, audience``: who needs guidance material in each phase (its actors other
        than the teacher)."""
        acts = self.actors()
        return acts[acts["actor"].isin(AUDIENCES)].rename(columns={"actor": "audience"})

    def own(self) -> bool:
        """Whether the question mapping is a provider's own rather than the kit's."""
        return bool((self.frame["mapping"] != "kit").any())


def _split(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]


def load(path: str | Path | None = None) -> Process:
    """The phases from ``path`` (default ``data/wbl_phases.csv``), checked, in order."""
    from kit import loader

    where = Path(path) if path else paths.data_dir() / "wbl_phases.csv"
    frame = loader.read(where, kind="wbl_phases").frame
    frame = frame.sort_values("order", kind="stable").reset_index(drop=True)
    frame["actor_list"] = frame["actors"].map(lambda v: [a for a in ACTORS if a in _split(v)])
    frame["question_list"] = frame["questions"].map(lambda v: [q.upper() for q in _split(v)])
    return Process(frame, where)
