"""Workshop 2's demo data, warm-up and step in ``kit demo`` (named by its registry entry)."""

from __future__ import annotations

from pathlib import Path

from kit.i18n import t


def warm(lang: str) -> None:
    """Open the demo store once (its criteria are read and checked then)."""
    from kit.workshops.self_assessment import synthetic

    synthetic.prepare()


def showcase(lang: str, reports: Path) -> list[str]:
    """What the demo store holds."""
    from kit.commands import shown
    from kit.workshops.self_assessment import synthetic

    demo = synthetic.demo_store()
    return [
        t("demo.ws2", lang, responses=demo.count(), file=shown(demo.path), label=demo.label(lang))
    ]
