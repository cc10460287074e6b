"""A first look at a data set: who answered when, and what the privacy rule hides.

Used by ``kit demo`` and ``notebooks/00_start_here.ipynb``: plain functions returning protected
tables, so the command line, the notebook and the tests see the same thing.
"""

from __future__ import annotations

import pandas as pd

from kit import feedback, partners, privacy, response
from kit.datasets import Dataset
from kit.i18n import t
from kit.surveys import STUDENT_SURVEYS, WORKLIFE_SURVEYS


def provider_names(data: Dataset, lang: str | None = None) -> pd.Series:
    """Display names by Y-tunnus: the partner's short name where there is one."""
    names = data.providers.set_index("y_tunnus")["provider_name"].copy()
    for y in names.index:
        pid = partners.id_of(y)
        if pid is not None:
            names[y] = partners.display_name(pid, lang)
    return names


def respondents_table(data: Dataset, family: str = "opiskelijapalaute",
                      lang: str | None = None) -> pd.DataFrame:
    """Respondents per provider (rows) and funding period (columns), as they may be shown."""
    surveys = STUDENT_SURVEYS if family == "opiskelijapalaute" else WORKLIFE_SURVEYS
    table = feedback.summary(data.feedback, by=["y_tunnus", "period"], select={"survey": list(surveys)})
    wide = table.pivot(index="y_tunnus", columns="period", values="respondents_label").fillna("")
    wide.index = wide.index.map(provider_names(data, lang))
    wide.index.name = t("overview.provider", lang)
    wide.columns.name = None
    return wide.reset_index()


def response_rates(data: Dataset, period: str, lang: str | None = None) -> pd.DataFrame:
    """Targeted, answered and response rate per provider and survey in ``period`` (protected)."""
    table = response.summary(data.response, by=["y_tunnus", "survey"], select={"period": period})
    names = provider_names(data, lang)
    return pd.DataFrame({
        t("overview.provider", lang): table["y_tunnus"].map(names),
        t("overview.survey", lang): table["survey"].map(lambda s: t(f"survey.{s}", lang)),
        t("overview.targeted", lang): table["targeted"],
        t("overview.answered", lang): table["respondents_label"],
        t("overview.rate", lang): table["response_rate"].map(
            lambda r: "" if pd.isna(r) else f"{100 * r:.0f} %"),
    })


def privacy_stats(data: Dataset) -> dict[str, int]:
    """How many of the finest groups (provider × period × survey × qualification) are small,
    and how many more are hidden to stop subtraction."""
    table = feedback.summary(data.feedback, by=["y_tunnus", "period", "survey", "qualification"])
    small = table["respondents_label"] == privacy.small_label()
    return {"groups": len(table), "small": int(small.sum()),
            "protected": int((table["suppressed"] & ~small).sum())}
