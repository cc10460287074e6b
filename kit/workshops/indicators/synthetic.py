"""The demo's synthetic check-ins: owners, next check-ins and five attendees' RACER ratings per
partner and indicator, labelled synthetic wherever they are shown (:func:`demo_store`).
The feedback the scorecards read is the core's synthetic demo data set."""

from __future__ import annotations

import datetime as dt

from kit import partners
from kit.store import built, demo_path
from kit.workshops.indicators.checkins import RACER, WORKSHOP, CheckinStore


def prepare() -> None:
    """The demo's synthetic check-in store and the monthly feedback (built on first use)."""
    from kit import datasets

    demo_store()
    datasets.monthly(datasets.load("demo"))


DEMO_VERSION = "3"  # the demo store is rebuilt when its content changes


def demo_store() -> CheckinStore:
    """A synthetic store for the demo (owners, next check-ins and five attendees' RACER ratings
    per partner, all shown), built whole once in the state folder and labelled synthetic."""
    return built(demo_path(WORKSHOP), lambda p: CheckinStore(p), _fill_demo, DEMO_VERSION)


def _fill_demo(store: CheckinStore) -> None:
    import numpy as np

    rng = np.random.default_rng(2026)
    start = dt.datetime(2025, 1, 15, 9, 0)
    raters = {(p, r): store.join() for p in partners.ids(include_network=False) for r in range(5)}
    for p in partners.ids(include_network=False):
        for i, ind in enumerate(store.indicators[:6]):
            at = (start + dt.timedelta(days=int(rng.integers(0, 300)))).strftime(
                "%Y-%m-%dT%H:%M:%S.000000Z"
            )
            store.add(
                {
                    "indicator": ind,
                    "scope": p,
                    "kind": "owner",
                    "owner": ["Laatupäällikkö", "Opintojen ohjaaja", "Rehtori"][i % 3],
                },
                at=at,
            )
            store.add(
                {
                    "indicator": ind,
                    "scope": p,
                    "kind": "next",
                    "next_date": (
                        dt.date(2026, 1, 31) + dt.timedelta(days=30 * (i % 4))
                    ).isoformat(),
                },
                at=at,
            )
            for rater in range(5):  # five attendees of the partner rate it, each on their own
                store.add(
                    {
                        "indicator": ind,
                        "scope": p,
                        "kind": "racer",
                        "author": f"{p}-{rater + 1}",
                        **{r: int(rng.integers(1, 4)) for r in RACER},
                        "note": "",
                    },
                    at=at,
                    participant=raters[(p, rater)],
                )
    store.advance()
    store.mark_synthetic()
