"""Arvo's CSV downloads, read as Arvo writes them, and turned into the kit's ``answers`` layout.

A quality manager downloads a survey's answers from Arvo (Raportit → CSV). Arvo writes
(CSCfi/arvo, ``arvo-virkailija/src/clj/arvo/toimiala/raportti/csv.clj``): ``;`` between cells,
CRLF after every row, UTF-8, one survey of one provider, headers in the language the user chose,
in one of two layouts:

* **one row per respondent**: ``Vastaajatunnus;Vastausaika;Oppilaitos`` (sv ``Svarskod;Svarstid;
  Läroanstalt``, en ``Answer identifier;Response time;Educational institution``; surveys other
  than amispalaute have only the first two), the background fields the survey reports
  (``Tutkinto;Tutkinnon nimi`` …), then one column per question headed by the question's text;
* **one row per answer** ("vastauksittain"): the same first columns and background fields, then
  ``Kysymysryhma;Kysymys;Vastaus``. Arvo names these three only in Finnish: a Swedish or English
  download leaves their headers empty, and this reader accepts both.

Cells hold ``1``–``5``, ``eos`` or nothing for a skipped question. :func:`read` checks a
download's structure and maps each question to the bank (:mod:`kit.questions`) by its published
wording after folding case, whitespace and punctuation, or by a bank id; :mod:`kit.importer`
turns downloads into the kit's ``answers`` layout. Every problem is one
:class:`~kit.errors.KitInputError` naming the file, row and column.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from kit import paths, periods, questions
from kit.errors import KitInputError
from kit.i18n import t
from kit.readers import Grid, normalise_header, read_grid

#: the first columns of every download, per language: respondent, time, institution
FIXED: dict[str, tuple[str, str, str]] = {
    "fi": ("Vastaajatunnus", "Vastausaika", "Oppilaitos"),
    "sv": ("Svarskod", "Svarstid", "Läroanstalt"),
    "en": ("Answer identifier", "Response time", "Educational institution"),
}
#: the last three columns of a download "vastauksittain" (Arvo leaves them empty in sv and en)
PER_ANSWER: dict[str, tuple[str, str, str]] = {
    "fi": ("Kysymysryhma", "Kysymys", "Vastaus"),
    "sv": ("Frågegrupp", "Fråga", "Svar"),
    "en": ("Question group", "Question", "Answer"),
}
#: background fields as Arvo heads them in fi, sv and en (normalised), under the kit's name
BACKGROUND: dict[str, tuple[str, ...]] = {
    # the working-life surveys' sv and en downloads head the code column "sv" and "en"
    # (CSCfi/arvo migrations/20210224113000-tyoelamapalaute.up.sql)
    "tutkinto": ("tutkinto", "tutkintotunnus", "examen", "degree", "qualification", "sv", "en"),
    "tutkinto_selite": (
        "tutkinnon_nimi",
        "namn_pa_examen",
        "name_of_degree",
        "name_of_qualification",
    ),
    "tutkinnon_osa": ("tutkinnon_osa", "examensdel", "qualification_units", "qualification_unit"),
    "tutkinnon_osa_selite": (
        "tutkinnon_osan_nimi",
        "namn_pa_examensdel",
        "name_of_the_qualification_unit",
    ),
    "suorituskieli": ("suorituskieli", "examenssprak", "language_of_degree", "kieli"),
    "toimipiste": ("toimipiste", "verksamhetsstalle", "operational_unit"),
    "toimipiste_selite": (
        "toimipisteen_nimi",
        "namn_pa_verksamhetsstalle",
        "name_of_operational_unit",
    ),
    "hankintakoulutuksen_toteuttaja": ("hankintakoulutuksen_toteuttaja",),
    "hankintakoulutuksen_toteuttaja_selite": (
        "hankintakoulutuksen_toteuttajan_nimi",
        "namn_pa_anordnaren_av_anskaffad_utbildning",
        "name_of_provider_procured_training",
    ),
    "koulutustoimija": (
        "koulutustoimija",
        "koulutuksen_jarjestaja",
        "utbildningsaktor",
        "utbildningsanordnare",
        "education_provider",
        "y_tunnus",
        "ytunnus",
    ),
    "koulutustoimija_selite": (
        "koulutustoimijan_nimi",
        "namn_pa_utbildningsaktor",
        "name_of_education_provider",
    ),
    "koulutusala": ("koulutusala", "utbildningsomrade", "field_of_education"),
    "koulutusmuoto": ("koulutusmuoto", "utbildningsform", "form_of_education"),
    "tyopaikkajakson_alkupvm": (
        "tyopaikkajakson_alkupvm",
        "tyoelamassa_oppimisen_alkupvm",
        "startdatum_for_larande_i_arbetslivet",
        "work_based_learning_start_date",
    ),
    "tyopaikkajakson_loppupvm": (
        "tyopaikkajakson_loppupvm",
        "tyoelamassa_oppimisen_loppupvm",
        "slutdatum_for_larande_i_arbetslivet",
        "work_based_learning_end_date",
    ),
    "tyopaikkajakson_kesto": (
        "tyopaikkajakson_kesto",
        "tyopaikkajakson_kesto_pv",
        "tyopaikkajakson_kesto_paivaa",
        "arbetsplatsperiodens_langd",
        "work_period_duration",
        "duration_of_work_period",
        "work_period_duration_days",
    ),
    "sopimustyyppi": ("sopimustyyppi", "avtalstyp", "contract_type"),
    "osaamisala": ("osaamisala", "kompetensomrade", "competence_area"),
    "tutkintonimike": ("tutkintonimike", "examensbenamning", "qualification_title"),
    "tyonantaja": ("tyonantaja", "arbetsgivare", "employer"),
    "tyopaikka": ("tyopaikka", "arbetsplats", "workplace"),
}
#: background fields the import leaves out: a person's name is never needed for feedback
LEFT_OUT: dict[str, tuple[str, ...]] = {
    "opiskelijan_nimi": (
        "opiskelijan_nimi",
        "studerandens_namn",
        "studentens_namn",
        "student_name",
        "name_of_student",
        "name_of_the_student",
    ),
}
_PERSON = (
    "opiskelij",
    "student",
    "studerand",
    "vastaaj",
    "svarand",
    "respondent",
    "ohjaaj",
    "handledar",
    "instructor",
)
_NAME = ("nimi", "namn", "name")


def _names_a_person(name: str) -> bool:
    """A header such as ``Opiskelijan nimi`` / ``Studentens namn`` / ``Name of the student``:
    a person's name, which no feedback analysis needs."""
    return name in _LEFT_OUT_OF or (
        any(p in name for p in _PERSON) and any(n in name.split("_") for n in _NAME)
    )


