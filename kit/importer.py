"""Importing feedback files into the kit's ``answers`` layout: ``kit import arvo``.

:func:`import_files` reads Arvo downloads (:mod:`kit.arvo`) and writes one ``answers`` file: one
row per answer, with the provider and survey the user names, the funding period from the
response time (as every answers file), the qualification as its official code
(:func:`kit.qualifications.resolve`), every background field and the work period's duration
kept, and ``lahde``: the download each answer came from, which labels the data wherever it is
shown. Nothing is written unless every file passes, and an existing file is never lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit import paths, qualifications, questions, ytunnus
from kit.arvo import BACKGROUND, FIXED, Download, fold, read
from kit.errors import KitInputError
from kit.i18n import t
from kit.readers import normalise_header
from kit.surveys import SURVEYS

#: the columns of the ``answers`` layout the import writes first, in this order
ANSWERS = [
    "vastaajatunnus",
    "vastausaika",
    "koulutustoimija",
    "kyselypohja_tarkenne",
    "kysymysid",
    "numerovalinta",
    "tutkinto",
]


def check_provider(value: object) -> str:
    """``--provider``: a Y-tunnus (or a partner id of the network), as ``1234567-8``."""
    from kit import partners

    text = str(value or "").strip()
    if text.lower() in partners.ids(include_network=False):
        return partners.y_tunnukset(text.lower())[0]
    if not ytunnus.is_valid(ytunnus.normalise(text)):
        raise KitInputError("arvo_bad_provider", parameter="--provider", value=text)
    return ytunnus.normalise(text)


def check_survey(value: object, downloads: Sequence[Download]) -> str:
    """``--survey``: a target group of :data:`kit.surveys.SURVEYS`; when not given, the one
    target group of the downloads' questionnaire (the päättökysely has two: then say which)."""
    kyselyt = sorted({d.kysely for d in downloads if d.kysely is not None})
    if value in (None, ""):
        fitting = [code for code, s in SURVEYS.items() if s.kysely in kyselyt]
        if len(kyselyt) == 1 and len(fitting) == 1:
            return fitting[0]
        raise KitInputError(
            "arvo_survey_needed", parameter="--survey", valid=", ".join(fitting or SURVEYS)
        )
    code = str(value).strip().lower()
    if code not in SURVEYS:
        raise KitInputError(
            "unknown_value", parameter="--survey", value=value, valid=", ".join(SURVEYS)
        )
    return code


def to_answers(
    downloads: Sequence[Download], *, provider: str, survey: str | None = None
) -> pd.DataFrame:
    """The downloads as one ``answers`` table: one row per answer (skipped questions are no
    answers and have no row), with ``koulutustoimija`` = ``provider`` and
    ``kyselypohja_tarkenne`` = ``survey``, the qualification as its official code where the
    file names a qualification the kit knows, every background field kept, and ``lahde``: the
    file each answer came from.

    Refuses a survey whose questionnaire is not the downloads', a provider column that does not
    agree with ``provider``, and a respondent in two files.
    """
    provider = check_provider(provider)
    survey = check_survey(survey, downloads)
    parts = []
    seen: dict[str, tuple[str, int]] = {}
    for d in downloads:
        file = paths.relative(d.path)
        if SURVEYS[survey].kysely != d.kysely:
            raise KitInputError(
                "arvo_survey_mismatch",
                file=file,
                parameter="--survey",
                survey=survey,
                kysely=t(f"kysely.{d.kysely}"),
                expected=t(f"kysely.{SURVEYS[survey].kysely}"),
            )
        _agrees(d, provider)
        people = d.answers.drop_duplicates("vastaajatunnus")
        for who, row in zip(people["vastaajatunnus"], people["row"]):
            if who in seen:
                raise KitInputError(
                    "arvo_respondent_in_two_files",
                    file=file,
                    row=int(row),
                    column=FIXED[d.lang][0],
                    value=who,
                    other=seen[who][0],
                    other_row=seen[who][1],
                )
        seen.update({w: (file, int(r)) for w, r in zip(people["vastaajatunnus"], people["row"])})
        frame = d.answers[d.answers["numerovalinta"].notna()].copy()
        frame["koulutustoimija"] = provider
        frame["kyselypohja_tarkenne"] = survey
        frame["tutkinto"] = _qualification(frame)
        frame["lahde"] = d.path.name
        parts.append(frame.drop(columns=["row"]))
    out = pd.concat(parts, ignore_index=True)
    extra = [c for c in out.columns if c not in ANSWERS and c != "lahde"]
    return out[[*ANSWERS, *extra, "lahde"]].reset_index(drop=True)


def _qualification(frame: pd.DataFrame) -> pd.Series:
    """The official code of each row's qualification: the ``Tutkinto`` code where the file has
    one, else the code of the name in ``Tutkinnon nimi``; a name the kit does not know stays as
    written."""
    if "tutkinto" in frame and frame["tutkinto"].notna().any():
        return qualifications.resolve(frame["tutkinto"])
    if "tutkinto_selite" in frame:
        return qualifications.resolve(frame["tutkinto_selite"])
    return pd.Series(pd.NA, index=frame.index, dtype="str")


