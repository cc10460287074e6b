"""Arvo CSV downloads for the tests, written byte for byte as Arvo writes them.

The rules come from the public Arvo code (CSCfi/arvo, ``arvo-virkailija/src/clj/arvo/toimiala/
raportti/csv.clj`` and ``raportti/util.clj``), not from :mod:`kit.arvo`, so that the reader is
tried against the format and not against itself:

* cells separated by ``;``, CRLF after every row (the last one too), UTF-8 with a BOM;
* a cell is quoted only when it holds ``;``, ``"``, CR or LF (clojure-csv's rule); question
  texts and answers have their line breaks and tabs written as spaces and ``;`` as ``,``
  (``replace-control-chars``), background values are written as they are (and so quoted);
* a cell made only of digits and dots has its dots written as commas;
* respondent layout: ``Vastaajatunnus;Vastausaika;Oppilaitos`` (sv ``Svarskod;Svarstid;
  Läroanstalt``, en ``Answer identifier;Response time;Educational institution``; surveys
  other than amispalaute have only the first two), background fields, then one column per
  question headed by its text in the download's language;
* answer layout: the same, then ``Kysymysryhma;Kysymys;Vastaus``, headers that only the Finnish
  translation map has (a Swedish or English download leaves them empty); one row per respondent
  and question, skipped questions included with an empty answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FIXED = {
    "fi": ["Vastaajatunnus", "Vastausaika", "Oppilaitos"],
    "sv": ["Svarskod", "Svarstid", "Läroanstalt"],
    "en": ["Answer identifier", "Response time", "Educational institution"],
}
PER_ANSWER = {"fi": ["Kysymysryhma", "Kysymys", "Vastaus"], "sv": ["", "", ""], "en": ["", "", ""]}
GROUP = {"fi": "Aloitusvaihe", "sv": "Inledningsskedet", "en": "Start"}


@dataclass
class Respondent:
    code: str
    date: str  # yyyy-MM-dd, as Arvo's format-date writes it
    institution: str
    background: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str | None] = field(default_factory=dict)  # question id → "1".."5", "eos"


def _text(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("\t", " ").replace(";", ",")
    if re.fullmatch(r"[0-9.]+", text):
        text = text.replace(".", ",")
    return text


def _cell(value: str) -> str:
    if any(c in value for c in ';"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _write(rows: list[list[str]]) -> bytes:
    body = "".join(";".join(_cell(c) for c in row) + "\r\n" for row in rows)
    return b"\xef\xbb\xbf" + body.encode("utf-8")


def download(
    people: list[Respondent],
    texts: dict[str, str],
    *,
    lang: str = "fi",
    layout: str = "respondent",
    background: list[str] = (),
    headers: dict[str, str] | None = None,
    amispalaute: bool = True,
) -> bytes:
    """The bytes of a download: ``texts`` maps question id → the question text in ``lang``
    (the order is the questionnaire's), ``background`` names the background headers written
    after the fixed ones. ``headers`` overrides a question's header (for broken variants);
    ``amispalaute=False`` (working-life feedback) leaves the institution column out."""
    headers = headers or {}
    qids = list(texts)
    fixed = FIXED[lang] if amispalaute else FIXED[lang][:2]

    def first(p: Respondent) -> list[str]:
        return (
            [p.code, p.date]
            + ([str(p.institution)] if amispalaute else [])
            + [str(p.background.get(b, "")) for b in background]
        )

    if layout == "respondent":
        rows = [fixed + list(background) + [_text(headers.get(q, texts[q])) for q in qids]]
        for p in people:
            rows.append(first(p) + [_text(p.answers.get(q)) for q in qids])
    else:
        rows = [fixed + list(background) + PER_ANSWER[lang]]
        for p in people:
            for q in qids:
                rows.append(
                    first(p)
                    + [GROUP[lang], _text(headers.get(q, texts[q])), _text(p.answers.get(q))]
                )
    return _write(rows)


def save(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
