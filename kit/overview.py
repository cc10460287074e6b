"""A first look at a data set: who answered when, and what the privacy rule hides.

Used by ``kit demo`` and the start notebook (``notebooks/<lang>/00_start_here.ipynb``): plain functions returning protected
tables, so the command line, the notebook and the tests see the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kit import feedback, numbers, partners, privacy
from kit.datasets import Dataset
from kit.i18n import t
from kit.surveys import STUDENT_SURVEYS, SURVEYS, WORKLIFE_SURVEYS

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def provider_names(data: Dataset, lang: str | None = None) -> pd.Series:
    """Display names by Y-tunnus: the partner's short name where there is one."""
    names = data.providers.set_index("y_tunnus")["provider_name"].copy()
    for y in names.index:
        pid = partners.id_of(y)
        if pid is not None:
            names[y] = partners.display_name(pid, lang)
    return names


def _partner_first(y_tunnus: str) -> tuple[int, str]:
    """Sort key: the partners in registry order, then everyone else by Y-tunnus."""
    order = partners.registry()["y_tunnus"].tolist()
    return (order.index(y_tunnus), "") if y_tunnus in order else (len(order), y_tunnus)


def respondents_table(
    data: Dataset, family: str = "opiskelijapalaute", lang: str | None = None
) -> pd.DataFrame:
    """Respondents per provider and survey (rows) and funding period (columns), as they may
    be shown."""
    surveys = STUDENT_SURVEYS if family == "opiskelijapalaute" else WORKLIFE_SURVEYS
    table = data.feedback_summary(
        by=["y_tunnus", "survey", "period"], select={"survey": list(surveys)}, lang=lang
    )
    wide = table.pivot(
        index=["y_tunnus", "survey"], columns="period", values="respondents_label"
    ).fillna("–")
    order = sorted(wide.index, key=lambda key: (_partner_first(key[0]), surveys.index(key[1])))
    wide = wide.loc[order]
    names = provider_names(data, lang)
    wide.index = pd.MultiIndex.from_tuples(
        [(names[y], t(f"survey.{s}", lang)) for y, s in wide.index],
        names=[t("overview.provider", lang), t("overview.survey", lang)],
    )
    wide.columns.name = None
    return wide.reset_index()


def response_rates(
    data: Dataset,
    period: str,
    lang: str | None = None,
    *,
    only: list[str] | None = None,
    total: str | None = None,
) -> pd.DataFrame:
    """Targeted, answered and response rate per provider and survey in ``period`` (protected).

    ``only`` keeps some providers (Y-tunnus) after protection over all of them; ``total`` adds,
    under that name, the rows for all providers of ``data`` together.
    """
    table = data.response_summary(by=["y_tunnus", "survey"], select={"period": period}, lang=lang)
    if only is not None:
        table = table[table["y_tunnus"].isin(only)]
    order = {y: i for i, y in enumerate(only or [])}
    survey_order = {s: i for i, s in enumerate(SURVEYS)}
    table = table.assign(
        _order=table["y_tunnus"].map(order), _survey=table["survey"].map(survey_order)
    )
    table = table.sort_values(["_order", "y_tunnus", "_survey"], kind="stable")
    names = provider_names(data, lang)
    if total is not None:
        whole = data.response_summary(by=["survey"], select={"period": period}, lang=lang)
        whole = whole.assign(_survey=whole["survey"].map(survey_order)).sort_values("_survey")
        table = pd.concat([table, whole.assign(y_tunnus=total)], ignore_index=True)
        names[total] = total
    return pd.DataFrame(
        {
            t("overview.provider", lang): table["y_tunnus"].map(names),
            t("overview.survey", lang): table["survey"].map(lambda s: t(f"survey.{s}", lang)),
            t("overview.targeted", lang): table["targeted"],
            t("overview.answered", lang): table["respondents_label"],
            t("overview.rate", lang): table["response_rate"].map(
                lambda r: numbers.percent(r, 0, lang)
            ),
        }
    )


def participation(data: Dataset, period: str, only: list[str] | None = None) -> dict[str, object]:
    """Participation in ``period`` over every survey, as published (counts are not results):
    ``answered`` of ``targeted`` together, their ``rate``, and the lowest and highest
    provider's rate (``low``, ``high``) among ``only`` (Y-tunnus; default: every provider)."""
    table = data.response_summary(by=["y_tunnus"], select={"period": period})
    if only is not None:
        table = table[table["y_tunnus"].isin(only)]
    targeted, answered = int(table["targeted"].sum()), int(table["answered"].sum())
    rates = table["response_rate"].dropna()
    return {
        "targeted": targeted,
        "answered": answered,
        "rate": answered / targeted if targeted else float("nan"),
        "low": float(rates.min()) if len(rates) else float("nan"),
        "high": float(rates.max()) if len(rates) else float("nan"),
        "providers": len(table),
    }


