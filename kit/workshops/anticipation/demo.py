"""Workshop 5's demo data, warm-up and step in ``kit demo`` (named by its registry entry).

The demo files are synthetic, in StatFin's and Vipunen's exact shapes: see :mod:`.synthetic`.
"""

from __future__ import annotations

from pathlib import Path


def prepare() -> None:
    """The demo's statistics files (built on first use) and the forum app's snapshot."""
    from kit.workshops.anticipation import model, proposals

    model.folder("demo")
    proposals.snapshot("demo")


def warm(lang: str) -> None:
    """Its demo data (if not there yet), and the demo model once per kernel."""
    from kit.workshops.anticipation import model, synthetic

    synthetic.prepare()
    model.build(lang=lang)


def showcase(lang: str, reports: Path) -> list[str]:
    """The candidates for new offer in Uusimaa, in one line."""
    from kit.i18n import t
    from kit.workshops.anticipation import model

    m = model.build(lang=lang)
    words = m.candidate_words(m.region("ELY01"))
    return [t("demo.ws5", lang, **words)]