SCALE = ("1", "2", "3", "4", "5", "eos")
LAYOUTS = ("respondent", "answer")
SIMILAR = 0.6  # a header this close to a bank text is a question, even before the first one


@dataclass(frozen=True)
class Download:
    """One Arvo download, checked: its language, layout, questionnaire and answers.

    ``answers`` has one row per respondent and question, skipped questions included (with an
    empty ``numerovalinta``): ``row`` (the file row), ``vastaajatunnus``, ``vastausaika`` (ISO
    date), ``kysymysid``, ``numerovalinta`` and the background fields under their kit names
    (``oppilaitos``, ``tutkinto``, ``tyopaikkajakson_kesto`` …). ``columns`` maps each question
    id to its column header as the file writes it.
    """

    path: Path
    lang: str
    layout: str
    kysely: str | None  # None when no question of the file is known
    answers: pd.DataFrame
    columns: dict[str, str] = field(default_factory=dict)
    background: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    fmt: dict = field(default_factory=dict)
    header: tuple[str, ...] = ()  # the header row as the file writes it
    #: questions left out: not on the 1–5 scale (free text, yes/no, choices), or, when asked
    #: to skip them, scale questions the bank does not have
    skipped: tuple[str, ...] = ()
    #: respondents who answered no scale question at all (they have no answer rows)
    without_answers: int = 0

    @property
    def respondents(self) -> int:
        """How many respondents the download holds."""
        return int(self.answers["vastaajatunnus"].nunique())

    @property
    def answered(self) -> int:
        """How many answers (not skipped) it holds."""
        return int(self.answers["numerovalinta"].notna().sum())

    def periods(self) -> list[str]:
        """The funding periods of its answers."""
        dates = pd.to_datetime(self.answers["vastausaika"].drop_duplicates())
        return sorted(periods.of_dates(dates).unique())


