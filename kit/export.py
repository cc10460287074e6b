"""Protected tables for Power BI and Excel, as a star schema.

=====================  =========================================================================
table                  content
=====================  =========================================================================
``feedback`` (fact)    one row per provider × period × survey × question × qualification: answer
                       counts ``n_1``…``n_5``, ``n_eos``, respondents ``n`` and ``mean``, all
                       empty where the privacy rule hides the group (``respondents_label`` says
                       why: "1-4" or the hidden label)
``response`` (fact)    one row per provider × period × survey: targeted, answered, response rate
                       and correction factor (student surveys), protected the same way
``provider``           Y-tunnus, name, partner id (empty outside the network)
``period``             funding period, first and last day, funding year, formula
``survey``             survey code, questionnaire, family, names in fi/sv/en
``question``           question id, questionnaire, theme, texts in fi/sv/en, funding flag
``qualification``      official qualification code, the kit's short id, names in fi/sv/en, cost group
``dictionary``         every table and column with a description in fi/sv/en
``about``              the data's label (real or synthetic), source, threshold, kit version
=====================  =========================================================================

Join the facts to the dimensions on ``y_tunnus``, ``period``, ``survey``, ``question_id`` and
``qualification``. Formats: Parquet (one file per table; Power BI reads them directly), CSV
(UTF-8 with BOM so that Excel reads the letters right) or one ``.xlsx`` workbook with a sheet
per table. Every file is written to a temporary name and renamed when complete.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kit import (
    __version__,
    datasets,
    feedback,
    files,
    funding,
    partners,
    periods,
    privacy,
    qualifications,
    questions,
)
from kit.errors import KitInputError
from kit.i18n import LANGS, t
from kit.parts import REGISTERED, resolve
from kit.surveys import SURVEYS

FORMATS = ("parquet", "csv", "xlsx")
TABLES = (
    "feedback",
    "response",
    "provider",
    "period",
    "survey",
    "question",
    "qualification",
    "dictionary",
    "about",
)


def tables(data: datasets.Dataset, partner: str | None = None) -> dict[str, pd.DataFrame]:
    """The star schema of ``data`` (only ``partner``'s providers in the facts when given)."""
    wanted = partners.y_tunnukset(partner) if partner else None
    select = {"y_tunnus": wanted} if wanted else None
    fb = feedback.summary(data.feedback, feedback.KEYS, select)
    fb = fb.rename(columns={"respondents": "n"})
    fact = fb[[*feedback.KEYS, *feedback.COUNTS, "n", "mean", "respondents_label", "suppressed"]]
    fact = fact.astype({c: "Int64" for c in [*feedback.COUNTS, "n"]})
    resp = funding.rates(data.response) if len(data.response) else None
    response_fact = _response_fact(data, resp, wanted)
    used = set(fact["y_tunnus"]) | set(response_fact["y_tunnus"])
    out = {
        "feedback": fact.reset_index(drop=True),
        "response": response_fact,
        "provider": _providers(data, used),
        "period": _periods(sorted(set(fact["period"]) | set(response_fact["period"]))),
        "survey": _surveys(),
        "question": _questions(),
        "qualification": _qualifications(sorted(set(fact["qualification"]))),
    }
    for target in REGISTERED.exports:  # each workshop's own facts and dimensions
        out.update(resolve(target)(data, partner) or {})
    out["about"] = pd.DataFrame(
        [
            {
                "label_fi": data.label("fi"),
                "label_sv": data.label("sv"),
                "label_en": data.label("en"),
                "synthetic": data.synthetic,
                "dataset": data.name,
                "partner": partner or "",
                "privacy_threshold": privacy.threshold(),
                "kit_version": __version__,
                "exported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        ]
    )
    out["dictionary"] = dictionary(out)
    return out


def _response_fact(
    data: datasets.Dataset, resp: pd.DataFrame | None, wanted: list[str] | None
) -> pd.DataFrame:
    cols = [
        "y_tunnus",
        "period",
        "survey",
        "targeted",
        "answered",
        "response_rate",
        "correction_factor",
        "respondents_label",
        "suppressed",
    ]
    if resp is None:
        return pd.DataFrame(columns=cols)
    if wanted:
        resp = resp[resp["y_tunnus"].isin(wanted)]
    return resp[cols].reset_index(drop=True)


def _providers(data: datasets.Dataset, used: set[str]) -> pd.DataFrame:
    table = data.providers[data.providers["y_tunnus"].isin(used)].copy()
    table["partner_id"] = table["y_tunnus"].map(lambda y: partners.id_of(y) or "")
    return table.rename(columns={"provider_name": "name"}).reset_index(drop=True)


def _periods(labels: list[str]) -> pd.DataFrame:
    rows = []
    for p in labels:
        first, last = periods.bounds(p)
        rows.append(
            {
                "period": p,
                "first_day": first,
                "last_day": last,
                "funding_year": periods.funding_year(p),
                "formula": funding.formula(p).label("en") if periods.start_year(p) >= 2018 else "",
            }
        )
    return pd.DataFrame(
        rows, columns=["period", "first_day", "last_day", "funding_year", "formula"]
    )


def _surveys() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "survey": s.code,
                "kysely": s.kysely,
                "family": s.family,
                **{f"name_{lang}": t(f"survey.{s.code}", lang) for lang in LANGS},
            }
            for s in SURVEYS.values()
        ]
    )


