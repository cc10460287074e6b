"""The six partners of the network, and ``network`` for the six together.

The registry (``data/partners.csv``) maps each short id to a display name, a legal name and the
Y-tunnus, which is the key everywhere else. Parameters that name a partner (notebook parameters,
query strings, command options) are checked here against the registry: anything else is refused
with a message that lists the valid ids.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from kit import paths, snapshots
from kit.errors import KitInputError

if TYPE_CHECKING:  # pragma: no cover - only for the type hints
    import pandas as pd

NETWORK = "network"


@cache
def registry() -> pd.DataFrame:
    """The partners: ``id, display_name, legal_name, y_tunnus``, in registry order."""
    from kit.loader import read

    return read(paths.data_dir() / "partners.csv", kind="partners").frame.reset_index(drop=True)


@cache
def _rows() -> tuple[dict[str, str], ...]:
    """The registry as plain rows, checked once (:mod:`kit.snapshots`): what app kernels read
    without importing pandas."""

    def build() -> list[dict[str, str]]:
        return [
            {k: str(v) for k, v in row.items()}
            for row in registry()[["id", "display_name", "y_tunnus"]].to_dict("records")
        ]

    return tuple(snapshots.plain("partners", [paths.data_dir() / "partners.csv"], build))


def ids(include_network: bool = True) -> list[str]:
    """Valid partner ids, with ``network`` last unless ``include_network`` is false."""
    out = [r["id"] for r in _rows()]
    return [*out, NETWORK] if include_network else out


def check(partner: object, *, parameter: str = "partner") -> str:
    """Return ``partner`` if it is a valid id; otherwise raise a message listing the valid ids."""
    valid = ids()
    if not isinstance(partner, str) or partner not in valid:
        raise KitInputError(
            "unknown_partner", parameter=parameter, value=partner, valid=", ".join(valid)
        )
    return partner


def y_tunnukset(partner: str) -> list[str]:
    """The Y-tunnus of ``partner``, or of all six for ``network``."""
    check(partner)
    reg = registry()
    if partner == NETWORK:
        return reg["y_tunnus"].tolist()
    return reg.loc[reg["id"] == partner, "y_tunnus"].tolist()


def display_name(partner: str, lang: str | None = None) -> str:
    """The name to show for a partner id (``network`` is translated)."""
    from kit.i18n import t

    check(partner)
    if partner == NETWORK:
        return t("partners.network", lang)
    return next(r["display_name"] for r in _rows() if r["id"] == partner)


def id_of(y_tunnus: str) -> str | None:
    """The partner id for a Y-tunnus, or ``None`` for a provider outside the network."""
    reg = registry()
    for found, partner in zip(reg["y_tunnus"], reg["id"]):
        if found == y_tunnus:
            return str(partner)
    return None