def _agrees(d: Download, provider: str) -> None:
    """A provider column in the download, and a provider named in its file name (Arvo names a
    download ``<kysely>-<date>-<provider>.csv``), must name ``provider``."""
    from kit import partners

    stem = d.path.stem
    for found in re.findall(r"(?<![0-9])[0-9]{6,7}-[0-9](?![0-9])", stem):
        if ytunnus.is_valid(ytunnus.normalise(found)) and ytunnus.normalise(found) != provider:
            raise KitInputError(
                "arvo_provider_in_name", file=paths.relative(d.path), value=found, provider=provider
            )
    reg = partners.registry()
    folded = fold(stem)
    for y, names in reg.groupby("y_tunnus")[["display_name", "legal_name"]]:
        if y == provider:
            continue
        for n in {*names["display_name"], *names["legal_name"]}:
            if len(fold(n)) > 5 and fold(n) in folded:
                raise KitInputError(
                    "arvo_provider_in_name", file=paths.relative(d.path), value=n, provider=provider
                )
    names = (
        ["koulutustoimija"]
        if "koulutustoimija" in d.answers and d.answers["koulutustoimija"].notna().any()
        else ["koulutustoimija_selite"]
    )
    for name in names:
        if name not in d.answers:
            continue
        values = d.answers[["row", name]].dropna()
        if values.empty:
            continue
        ok = values[name].map(lambda v, n=name: _names_provider(v, provider, n))
        if not ok.all():
            at = values[~ok].iloc[0]
            header = _header_for(d, name)
            raise KitInputError(
                "arvo_provider_disagrees",
                file=paths.relative(d.path),
                row=int(at["row"]),
                column=header,
                value=at[name],
                provider=provider,
            )


def _names_provider(value: str, provider: str, column: str) -> bool:
    """A provider code must be ``provider``'s Y-tunnus. A provider name is only refused when it
    is the name of another partner: names are written in many ways (and in sv/en)."""
    if column == "koulutustoimija":
        return ytunnus.normalise(value) == provider
    from kit import partners

    names = partners.registry()
    others = names[names["y_tunnus"] != provider]
    taken = {fold(n) for n in [*others["display_name"], *others["legal_name"]]}
    return fold(value) not in taken


def _header_for(d: Download, name: str) -> str:
    heads = BACKGROUND.get(name, (name,))
    return next((h for h in d.header if normalise_header(h) in heads), name)


@dataclass(frozen=True)
class Imported:
    """What :func:`import_files` did: the downloads it read and the answers it wrote."""

    downloads: tuple[Download, ...]
    answers: pd.DataFrame
    out: Path | None
    provider: str
    survey: str
    appended: int = 0


def import_files(
    files: Iterable[str | Path],
    *,
    provider: str,
    survey: str | None = None,
    out: str | Path | None = None,
    append: bool = False,
    force: bool = False,
    skip_unknown: bool = False,
) -> Imported:
    """Read Arvo downloads and write them as one ``answers`` file (CSV, xlsx or parquet by
    ``out``'s suffix); with ``out=None`` only the table is returned.

    Nothing is written unless every file passes. An existing ``out`` is kept unless
    ``append`` (add these answers to it; a respondent already there is refused) or ``force``
    (replace it). ``skip_unknown`` leaves out scale questions the bank does not have (see
    :func:`kit.arvo.read`). The result is checked as an ``answers`` file before it is written.
    """
    from kit import files as kit_files

    files = [Path(f) for f in files]
    if not files:
        raise KitInputError("arvo_no_files")
    if out is not None and any(
        Path(out).resolve() == f.resolve() for f in map(Path, files) if f.exists()
    ):
        raise KitInputError("arvo_out_is_input", parameter="--out", file=paths.relative(Path(out)))
    downloads = tuple(read(f, skip_unknown=skip_unknown) for f in files)
    answers = to_answers(downloads, provider=provider, survey=survey)
    survey_code = (
        str(answers["kyselypohja_tarkenne"].iloc[0])
        if len(answers)
        else check_survey(survey, downloads)
    )
    appended = 0
    target = Path(out) if out is not None else None
    if target is not None and target.exists():
        if append:
            answers, appended = _append(target, answers)
        elif not force:
            raise KitInputError("arvo_out_exists", file=paths.relative(target))
    if target is not None:
        check_answers(answers, target)
        kit_files.write_table(answers, target)
    return Imported(
        downloads=downloads,
        answers=answers,
        out=target,
        provider=check_provider(provider),
        survey=survey_code,
        appended=appended,
    )


def check_answers(answers: pd.DataFrame, target: Path) -> None:
    """Check the table as the ``answers`` kind before it is written (what ``kit validate``
    will say of the file)."""
    from kit import schemas, validation
    from kit.readers import normalise_header

    text = answers.astype("object").where(answers.notna(), "").astype(str)
    text.columns = [normalise_header(c) for c in text.columns]
    text.index = pd.RangeIndex(2, len(text) + 2, name="row")
    validation.validate(
        schemas.KINDS["answers"],
        text,
        {c: c for c in text.columns},
        paths.relative(target),
        questions.lookups(),
    )


def _append(target: Path, answers: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``answers`` after the rows of the answers file ``target`` (checked as ``answers``)."""
    from kit import schemas, validation
    from kit.readers import read_table

    shown = paths.relative(target)
    if target.suffix.lower() == ".parquet":
        old = pd.read_parquet(target).astype("object")
        old = old.where(old.notna(), None).replace({"None": None, "<NA>": None, "nan": None})
        check_answers(old, target)
    else:
        try:
            raw = read_table(target)
        except KitInputError as exc:
            raise exc.with_file(shown) from None
        validation.validate(
            schemas.KINDS["answers"], raw.frame, raw.headers, shown, questions.lookups()
        )
        old = raw.frame.replace({"": pd.NA})
    clash = answers["vastaajatunnus"].isin(set(old["vastaajatunnus"]))
    if clash.any():
        who = answers.loc[clash, "vastaajatunnus"].iloc[0]
        raise KitInputError("arvo_already_in_out", file=shown, value=who)
    merged = pd.concat([old, answers.astype("object")], ignore_index=True)
    order = [*ANSWERS, *[c for c in merged.columns if c not in ANSWERS and c != "lahde"]]
    if "lahde" in merged:
        order.append("lahde")
    return merged[order], len(old)
