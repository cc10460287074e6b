"""Qualifications by their official six-digit code, with names in fi/sv/en and cost group.

``data/qualifications.csv`` holds every qualification the kit knows: ``code`` (Tilastokeskus
koulutusluokitus, the code Arvo, Koski and Vipunen use, e.g. ``371101``), the kit's short
``id`` (``sote_pt``), the names as the Opintopolku ``koulutus`` code list publishes them, and the
funding cost group (``kustannusryhma``, from Vipunen; see ``data/README.md``). Feedback keys
qualifications by code. Files may name a qualification by code, by the kit's id or by its name
in any of the three languages (:func:`resolve`); a code or name the kit does not know is kept as
written and shown as it is (:func:`name`), never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pandas as pd

from kit import paths
from kit.i18n import check_lang

CODE = re.compile(r"[0-9]{6}")


def _read(path, kind: str) -> pd.DataFrame:
    """A reference file read and checked as the loader would (without the loader, which
    reaches feedback, which resolves qualifications here)."""
    from kit import schemas, validation
    from kit.errors import KitInputError
    from kit.readers import read_table

    shown = paths.relative(path)
    try:
        raw = read_table(path)
    except KitInputError as exc:
        raise exc.with_file(shown) from None
    return validation.validate(schemas.KINDS[kind], raw.frame, raw.headers, shown)


@cache
def table() -> pd.DataFrame:
    """``code, id, name_fi, name_sv, name_en, kustannusryhma``."""
    return _read(paths.data_dir() / "qualifications.csv", "qualifications").reset_index(drop=True)


def names(lang: str | None = None) -> pd.Series:
    """Qualification names in ``lang``, indexed by code."""
    return table().set_index("code")[f"name_{check_lang(lang)}"]


def name(code: object, lang: str | None = None) -> str:
    """The name of ``code`` in ``lang``; a code the kit does not know is shown as it is."""
    return str(names(lang).get(code, code))


def codes() -> list[str]:
    """Every code the kit knows."""
    return table()["code"].tolist()


def ids() -> list[str]:
    """Every qualification's short id (the kit's own)."""
    return table()["id"].tolist()


def code_of(qid: str) -> str:
    """The official code of the kit's id ``qid``."""
    return dict(zip(table()["id"], table()["code"]))[qid]


def _fold(text: object) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


@cache
def _lookup() -> dict[str, str]:
    frame = table()
    found: dict[str, str] = {}
    for column in ("name_fi", "name_sv", "name_en", "id"):
        for code, text in zip(frame["code"], frame[column]):
            found.setdefault(_fold(text), code)
    return found


def resolve(values: pd.Series) -> pd.Series:
    """Each value as an official code: a six-digit code stays (known or not), the kit's id or
    a name in fi/sv/en becomes its code, and anything else stays as written."""
    lookup = _lookup()

    def one(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return pd.NA
        text = str(value).strip()
        if not text:
            return pd.NA
        if CODE.fullmatch(text):
            return text
        return lookup.get(_fold(text), text)

    distinct = pd.unique(values)
    mapping = {v: one(v) for v in distinct}
    return values.map(mapping).astype("str")


@cache
def cost_groups() -> pd.Series:
    """The funding cost group (kustannusryhmä: ``1``–``5``, or ``muu`` and ``vt`` for other and
    preparatory training) of every code in Vipunen's table (453 codes)."""
    frame = _read(paths.reference_dir() / "tutkinto_kustannusryhma.csv", "cost_groups")
    return frame.set_index("tutkinto_koodi")["kustannusryhma"]
