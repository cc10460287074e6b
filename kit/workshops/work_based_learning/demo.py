"""Workshop 4's demo data, warm-up and step in ``kit demo`` (named by its registry entry).

The demo work-period list is synthetic: see :mod:`.synthetic`.
"""

from __future__ import annotations

from pathlib import Path


def warm(lang: str) -> None:
    """Build the demo model once per kernel."""
    from kit.workshops.work_based_learning import model, synthetic

    synthetic.prepare()
    model.build(lang=lang)


def showcase(lang: str, reports: Path) -> list[str]:
    """The network's critical points, in one line."""
    from kit.i18n import t
    from kit.workshops.work_based_learning import model

    m = model.build(lang=lang)
    ranked = m.phases(m.partner)
    names = [
        m.process.name(p, lang) for p in ranked.sort_values("rank").loc[ranked["critical"], "phase"]
    ]
    return [t("demo.ws4", lang, phases="; ".join(names))]