# --- recognising a download ---------------------------------------------------------------------

_FIXED_NORM = {lang: tuple(normalise_header(h) for h in heads) for lang, heads in FIXED.items()}
_PER_ANSWER_NORM = {
    lang: tuple(normalise_header(h) for h in heads) for lang, heads in PER_ANSWER.items()
}
_BACKGROUND_OF = {h: name for name, heads in BACKGROUND.items() for h in heads}
_LEFT_OUT_OF = {h: name for name, heads in LEFT_OUT.items() for h in heads}
_SPELLINGS = {"en osaa sanoa", "vet inte", "i can't say", "kan inte säga"}


def header_of(grid: Grid) -> tuple[int, str] | None:
    """Where a download's header is (index into ``grid.records``) and its language, or None
    when ``grid`` is no Arvo download. The header is the record that starts with the respondent
    and time columns of one language, within the first lines (Arvo writes it first; a title line
    someone added above it is skipped). The kit's own
    ``answers`` layout starts the same way but names ``kysymysid`` and ``numerovalinta``: it is
    no download."""
    for i, (_row, cells) in enumerate(grid.records[:5]):
        first = [normalise_header(c) for c in cells[:2]]
        for lang, fixed in _FIXED_NORM.items():
            if first == list(fixed[:2]):
                if {"kysymysid", "numerovalinta"} <= {normalise_header(c) for c in cells}:
                    return None
                return i, lang
    return None


def is_download(grid: Grid) -> bool:
    """Whether ``grid`` is an Arvo download."""
    return header_of(grid) is not None


# --- question texts -----------------------------------------------------------------------------


def fold(text: object) -> str:
    """A question text for matching: case, accents' composition, whitespace and punctuation
    folded (``"Sain riittävästi tietoa  opinnoista."`` → ``"sain riittävästi tietoa
    opinnoista"``). Arvo writes ``;`` as ``,`` and line breaks as spaces, so both vanish too."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


@cache
def _bank_texts() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Folded text or id → question id, and question id → (kysely, Finnish text)."""
    bank = questions.question_bank()
    by_text: dict[str, str] = {}
    for lang in ("fi", "sv", "en"):
        for qid, text in zip(bank["id"], bank[f"text_{lang}"]):
            by_text.setdefault(fold(text), qid)
    for qid in bank["id"]:
        by_text[fold(qid)] = qid
    info = {qid: (k, text) for qid, k, text in zip(bank["id"], bank["kysely"], bank["text_fi"])}
    return by_text, info


def question_id(text: object) -> str | None:
    """The bank id a header or ``Kysymys`` cell names (by wording or by id), else None."""
    return _bank_texts()[0].get(fold(text))


def closest(
    text: object, lang: str | None = None, count: int = 3, *, kysely: str | None = None
) -> list[str]:
    """The bank texts closest to ``text`` (of questionnaire ``kysely`` where known), as
    ``"A01 Pääsin aloittamaan…"``: for messages."""
    bank = questions.question_bank()
    if kysely is not None:
        bank = bank[bank["kysely"] == kysely]
    column = f"text_{lang or 'fi'}"
    folded = {fold(t): (qid, t) for qid, t in zip(bank["id"], bank[column])}
    found = difflib.get_close_matches(fold(text), list(folded), n=count, cutoff=0.0)
    return [f"{folded[f][0]} {folded[f][1]}" for f in found]


def _similar(text: str) -> bool:
    by_text = _bank_texts()[0]
    return bool(difflib.get_close_matches(fold(text), list(by_text), n=1, cutoff=SIMILAR))


def _unknown_question(file: str, row: int, column: str, text: str, lang: str) -> KitInputError:
    near = closest(text, lang)
    return KitInputError(
        "arvo_unknown_question",
        file=file,
        row=row,
        column=column,
        value=_short(text),
        closest=" | ".join(f'"{_short(n)}"' for n in near),
    )


