"""Funnel plots for proportions: providers against the pooled rate, not in a league table.

Spiegelhalter (2005), *Funnel plots for comparing institutional performance*, Statistics in
Medicine 24:1185–1202: each provider's rate is drawn against its denominator, with control
limits around the pooled rate that narrow as the denominator grows. A provider outside the
99.8 % limits differs by more than chance; inside them, its place in a ranking means nothing.

:func:`limits` gives the plain binomial limits ``θ0 ± z·√(θ0(1−θ0)/n)``, clipped to [0, 1], the
figures ``kit indicators funnel`` prints. :func:`overdispersed` gives the random-effects
variant on the arcsine scale with an additive τ² (DerSimonian–Laird, z-scores winsorised at
10 % / 90 %), as the FunnelPlotR package computes it for proportions: real data often spread
more than the binomial allows, and without it too many providers look "special".

Response rates are participation figures, published as they are, so the inputs need no
suppression; a funnel of *results* must get its rates through :mod:`kit.privacy`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

Z95 = 1.959964
Z998 = 3.090232
COLUMNS = [
    "y_tunnus",
    "targeted",
    "answered",
    "rate",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "position",
]


def pooled(answered: pd.Series, targeted: pd.Series) -> float:
    """θ0 = Σ answered / Σ targeted."""
    return float(np.sum(answered) / np.sum(targeted))


def limits(
    data: pd.DataFrame, *, y: str = "answered", n: str = "targeted", target: float | None = None
) -> pd.DataFrame:
    """``data`` with ``rate``, the 95 % and 99.8 % limits around the pooled rate (or
    ``target``) for each row's denominator, and ``position`` (``above``, ``within`` or
    ``below`` the 99.8 % limits). Rows with a denominator of 0 are left out."""
    frame = data[data[n].astype(float) > 0].copy()
    yy, nn = frame[y].astype(float), frame[n].astype(float)
    theta = pooled(yy, nn) if target is None else float(target)
    frame["rate"] = yy / nn
    se = np.sqrt(theta * (1 - theta) / nn)
    for z, low, high in ((Z95, "lower95", "upper95"), (Z998, "lower998", "upper998")):
        frame[low] = np.clip(theta - z * se, 0.0, 1.0)
        frame[high] = np.clip(theta + z * se, 0.0, 1.0)
    frame["position"] = np.select(
        [frame["rate"] > frame["upper998"], frame["rate"] < frame["lower998"]],
        ["above", "below"],
        "within",
    )
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class Overdispersion:
    """The spread beyond chance: ``phi`` (mean squared winsorised z), ``tau2`` (additive
    between-provider variance on the arcsine scale, 0 when φ·k ≤ k − 1) and ``k``."""

    phi: float
    tau2: float
    k: int


def dispersion(
    answered: pd.Series, targeted: pd.Series, target: float | None = None, winsor: float = 0.1
) -> Overdispersion:
    """φ and τ² of the rates (arcsine scale ``asin(√p)``, ``s = 1/(2√n)``)."""
    yy, nn = np.asarray(answered, float), np.asarray(targeted, float)
    keep = nn > 0
    yy, nn = yy[keep], nn[keep]
    theta = yy.sum() / nn.sum() if target is None else float(target)
    big_y = np.arcsin(np.sqrt(yy / nn))
    s = 1 / (2 * np.sqrt(nn))
    z = (big_y - np.arcsin(np.sqrt(theta))) / s
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    z = np.clip(z, lo, hi)
    k = len(z)
    phi = float(np.mean(z**2))
    w = 1 / s**2
    if k * phi > k - 1:
        tau2 = max(0.0, (k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    else:
        tau2 = 0.0
    return Overdispersion(phi=phi, tau2=float(tau2), k=k)


def overdispersed(
    data: pd.DataFrame, *, y: str = "answered", n: str = "targeted", target: float | None = None
) -> tuple[pd.DataFrame, Overdispersion]:
    """:func:`limits` with the overdispersion-adjusted limits ``od_lower95`` …
    ``od_upper998`` and ``od_position`` beside them:
    ``sin²(asin(√θ0) ± z·√(s² + τ²))``."""
    frame = limits(data, y=y, n=n, target=target)
    theta = pooled(frame[y].astype(float), frame[n].astype(float)) if target is None else target
    od = dispersion(frame[y], frame[n], theta)
    s = 1 / (2 * np.sqrt(frame[n].astype(float)))
    spread = np.sqrt(s**2 + od.tau2)
    centre = np.arcsin(np.sqrt(theta))
    for z, low, high in ((Z95, "od_lower95", "od_upper95"), (Z998, "od_lower998", "od_upper998")):
        frame[low] = np.sin(np.clip(centre - z * spread, 0, np.pi / 2)) ** 2
        frame[high] = np.sin(np.clip(centre + z * spread, 0, np.pi / 2)) ** 2
    frame["od_position"] = np.select(
        [frame["rate"] > frame["od_upper998"], frame["rate"] < frame["od_lower998"]],
        ["above", "below"],
        "within",
    )
    return frame, od


def curve(theta: float, n_max: float, *, tau2: float = 0.0, points: int = 200) -> pd.DataFrame:
    """The limit lines for drawing: ``n, lower95, upper95, lower998, upper998`` from n = 1 to
    ``n_max`` (binomial when ``tau2`` is 0, else on the arcsine scale with τ²)."""
    n = np.unique(np.geomspace(1, max(n_max, 2), points))
    out = pd.DataFrame({"n": n})
    for z, low, high in ((Z95, "lower95", "upper95"), (Z998, "lower998", "upper998")):
        if tau2 == 0.0:
            se = np.sqrt(theta * (1 - theta) / n)
            out[low], out[high] = np.clip(theta - z * se, 0, 1), np.clip(theta + z * se, 0, 1)
        else:
            spread = np.sqrt(1 / (4 * n) + tau2)
            centre = np.arcsin(np.sqrt(theta))
            out[low] = np.sin(np.clip(centre - z * spread, 0, np.pi / 2)) ** 2
            out[high] = np.sin(np.clip(centre + z * spread, 0, np.pi / 2)) ** 2
    return out