def privacy_stats(data: Dataset) -> dict[str, int]:
    """How many of the finest groups (provider × period × survey × qualification) are small,
    and how many more are hidden to protect them (against subtraction and bounds)."""
    table = feedback.summary(data.feedback, by=["y_tunnus", "period", "survey", "qualification"])
    small = table["respondents_label"] == privacy.small_label()
    return {
        "groups": len(table),
        "small": int(small.sum()),
        "protected": int((table["suppressed"] & ~small).sum()),
    }


def partner_table(lang: str | None = None) -> pd.DataFrame:
    """The partners with their names and Y-tunnus, headed in ``lang``."""
    reg = partners.registry()
    return pd.DataFrame(
        {
            t("overview.partner_id", lang): reg["id"],
            t("overview.provider", lang): reg["display_name"],
            t("overview.legal_name", lang): reg["legal_name"],
            t("overview.ytunnus", lang): reg["y_tunnus"],
        }
    )


def privacy_example(lang: str | None = None) -> pd.DataFrame:
    """The rule at work on an invented example: four groups and their total.

    Group B has 3 respondents, so it reads "1-4". Showing A, C, D and the total would give B
    back by subtraction, so the smallest other group (C) is hidden too.
    """
    groups = {"A": (12, 4), "B": (3, 3), "C": (8, 5), "D": (20, 4)}
    rows = []
    for name, (n, top) in groups.items():
        counts = {f"n_{v}": 0 for v in ("1", "2", "3", "4", "5", "eos")}
        counts[f"n_{top}"] = n // 2
        counts["n_4" if top != 4 else "n_5"] += n - n // 2
        rows.append(
            {
                "y_tunnus": "example",
                "period": "example",
                "survey": "example",
                "question_id": "Q",
                "qualification": name,
                **counts,
            }
        )
    tidy = pd.DataFrame(rows)
    parts = feedback.summary(tidy, by=["qualification"], lang=lang)
    total = feedback.summary(tidy, lang=lang).assign(qualification=t("overview.total", lang))
    table = pd.concat([parts, total], ignore_index=True)
    return pd.DataFrame(
        {
            t("overview.group", lang): table["qualification"],
            t("overview.answered", lang): table["respondents_label"],
            t("overview.mean", lang): table["mean"].round(2),
        }
    )


def qualification_table(
    data: Dataset,
    partner: str,
    period: str,
    survey: str = "tutkinnon_suorittaneet",
    lang: str | None = None,
) -> pd.DataFrame:
    """Respondents and mean per qualification for one partner, period and survey (protected)."""
    from kit import qualifications

    partners.check(partner)
    table = feedback.summary(
        data.feedback,
        by=["y_tunnus", "qualification"],
        select={"period": period, "survey": survey},
        lang=lang,
    )
    table = table[table["y_tunnus"].isin(partners.y_tunnukset(partner))]
    names = qualifications.names(lang)
    return pd.DataFrame(
        {
            t("overview.qualification", lang): table["qualification"]
            .map(names)
            .fillna(table["qualification"]),
            t("overview.answered", lang): table["respondents_label"],
            t("overview.mean", lang): table["mean"].round(2),
        }
    )


def respondents_chart(
    data: Dataset, family: str = "opiskelijapalaute", lang: str | None = None
) -> Axes:
    """Bars of respondents per provider and period (hidden groups stay empty), labelled."""
    from kit import charts

    surveys = STUDENT_SURVEYS if family == "opiskelijapalaute" else WORKLIFE_SURVEYS
    table = feedback.summary(
        data.feedback, by=["y_tunnus", "period"], select={"survey": list(surveys)}, lang=lang
    )
    names = provider_names(data, lang)
    table["provider"] = table["y_tunnus"].map(names)
    order = [names[y] for y in sorted(names.index, key=_partner_first)]
    return charts.bars(
        table,
        x="period",
        y="respondents",
        hue="provider",
        hue_order=order,
        label=data.label(lang),
        title=t("overview.respondents_title", lang),
        xlabel=t("overview.period", lang),
        ylabel=t("overview.answered", lang),
    )