def _short(text: str, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- reading ------------------------------------------------------------------------------------


def read(path: str | Path, *, skip_unknown: bool = False) -> Download:
    """Read and check one Arvo download (either layout, fi/sv/en).

    Raises :class:`KitInputError` naming the file, row and column for: no respondent column, an
    unknown question, a question twice, an answer outside the scale, an unreadable date, a
    respondent twice, questions of two surveys, or two providers in one file.

    Columns that are no scale questions (free text, yes/no, multiple choice) are left out and
    listed (:attr:`Download.skipped`). A scale question the bank does not have is refused with
    the closest bank texts, unless ``skip_unknown``: then it is left out and listed too.
    """
    path = Path(path)
    shown = paths.relative(path)
    try:
        grid = read_grid(path)
    except KitInputError as exc:
        raise exc.with_file(shown) from None
    return from_grid(grid, shown, skip_unknown=skip_unknown)


def looks_like(grid: Grid) -> bool:
    """Whether ``grid`` looks like an Arvo download even if its respondent column is missing:
    a fixed header of some language, or a header that is a bank question's text."""
    for _row, cells in grid.records[:3]:
        norm = {normalise_header(c) for c in cells}
        if norm & {h for fixed in _FIXED_NORM.values() for h in fixed}:
            return True
        if sum(1 for c in cells if c.strip() and question_id(c) is not None) >= 2:
            return True
    return False


def from_grid(grid: Grid, shown: str | None = None, *, skip_unknown: bool = False) -> Download:
    """:func:`read` for a file already read into a :class:`~kit.readers.Grid`."""
    shown = shown or paths.relative(grid.path)
    found = header_of(grid)
    if found is None:
        raise KitInputError(
            "arvo_no_respondent",
            file=shown,
            row=grid.records[0][0] if grid.records else 1,
            column=FIXED["fi"][0],
            headers=" / ".join(";".join(h[:2]) for h in FIXED.values()),
        )
    at, lang = found
    header_row, header = grid.records[at][0], [c.strip() for c in grid.records[at][1]]
    body = grid.records[at + 1 :]
    if not body:
        raise KitInputError("header_only", file=shown)
    width = len(header)
    for number, cells in body:
        if len(cells) != width and any(c.strip() for c in cells[width:]) or len(cells) < width:
            raise KitInputError(
                "ragged_row", file=shown, row=number, found=len(cells), expected=width
            )
    cells = pd.DataFrame([c[:width] for _n, c in body], dtype="str").apply(
        lambda col: col.str.strip()
    )
    cells.index = pd.Index([n for n, _c in body], name="row")
    while width > 2 and not header[width - 1] and (cells[width - 1] == "").all():
        width -= 1  # an empty column on the right (a spreadsheet's): no part of the layout
    header = header[:width]
    cells = cells[list(range(width))]
    norm = [normalise_header(h) for h in header]
    tail = [n for n in norm[-3:]]
    per_answer = width >= 5 and (
        tail == ["", "", ""] or tail in map(list, _PER_ANSWER_NORM.values())
    )
    layout = "answer" if per_answer else "respondent"
    ctx = _Context(shown, lang, header_row, header)
    ends = width - 3 if per_answer else width
    background, left_out, questions_at, unknown, skipped = _columns(
        ctx, norm, ends, per_answer, cells
    )
    if per_answer:
        long, unknown_rows, skipped_texts = _long_from_answer_rows(ctx, cells, background, width)
        skipped += skipped_texts
    else:
        unknown_rows = []
        if not questions_at and not unknown:
            raise KitInputError("arvo_no_questions", file=shown, row=header_row)
        long = (
            _long_from_respondent_rows(ctx, cells, background, questions_at)
            if questions_at
            else pd.DataFrame()
        )
    if long.empty and not (unknown or unknown_rows):
        raise KitInputError("arvo_no_questions", file=shown, row=header_row)
    kysely = _one_kysely(ctx, long) if not long.empty else None
    if unknown or unknown_rows:
        if not skip_unknown:
            row, column, text = (unknown_rows or [(header_row, *unknown[0])])[0]
            near = closest(text, lang, kysely=kysely)
            raise KitInputError(
                "arvo_unknown_question",
                file=shown,
                row=row,
                column=_short(column, 50),
                value=_short(text),
                closest=" | ".join(f'"{_short(n)}"' for n in near),
            )
        skipped += [text for _r, _c, text in unknown_rows] + [text for _c, text in unknown]
    if long.empty:
        raise KitInputError("arvo_no_questions", file=shown, row=header_row)
    _check_kesto(ctx, long, background)
    _check_dates(ctx, long)
    _one_provider(ctx, long, background)
    columns = (
        {qid: header[i] for i, qid in questions_at}
        if not per_answer
        else {q: q for q in long["kysymysid"].unique()}
    )
    fmt = dict(grid.fmt, layout=layout, lang=lang)
    answered = long.dropna(subset=["numerovalinta"])["vastaajatunnus"].nunique()
    return Download(
        path=grid.path,
        lang=lang,
        layout=layout,
        kysely=kysely,
        answers=long,
        columns=columns,
        background=tuple(background.values()),
        left_out=tuple(left_out),
        fmt=fmt,
        header=tuple(header),
        skipped=tuple(dict.fromkeys(skipped)),
        without_answers=int(long["vastaajatunnus"].nunique() - answered),
    )


@dataclass(frozen=True)
class _Context:
    file: str
    lang: str
    header_row: int
    header: list[str]


def _scale_like(values: pd.Series) -> bool:
    """Whether a column's values are all answers on the 1–5 scale (or eos, or empty)."""
    found = set(values.str.lower().unique()) - {""}
    return found <= set(SCALE) | _SPELLINGS | {f"{v}.0" for v in "12345"} | {
        f"{v},0" for v in "12345"
    }


def _columns(
    ctx: _Context, norm: list[str], ends: int, per_answer: bool, cells: pd.DataFrame
) -> tuple[dict[int, str], list[str], list[tuple[int, str]], list[tuple[str, str]], list[str]]:
    """Sort the columns after the first two: background (index → kit name), left out (a
    person's name), questions ((index, question id), respondent layout), unknown scale
    questions ((header, text)) and skipped questions (headers of columns that hold no scale
    answers)."""
    background: dict[int, str] = {}
    left_out: list[str] = []
    questions_at: list[tuple[int, str]] = []
    unknown: list[tuple[str, str]] = []
    skipped: list[str] = []
    seen_q: dict[str, int] = {}
    institution = {fixed[2] for fixed in _FIXED_NORM.values()}
    for i in range(2, ends):
        head, name = ctx.header[i], norm[i]
        if not name:
            if per_answer or questions_at:
                raise KitInputError("empty_column_name", file=ctx.file, row=ctx.header_row)
            continue
        if i == 2 and name in institution:
            background[i] = "oppilaitos"
            continue
        if _names_a_person(name):
            left_out.append(head)
            continue
        if (
            name in _BACKGROUND_OF
            and _BACKGROUND_OF[name] not in background.values()
            and not questions_at
        ):
            background[i] = _BACKGROUND_OF[name]
            continue
        qid = None if per_answer else question_id(head)
        if qid is not None:
            if qid in seen_q:
                raise KitInputError(
                    "arvo_question_twice",
                    file=ctx.file,
                    row=ctx.header_row,
                    column=_short(head, 50),
                    first=_short(ctx.header[seen_q[qid]]),
                    id=qid,
                )
            seen_q[qid] = i
            questions_at.append((i, qid))
            continue
        if per_answer:
            raise _unknown_question(ctx.file, ctx.header_row, head, head, ctx.lang)
        if questions_at or _similar(head):
            # after the first question every column is a question; a header close to a bank
            # text is one too. One without scale answers is free text or a choice: left out
            if _scale_like(cells[i]):
                unknown.append((head, head))
            else:
                skipped.append(head)
            continue
        if name in background.values():
            raise KitInputError("duplicate_column", file=ctx.file, column=head)
        background[i] = name  # a background field the kit does not know: kept as it is
    return background, left_out, questions_at, unknown, skipped


def _frame_of(cells: pd.DataFrame, background: dict[int, str]) -> pd.DataFrame:
    out = pd.DataFrame({"vastaajatunnus": cells[0], "vastausaika": cells[1]}, index=cells.index)
    for i, name in background.items():
        out[name] = cells[i].mask(cells[i] == "")
    return out


def _check_respondents(ctx: _Context, people: pd.DataFrame, per_question: bool) -> None:
    missing = people["vastaajatunnus"] == ""
    if missing.any():
        raise KitInputError(
            "missing_value", file=ctx.file, row=int(people.index[missing][0]), column=ctx.header[0]
        )
    keys = ["vastaajatunnus", "kysymysid"] if per_question else ["vastaajatunnus"]
    dup = people.duplicated(keys, keep="first")
    if dup.any():
        row = int(people.index[dup][0])
        first = people.reset_index().groupby(keys, sort=False)["row"].transform("min")
        first.index = people.index
        if per_question:
            raise KitInputError(
                "arvo_answer_twice",
                file=ctx.file,
                row=row,
                column=ctx.header[0],
                value=people.at[row, "vastaajatunnus"],
                question=people.at[row, "kysymysid"],
                first=int(first.at[row]),
            )
        raise KitInputError(
            "arvo_respondent_twice",
            file=ctx.file,
            row=row,
            column=ctx.header[0],
            value=people.at[row, "vastaajatunnus"],
            first=int(first.at[row]),
        )


def _scale(values: pd.Series) -> pd.Series:
    """Scale answers in Arvo's spelling → ``1``…``5``, ``eos`` or missing (empty: skipped)."""
    s = values.str.lower().str.replace(r"^([1-5])[.,]0+$", r"\1", regex=True)
    s = s.replace({"en osaa sanoa": "eos", "vet inte": "eos", "i can't say": "eos"})
    return s.mask(s == "")


def _outside_scale(ctx: _Context, value: str, row: int, column: str) -> KitInputError:
    return KitInputError(
        "arvo_scale", file=ctx.file, row=row, column=_short(column, 50), value=value
    )


def _long_from_respondent_rows(
    ctx: _Context,
    cells: pd.DataFrame,
    background: dict[int, str],
    questions_at: list[tuple[int, str]],
) -> pd.DataFrame:
    people = _frame_of(cells, background)
    _check_respondents(ctx, people, per_question=False)
    idx = [i for i, _q in questions_at]
    qids = [q for _i, q in questions_at]
    wide = cells[idx].apply(_scale)
    bad = wide.notna() & ~wide.isin(SCALE)
    if bad.to_numpy().any():  # the first bad cell in reading order: row, then column
        r, c = (int(x[0]) for x in bad.to_numpy().nonzero())
        raise _outside_scale(ctx, cells.iloc[r, idx[c]], int(cells.index[r]), ctx.header[idx[c]])
    wide.columns = qids
    long = wide.stack(future_stack=True).rename("numerovalinta").reset_index()
    long.columns = ["row", "kysymysid", "numerovalinta"]
    long = long.merge(people.reset_index(), on="row", how="left")
    return long[
        ["row", "vastaajatunnus", "vastausaika", "kysymysid", "numerovalinta", *background.values()]
    ]


def _long_from_answer_rows(
    ctx: _Context, cells: pd.DataFrame, background: dict[int, str], width: int
) -> tuple[pd.DataFrame, list[tuple[int, str, str]], list[str]]:
    """The answer rows (known questions), the unknown scale questions ((row, column, text))
    and the texts of questions without scale answers (left out)."""
    people = _frame_of(cells, background)
    q_col, v_col = width - 2, width - 1
    # Arvo leaves these headers empty in sv and en: name them by place and meaning
    q_head = ctx.header[q_col] or f"{q_col + 1}. ({PER_ANSWER[ctx.lang][1]})"
    v_head = ctx.header[v_col] or f"{v_col + 1}. ({PER_ANSWER[ctx.lang][2]})"
    texts = cells[q_col]
    ids = texts.map(lambda text: question_id(text) if text else None)
    unknown_rows: list[tuple[int, str, str]] = []
    skipped: list[str] = []
    for text, rows in cells[ids.isna()].groupby(q_col, sort=False):
        if _scale_like(rows[v_col]) and text:
            unknown_rows.append((int(rows.index[0]), q_head, str(text)))
        else:
            skipped.append(str(text))
    keep = ids.notna()
    people = people[keep]
    people["kysymysid"] = ids[keep]
    _check_respondents(ctx, people, per_question=True)
    values = _scale(cells.loc[keep, v_col])
    bad = values.notna() & ~values.isin(SCALE)
    if bad.any():
        row = int(values.index[bad][0])
        raise _outside_scale(ctx, cells.at[row, v_col], row, v_head)
    people["numerovalinta"] = values
    long = people.reset_index()
    return (
        long[
            [
                "row",
                "vastaajatunnus",
                "vastausaika",
                "kysymysid",
                "numerovalinta",
                *background.values(),
            ]
        ],
        unknown_rows,
        skipped,
    )


def _check_kesto(ctx: _Context, long: pd.DataFrame, background: dict[int, str]) -> None:
    """The work period's duration is a whole number of days ≥ 0 (Arvo may write ``45,0``)."""
    if "tyopaikkajakson_kesto" not in long:
        return
    raw = long["tyopaikkajakson_kesto"]
    clean = raw.str.replace(r"^([0-9]+)([.,]0+)?$", r"\1", regex=True)
    bad = raw.notna() & ~clean.str.fullmatch(r"[0-9]+").fillna(False)
    if bad.any():
        at = int(bad.to_numpy().nonzero()[0][0])
        column = ctx.header[next(i for i, n in background.items() if n == "tyopaikkajakson_kesto")]
        raise KitInputError(
            "arvo_bad_duration",
            file=ctx.file,
            row=int(long["row"].iloc[at]),
            column=column,
            value=raw.iloc[at],
        )
    long["tyopaikkajakson_kesto"] = clean


def _one_kysely(ctx: _Context, long: pd.DataFrame) -> str:
    info = _bank_texts()[1]
    kysely = long["kysymysid"].map(lambda q: info[q][0])
    first = kysely.iloc[0]
    other = kysely != first
    if other.any():
        at = int(other.to_numpy().nonzero()[0][0])
        qid = long["kysymysid"].iloc[at]
        return _raise_mixed(ctx, long, at, qid, first, kysely.iloc[at])
    return str(first)


def _raise_mixed(
    ctx: _Context, long: pd.DataFrame, at: int, qid: str, first: str, second: str
) -> str:
    column = next((h for h in ctx.header if question_id(h) == qid), PER_ANSWER["fi"][1])
    row = ctx.header_row if column != PER_ANSWER["fi"][1] else int(long["row"].iloc[at])
    raise KitInputError(
        "arvo_mixed_surveys",
        file=ctx.file,
        row=row,
        column=_short(column, 50),
        first=t(f"kysely.{first}"),
        second=t(f"kysely.{second}"),
    )


def _check_dates(ctx: _Context, long: pd.DataFrame) -> None:
    from kit.validation import _normalise_date

    raw = long["vastausaika"]
    iso = _normalise_date(raw.mask(raw == ""))
    dates = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    bad = dates.isna()
    if bad.any():
        at = int(bad.to_numpy().nonzero()[0][0])
        reason = "missing_value" if raw.iloc[at] == "" else "bad_date"
        raise KitInputError(
            reason,
            file=ctx.file,
            row=int(long["row"].iloc[at]),
            column=ctx.header[1],
            value=raw.iloc[at],
        )
    tomorrow = pd.Timestamp.today().normalize() + pd.Timedelta(days=1)
    future = dates > tomorrow
    if future.any():
        at = int(future.to_numpy().nonzero()[0][0])
        raise KitInputError(
            "future_date",
            file=ctx.file,
            row=int(long["row"].iloc[at]),
            column=ctx.header[1],
            value=raw.iloc[at],
        )
    long["vastausaika"] = dates.dt.strftime("%Y-%m-%d")


def _one_provider(ctx: _Context, long: pd.DataFrame, background: dict[int, str]) -> None:
    """A download holds one provider: a provider column with two values is refused."""
    if "koulutustoimija" not in long:
        return
    values = long["koulutustoimija"].dropna()
    if values.nunique() > 1:
        at = int((values != values.iloc[0]).to_numpy().nonzero()[0][0])
        column = ctx.header[next(i for i, n in background.items() if n == "koulutustoimija")]
        raise KitInputError(
            "arvo_two_providers",
            file=ctx.file,
            row=int(long.loc[values.index[at], "row"]),
            column=column,
            first=values.iloc[0],
            value=values.iloc[at],
        )
