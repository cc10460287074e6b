"""Workshop 3's demo data, warm-up and step in ``kit demo`` (named by its registry entry)."""

from __future__ import annotations

from pathlib import Path

from kit import numbers
from kit.i18n import t


def warm(lang: str) -> None:
    """Compute the demo model once per kernel, and the privacy decision of the demo's monthly
    answers that the control charts cut from (made once, by one kernel, then kept in the cache
    folder), so that no report waits for either."""
    from kit import datasets, feedback
    from kit.workshops.indicators import model, synthetic

    synthetic.prepare()
    demo = datasets.load("demo")
    model.build(demo, lang=lang)
    feedback.decision(datasets.monthly(demo))


def showcase(lang: str, reports: Path) -> list[str]:
    """The funnel of the real 2020-21 aloituskysely counts, in one line."""
    from kit.workshops.indicators import model

    m = model.build(lang=lang)
    table, _lines, od, theta = m.funnel("aloittaneet")
    providers = table[~table["y_tunnus"].isin(["network"])]
    return [
        t(
            "demo.ws3",
            lang,
            providers=len(providers),
            theta=numbers.number(theta, 3, lang),
            above=int((providers["od_position"] == "above").sum()),
            below=int((providers["od_position"] == "below").sum()),
            indicators=len(m.registry.ids()),
        )
    ]
