"""The question bank: every survey statement with its theme, texts and funding flag.

``data/questions.csv`` holds the 16 aloituskysely statements as published in 2018 (Finnish as
published; the Swedish and English are the kit's translations), the päättökysely and
working-life statements written by the kit from the published themes, and a ``wording`` column
that says which is which. See ``data/README.md`` for the sources.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from kit import paths, schemas, validation
from kit.errors import KitInputError
from kit.i18n import check_lang
from kit.readers import read_table


@cache
def question_bank() -> pd.DataFrame:
    """The bank as a DataFrame: ``id, kysely, theme, text_fi, text_sv, text_en, funding, wording``."""
    path = paths.data_dir() / "questions.csv"
    shown = paths.relative(path)
    try:
        raw = read_table(path)
    except KitInputError as exc:
        raise exc.with_file(shown) from None
    frame = validation.validate(schemas.KINDS["questions"], raw.frame, raw.headers, shown)
    return frame.reset_index(drop=True)


def lookups() -> dict[str, object]:
    """What :func:`kit.schemas.validate` checks answer files against (see ``schemas.LOOKUPS``)."""
    bank = question_bank()
    return {"question_ids": tuple(bank["id"]), "question_kysely": bank.set_index("id")["kysely"]}


def texts(lang: str | None = None) -> pd.Series:
    """Question texts in ``lang``, indexed by question id."""
    bank = question_bank()
    return bank.set_index("id")[f"text_{check_lang(lang)}"]


def funding_questions(kysely: str) -> list[str]:
    """Ids of the questions that count for funding in ``kysely``."""
    bank = question_bank()
    return bank.loc[(bank["kysely"] == kysely) & bank["funding"], "id"].tolist()
