"""Synthetic demo answers: self and peer assessments for the six partners, labelled
synthetic wherever they are shown (:func:`build_demo`, :func:`demo_store`)."""

from __future__ import annotations

from pathlib import Path

from kit import partners
from kit.store import build, built, demo_path
from kit.workshops.self_assessment.criteria import load_criteria
from kit.workshops.self_assessment.store import WORKSHOP, ResponseStore


def prepare() -> None:
    """The synthetic demo store (built on first use)."""
    demo_store()


DEMO_SEED = 2026

DEMO_VERSION = "2"  # rebuilt when what _fill_demo writes changes

DEMO_SELF, DEMO_PEERS = 8, 5

_IDEAS = {
    "fi": [
        "Sovitaan vastuuhenkilö ja seurantapalaveri kerran lukukaudessa.",
        "Otetaan palautteen tulokset tiimipalaverien vakioasiaksi.",
        "Kuvataan prosessi yhdessä työelämän edustajien kanssa.",
        "Kerätään näyttöä järjestelmällisesti yhteiseen kansioon.",
        "Järjestetään vertaisarviointi toisen kumppanin kanssa.",
    ],
    "evidence": [
        "Toimintasuunnitelma ja vuosikello.",
        "Opiskelijapalautteen raportit.",
        "Työelämätoimikunnan muistiot.",
        "Sisäisen auditoinnin raportti.",
        "Henkilöstökyselyn tulokset.",
    ],
}


def build_demo(path: str | Path | None = None, seed: int = DEMO_SEED) -> Path:
    """Write synthetic self and peer assessments for the six partners to a new store at
    ``path`` (default: the demo store): eight staff and five peers each, with partner and area
    profiles, peers a little stricter than staff, all shown, and the store labelled synthetic.
    Built whole (:func:`kit.store.build`)."""
    return build(
        Path(path) if path else demo_path(WORKSHOP),
        lambda p: ResponseStore(p, load_criteria()),
        lambda s: _fill_demo(s, seed),
    )


def _fill_demo(store: ResponseStore, seed: int) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    criteria = load_criteria()
    ids = list(partners.ids(include_network=False))
    areas = sorted(set(criteria["area"]))
    for p_i, partner in enumerate(ids):
        base = 1.6 + 0.25 * p_i % 1.0 + rng.normal(0, 0.2)
        area_effect = dict(zip(areas, rng.normal(0, 0.45, len(areas))))
        for role, count, shift in (("self", DEMO_SELF, 0.35), ("peer", DEMO_PEERS, -0.1)):
            for a in range(1, count + 1):
                name = (
                    f"Henkilöstö {a}"
                    if role == "self"
                    else f"Vertainen {a} ({ids[(p_i + a) % len(ids)]})"
                )
                ratings = {}
                for c in criteria.itertuples():
                    if role == "peer" and rng.random() < 0.15:
                        continue  # peers review only the chosen areas
                    level = int(
                        np.clip(
                            np.rint(base + area_effect[c.area] + shift + rng.normal(0, 0.7)), 0, 4
                        )
                    )
                    ratings[c.id] = {
                        "level": level,
                        "confidence": int(rng.integers(1, 4)),
                        "evidence": str(rng.choice(_IDEAS["evidence"])),
                        "idea": str(rng.choice(_IDEAS["fi"])) if rng.random() < 0.6 else "",
                    }
                store.submit(
                    {
                        "partner": partner,
                        "role": role,
                        "assessor": name,
                        "ratings": ratings,
                        "source": "synthetic demo",
                    }
                )
    store.advance()
    store.mark_synthetic(seed=seed, generator="kit.workshops.self_assessment.synthetic.build_demo")


def demo_store() -> ResponseStore:
    """The synthetic demo store, built on first use."""
    return built(
        demo_path(WORKSHOP),
        lambda p: ResponseStore(p),
        lambda s: _fill_demo(s, DEMO_SEED),
        DEMO_VERSION,
    )