def _questions() -> pd.DataFrame:
    bank = questions.question_bank().rename(columns={"id": "question_id"})
    return bank.reset_index(drop=True)


def _qualifications(used: list[str]) -> pd.DataFrame:
    table = qualifications.table().rename(columns={"code": "qualification", "id": "short_id"})
    extra = [q for q in used if q not in set(table["qualification"])]
    if extra:  # codes the kit has no names for: named by their code
        table = pd.concat(
            [
                table,
                pd.DataFrame(
                    {
                        "qualification": extra,
                        **{f"name_{lang}": extra for lang in ("fi", "sv", "en")},
                    }
                ),
            ],
            ignore_index=True,
        )
    return table.reset_index(drop=True)


def dictionary(schema: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per table and column: ``table, column, type, description_fi/sv/en``."""
    rows = [
        {
            "table": name,
            "column": "",
            "type": "table",
            **{f"description_{lang}": t(f"export.table.{name}", lang) for lang in LANGS},
        }
        for name in [*TABLES, *[n for n in schema if n not in TABLES]]
    ]
    for name, frame in schema.items():
        for column in frame.columns:
            key = f"export.col.{column}"
            rows.append(
                {
                    "table": name,
                    "column": column,
                    "type": str(frame[column].dtype),
                    **{f"description_{lang}": t(key, lang) for lang in LANGS},
                }
            )
    return pd.DataFrame(rows)


def write(schema: dict[str, pd.DataFrame], out: str | Path, fmt: str = "parquet") -> list[Path]:
    """Write the tables to folder ``out`` in ``fmt``; returns the files written."""
    if fmt not in FORMATS:
        raise KitInputError(
            "unknown_value", parameter="--format", value=fmt, valid=", ".join(FORMATS)
        )
    folder = Path(out)
    if fmt == "xlsx":
        target = folder / "feedback_star_schema.xlsx"
        with files.atomic(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in schema.items():
                _for_excel(frame).to_excel(writer, sheet_name=name, index=False)
        return [target]
    return [files.write_table(frame, folder / f"{name}.{fmt}") for name, frame in schema.items()]


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel cannot hold pandas' missing markers in every dtype: make them empty cells."""
    out = frame.copy()
    for c in out.columns:
        if str(out[c].dtype) in ("Int64", "Float64", "boolean"):
            out[c] = out[c].astype("object").where(out[c].notna(), None)
    return out
