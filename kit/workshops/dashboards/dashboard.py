"""The feedback dashboard's model: plain data and functions, no widgets.

:func:`build` cuts every protected figure the dashboard can show out of a data set once, through
:func:`kit.feedback.summary` and :func:`kit.response.summary` (so the privacy rule holds in every
view), into one small table, the **cube**: one row per scope (a partner, ``network`` or
``national``) × period × survey × qualification (or ``all``) × question, with answer counts and
respondents. A :class:`Selection` (what the slicers say) then picks rows of the cube; the views
(:func:`kpis`, :func:`trend`, :func:`likert`, :func:`comparison`, :func:`critical_points`) only
filter and add up published counts, which is fast and can tell nothing the cube does not.

The same model serves the widget view (:mod:`kit.workshops.dashboards.view`), the papermill reports and the
tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit import (
    datasets,
    feedback,
    i18n,
    partners,
    paths,
    periods,
    privacy,
    qualifications,
    questions,
    snapshots,
    uncertainty,
)
from kit.errors import KitInputError
from kit.i18n import t
from kit.surveys import SCALE_POINTS, SURVEYS, THEMES

ALL = "all"
#: the scope of the national comparison (the national data set without a provider)
NATIONAL = "national"
NETWORK = partners.NETWORK
#: a change of mean is flagged when a two-sided Welch test gives p below this
SIGNIFICANCE = 0.05
CUBE_KEYS = ["scope", "period", "survey", "qualification", "question_id"]


@dataclass(frozen=True)
class Selection:
    """What the slicers say. ``period=None`` means the latest period shown."""

    partner: str = NETWORK
    period: str | None = None
    survey: str = "tutkinnon_suorittaneet"
    theme: str = ALL
    qualification: str = ALL

    def with_(self, **changes: Any) -> Selection:
        """A copy with some slicers changed."""
        return replace(self, **changes)


@dataclass
class Model:
    """Everything the dashboard may show for one data set, already protected."""

    label: str  # the data's label (real or synthetic), shown with every view
    synthetic: bool
    periods: list[str]
    cube: pd.DataFrame  # CUBE_KEYS + n_1..n_eos, respondents, respondents_label, suppressed
    rates: pd.DataFrame  # scope, period, survey, targeted, answered, response_rate, ...
    bank: pd.DataFrame = field(repr=False)  # question_id, kysely, theme, text
    qualifications: list[str] = field(default_factory=list)
    #: the partners the data has (all six in the demo; one's own data may have fewer)
    present: tuple[str, ...] = ()
    #: whether the model has a national comparison (own real data has none)
    national: bool = True
    #: own data: the providers its "network" adds up (a provider outside the six included)
    network_names: tuple[str, ...] = ()
    _index: dict = field(default_factory=dict, repr=False)
    _surveys: frozenset[str] | None = field(default=None, repr=False)

    def name(self, scope: str, lang: str | None = None) -> str:
        """How a scope is called: a partner, the network (the partners this data has, where
        that is fewer than six), or the country."""
        if scope == NATIONAL:
            return t("overview.national", lang)
        if scope == NETWORK and self.network_names:
            return t("dashboard.network_present", lang, names=", ".join(self.network_names))
        return partners.display_name(scope, lang)

    def stats(self, level: str, scope: str, survey: str, qualification: str) -> pd.DataFrame:
        """Statistics of one scope, survey and qualification, per ``level``: ``question``
        (one row per question and period) or ``theme`` (per theme and period, with the theme
        ``all`` pooling every question). Worked out once for the whole cube, then looked up."""
        if not self._index:
            self._index = _precompute(self.cube)
        empty = self._index[level, None]
        return self._index.get((level, (scope, survey, qualification)), empty)

    def check(self, sel: Selection) -> Selection:
        """``sel`` with a concrete period; unknown values raise a message listing valid ones."""
        partners.check(sel.partner)
        if self.present and sel.partner not in self.present:
            raise KitInputError(
                "partner_not_in_data",
                parameter="partner",
                value=sel.partner,
                valid=", ".join(self.present),
            )
        if sel.survey not in SURVEYS:
            raise KitInputError(
                "unknown_value", parameter="survey", value=sel.survey, valid=", ".join(SURVEYS)
            )
        if sel.theme != ALL and sel.theme not in THEMES:
            raise KitInputError(
                "unknown_value", parameter="theme", value=sel.theme, valid=", ".join([ALL, *THEMES])
            )
        if sel.qualification != ALL and sel.qualification not in self.qualifications:
            raise KitInputError(
                "unknown_value",
                parameter="qualification",
                value=sel.qualification,
                valid=", ".join([ALL, *self.qualifications]),
            )
        if self._surveys is None:  # every view checks its selection: read the cube once
            self._surveys = frozenset(self.cube["survey"].unique())
        have = self._surveys
        if sel.survey == Selection.survey and sel.survey not in have and have:
            # the default survey, where the data has none of it (own data of one survey)
            sel = sel.with_(survey=next(s for s in SURVEYS if s in have))
        period = sel.period or self.periods[-1]
        if period not in self.periods:
            raise KitInputError(
                "unknown_value", parameter="period", value=period, valid=", ".join(self.periods)
            )
        return sel.with_(period=period)

    def themes(self, survey: str) -> list[str]:
        """The themes the questionnaire of ``survey`` has, in the catalogue's order."""
        have = set(self.bank.loc[self.bank["kysely"] == SURVEYS[survey].kysely, "theme"])
        return [th for th in THEMES if th in have]

    def questions(self, survey: str, theme: str = ALL) -> list[str]:
        """Question ids of ``survey``'s questionnaire (in ``theme``)."""
        bank = self.bank[self.bank["kysely"] == SURVEYS[survey].kysely]
        if theme != ALL:
            bank = bank[bank["theme"] == theme]
        return bank["question_id"].tolist()


_built: dict[tuple, Model] = {}


def build(
    dataset: datasets.Dataset | str | Path | None = "demo",
    *,
    benchmark: datasets.Dataset | None = None,
    periods_shown: list[str] | str | None = None,
    lang: str | None = None,
) -> Model:
    """Cut the dashboard's cube out of ``dataset`` (a loaded data set, a name or a path;
    default: the demo data).

    ``benchmark`` gives the national comparison (default: the ``national`` data set, cut by
    its own privacy decision; a national data set is its own benchmark). ``periods_shown`` limits the periods; an unknown
    one raises a message listing those in the data. A model is kept for the life of the
    process, keyed by the data (the same loaded tables), periods, language and privacy
    threshold, so a notebook
    re-run in the same kernel (``kit run``'s warm kernels) does not cut it again.
    """
    data = datasets.as_dataset(dataset)
    key = (
        data.name,
        id(data.feedback),
        id(data.response),
        id(benchmark),
        str(periods_shown),
        lang or i18n.get_language(),
    )
    plain = (
        data.name == "demo"
        and benchmark is None
        and periods_shown is None
        and data.folder == paths.demo_dir()
    )
    # the plain demo model is the app's, kept between processes: warm kernels, the demo's
    # one-pagers and the apps load the one the first of them cut
    return snapshots.remember(
        _built,
        key,
        (lambda: app_model(lang or i18n.get_language()))
        if plain
        else (lambda: _build(data, benchmark, periods_shown, lang)),
        limit=1,
    )


def app_model(lang: str | None = None) -> Model:
    """The demo dashboard's model for the Voilà app, kept between kernels
    (:func:`kit.snapshots.kept`): the first kernel, or ``kit serve`` before the room arrives,
    cuts it; every later kernel only loads it."""

    lang = i18n.check_lang(lang)
    if not (paths.demo_dir() / "manifest.json").exists():
        datasets.load("demo")  # builds the synthetic demo data once
    sources = sorted(
        p
        for folder in (paths.demo_dir(), paths.work_dir() / "national")
        for p in folder.glob("*")
        if p.suffix in (".csv", ".json")
    )

    def build_indexed() -> Model:
        previous = i18n.get_language()
        i18n.set_language(lang)  # the cube's labels ("(suojattu)") follow the language
        try:
            model = _build(datasets.load("demo"), None, None, lang)
        finally:
            i18n.set_language(previous)
        model._index = _precompute(model.cube)  # kept too: the app's kernels skip it
        return model

    # the threshold is part of the key: a model cut at 5 is never served after a change to 10
    return snapshots.kept(f"dashboard-demo-{lang}-k{privacy.threshold()}", sources, build_indexed)


def prime_apps() -> None:
    """Keep the app's model in every language (``kit serve`` calls this before Voilà starts)."""
    for lang in i18n.LANGS:
        app_model(lang)


def _build(
    data: datasets.Dataset,
    benchmark: datasets.Dataset | None,
    periods_shown: list[str] | str | None,
    lang: str | None,
) -> Model:
    network = partners.y_tunnukset(NETWORK)
    own_data = not data.synthetic and data.name not in datasets.NAMES
    network_names: tuple[str, ...] = ()
    if own_data:  # one's own data: its "network" is every provider in it
        network = sorted(set(data.providers["y_tunnus"]))
        names = dict(zip(data.providers["y_tunnus"], data.providers["provider_name"]))
        network_names = tuple(
            partners.display_name(pid, lang) if (pid := partners.id_of(y)) else names.get(y, y)
            for y in network
        )
    have = data.periods()
    shown = have if periods_shown is None else _check_periods(periods_shown, have)
    own = data.feedback[data.feedback["period"].isin(shown)]
    parts = [_partner_rows(own, network), _scope_rows(own, NETWORK, {"y_tunnus": network})]
    national: datasets.Dataset | None = None
    if data.name == "national":
        parts.append(_scope_rows(own, NATIONAL, None))
        national = data
    elif benchmark is not None or data.synthetic:
        # the country's rows are the national data set's own breakdown without a provider,
        # cut from that data set's decision: an analyst who also reports on the national data
        # sees the same cells shown and hidden, so the two together tell nothing more
        national = benchmark or datasets.load("national")
        parts.append(_scope_rows(national.feedback, NATIONAL, {"period": shown}))
    # own real data has no national comparison unless one is given: the synthetic country
    # beside real answers would mislead
    cube = pd.concat(parts, ignore_index=True)
    rates = _rates(data, national, shown, network)
    bank = questions.question_bank()
    bank = pd.DataFrame(
        {
            "question_id": bank["id"],
            "kysely": bank["kysely"],
            "theme": bank["theme"],
            "text": questions.texts(lang).to_numpy(),
        }
    )
    cube["theme"] = cube["question_id"].map(dict(zip(bank["question_id"], bank["theme"])))
    quals = sorted(q for q in own["qualification"].unique() if q != feedback.UNKNOWN_QUALIFICATION)
    in_data = set(data.feedback["y_tunnus"]) | set(data.response["y_tunnus"])
    present = tuple(
        p for p in partners.ids() if p == NETWORK or set(partners.y_tunnukset(p)) & in_data
    )
    return Model(
        label=data.label(lang),
        synthetic=data.synthetic,
        periods=shown,
        cube=cube,
        rates=rates,
        bank=bank,
        qualifications=quals,
        present=present,
        national=national is not None,
        network_names=network_names,
    )


def _check_periods(wanted: list[str] | str, have: list[str]) -> list[str]:
    if isinstance(wanted, str):
        wanted = [w for w in wanted.replace(";", ",").split(",") if w.strip()]
    out = []
    for p in privacy.as_list(wanted):
        label = periods.parse(str(p).strip())
        if label not in have:
            raise KitInputError(
                "unknown_value", parameter="periods", value=p, valid=", ".join(have)
            )
        out.append(label)
    return sorted(set(out))


def _finish(table: pd.DataFrame, scope: str, qualification: str | None) -> pd.DataFrame:
    table = table.assign(scope=scope)
    if qualification is not None:
        table["qualification"] = qualification
    keep = [*CUBE_KEYS, *feedback.COUNTS, "respondents", "respondents_label", "suppressed"]
    return table[keep]


def _partner_rows(tidy: pd.DataFrame, network: list[str]) -> pd.DataFrame:
    by_yt = {y: partners.id_of(y) for y in network}
    out = []
    for by, qual in (
        (["y_tunnus", "period", "survey", "qualification", "question_id"], None),
        (["y_tunnus", "period", "survey", "question_id"], ALL),
    ):
        table = feedback.summary(tidy, by, {"y_tunnus": network})
        table["scope"] = table["y_tunnus"].map(by_yt)
        table = table[table["scope"].notna()]  # a provider outside the six: in the network only
        if qual is not None:
            table["qualification"] = qual
        out.append(table)
    return pd.concat(out, ignore_index=True)[
        [*CUBE_KEYS, *feedback.COUNTS, "respondents", "respondents_label", "suppressed"]
    ]


def _scope_rows(tidy: pd.DataFrame, scope: str, select: dict | None) -> pd.DataFrame:
    out = []
    for by, qual in (
        (["period", "survey", "qualification", "question_id"], None),
        (["period", "survey", "question_id"], ALL),
    ):
        out.append(_finish(feedback.summary(tidy, by, select), scope, qual))
    return pd.concat(out, ignore_index=True)


def _rates(
    data: datasets.Dataset, national: datasets.Dataset | None, shown: list[str], network: list[str]
) -> pd.DataFrame:
    by_yt = {y: partners.id_of(y) for y in network}
    keys = [
        "scope",
        "period",
        "survey",
        "targeted",
        "answered",
        "response_rate",
        "respondents_label",
        "suppressed",
    ]
    own = data.response_summary(("y_tunnus", "period", "survey"), {"y_tunnus": network})
    own["scope"] = own["y_tunnus"].map(by_yt)
    own = own[own["scope"].notna()]
    net = data.response_summary(("period", "survey"), {"y_tunnus": network}).assign(scope=NETWORK)
    parts = [own[keys], net[keys]]
    if national is not None:
        nat = national.response_summary(("period", "survey")).assign(scope=NATIONAL)
        parts.append(nat[keys])
    out = pd.concat(parts, ignore_index=True)
    return out[out["period"].isin(shown)].reset_index(drop=True)


# --- views -------------------------------------------------------------------------------------


def _pool(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Add up the shown question rows per group of ``by``: counts summed, respondents the
    largest (everyone meets every statement). A group with no shown row keeps its label."""
    shown = rows[~rows["suppressed"].to_numpy(bool)]
    if not by:
        out = pd.DataFrame([shown[feedback.COUNTS].sum().astype(float)])
        out["respondents"] = float(shown["respondents"].max()) if len(shown) else np.nan
        label = rows["respondents_label"].iloc[0] if len(rows) else "–"
    else:
        grouped = shown.groupby(by, sort=True)
        out = grouped[feedback.COUNTS].sum().astype(float)
        out["respondents"] = grouped["respondents"].max().astype(float)
        label = rows.groupby(by, sort=True)["respondents_label"].first()
        out = label.to_frame().join(out).reset_index()
    if not by:
        out["respondents_label"] = label
    shown_now = out["respondents"].notna()
    out.loc[shown_now, "respondents_label"] = out.loc[shown_now, "respondents"].map(
        lambda v: str(int(v))
    )
    out["answers"] = out[feedback.COUNTS].sum(axis=1, min_count=1)
    return out


def _stats(pooled: pd.DataFrame) -> pd.DataFrame:
    """Mean, SD, CI and shares of pooled rows (missing where hidden)."""
    hidden = pooled["respondents"].isna().to_numpy()
    counted = feedback.describe(pooled.fillna({c: 0.0 for c in [*feedback.COUNTS, "respondents"]}))
    figures = ["mean", "sd", "ci_low", "ci_high", *feedback.SHARES]
    if hidden.any():
        counted[figures] = counted[figures].mask(pd.Series(hidden, index=counted.index), axis=0)
        counted["respondents"] = pooled["respondents"]
    return counted


def _precompute(cube: pd.DataFrame) -> dict:
    """Per-question and per-theme statistics of the whole cube, indexed by (level, group)."""
    group = ["scope", "survey", "qualification"]
    per_question = cube.reset_index(drop=True).astype(
        {c: float for c in [*feedback.COUNTS, "respondents"]}
    )
    per_question.loc[per_question["suppressed"].to_numpy(bool), "respondents"] = np.nan
    per_question["answers"] = per_question[feedback.COUNTS].sum(axis=1, min_count=1)
    per_question = _stats(per_question)
    themes = _pool(cube, [*group, "period", "theme"])
    everything = _pool(cube, [*group, "period"]).assign(theme=ALL)
    per_theme = _stats(pd.concat([themes, everything], ignore_index=True))
    index: dict = {}
    for level, table in (("question", per_question), ("theme", per_theme)):
        index[level, None] = table.iloc[:0]
        for key, frame in table.groupby(group, sort=False):
            index[level, key] = frame.reset_index(drop=True)
    return index


def _pick(table: pd.DataFrame, **wanted: object) -> pd.DataFrame:
    """Rows of ``table`` whose columns have the wanted values (a value or a list)."""
    keep = np.ones(len(table), dtype=bool)
    for column, value in wanted.items():
        values = table[column].to_numpy()
        keep &= np.isin(values, value) if isinstance(value, list) else values == value
    return table[keep]


def _one(table: pd.DataFrame) -> pd.Series:
    """The only row of ``table``, or an empty (hidden, unlabelled) row."""
    if len(table):
        return table.iloc[0]
    return pd.Series(
        {
            "respondents": np.nan,
            "respondents_label": "–",
            "mean": np.nan,
            "sd": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
        }
    )


def kpis(model: Model, sel: Selection) -> dict[str, object]:
    """The KPI cards: respondents, response rate, mean, and the change from the period before.

    Returns a dict with ``respondents`` and ``respondents_label``, ``response_rate`` (per
    survey, so only without a qualification selected), ``mean``, ``previous_period``,
    ``change``, ``p_value`` and ``significant`` (the change is flagged only when a Welch test
    gives p < :data:`SIGNIFICANCE`). Hidden figures are ``None``.
    """
    sel = model.check(sel)
    table = model.stats("theme", sel.partner, sel.survey, sel.qualification)
    table = _pick(table, theme=sel.theme)
    now = _one(_pick(table, period=sel.period))
    assert sel.period is not None  # check() chose one
    i = model.periods.index(sel.period)
    prev_period = model.periods[i - 1] if i > 0 else None
    prev = _one(_pick(table, period=prev_period)) if prev_period else None
    rate = _pick(model.rates, scope=sel.partner, period=sel.period, survey=sel.survey)
    change = p = None
    if prev is not None and pd.notna(now["mean"]) and pd.notna(prev["mean"]):
        change = float(now["mean"] - prev["mean"])
        pair = (
            prev["mean"],
            prev["sd"],
            prev["respondents"],
            now["mean"],
            now["sd"],
            now["respondents"],
        )
        # Welch's test of the two periods (nan when one is hidden or too small)
        p = uncertainty.change_means(*(float(v) if pd.notna(v) else np.nan for v in pair)).p_value
    shown_rate = (
        not rate.empty and pd.notna(rate["response_rate"].iloc[0]) and sel.qualification == ALL
    )
    return {
        "period": sel.period,
        "respondents": None if pd.isna(now["respondents"]) else int(now["respondents"]),
        "respondents_label": str(now["respondents_label"]),
        "response_rate": float(rate["response_rate"].iloc[0]) if shown_rate else None,
        "mean": None if pd.isna(now["mean"]) else float(now["mean"]),
        "previous_period": prev_period,
        "change": change,
        "p_value": None if p is None or np.isnan(p) else p,
        "significant": bool(p is not None and not np.isnan(p) and p < SIGNIFICANCE),
    }


def trend(model: Model, sel: Selection, lang: str | None = None) -> pd.DataFrame:
    """Mean with its 95 % interval per period for the partner, the network and the country:
    ``who, period, mean, ci_low, ci_high, respondents_label``."""
    sel = model.check(sel)
    out = []
    for scope in _scopes(model, sel):
        table = _pick(model.stats("theme", scope, sel.survey, sel.qualification), theme=sel.theme)
        out.append(table.assign(who=model.name(scope, lang)))
    keep = ["who", "period", "mean", "ci_low", "ci_high", "respondents_label"]
    return pd.concat(out, ignore_index=True)[keep]


def likert(model: Model, sel: Selection) -> pd.DataFrame:
    """Answer shares per question of the selected theme: ``question_id, text, theme,
    p_1…p_5, mean, respondents_label`` (shares of scale answers; missing where hidden)."""
    sel = model.check(sel)
    table = model.stats("question", sel.partner, sel.survey, sel.qualification)
    table = _pick(table, period=sel.period)
    if sel.theme != ALL:
        table = _pick(table, theme=sel.theme)
    table = table.merge(model.bank[["question_id", "text"]], on="question_id")
    keep = [
        "question_id",
        "text",
        "theme",
        *[f"p_{v}" for v in SCALE_POINTS],
        "mean",
        "respondents_label",
    ]
    return table.sort_values("question_id")[keep].reset_index(drop=True)


def comparison(model: Model, sel: Selection, lang: str | None = None) -> pd.DataFrame:
    """Means of the partner, the network and the country side by side, per theme (all themes
    selected) or per question (one theme): ``item, who, mean, ci_low, ci_high``."""
    sel = model.check(sel)
    out = []
    order = {th: i for i, th in enumerate(THEMES)}
    for scope in _scopes(model, sel):
        if sel.theme == ALL:
            table = model.stats("theme", scope, sel.survey, sel.qualification)
            table = table[(table["theme"] != ALL) & (table["period"] == sel.period)]
            table = table.sort_values("theme", key=lambda s: s.map(order))
            item = table["theme"].map(lambda th: t(f"theme.{th}", lang))
        else:
            table = model.stats("question", scope, sel.survey, sel.qualification)
            table = _pick(table, period=sel.period, theme=sel.theme).sort_values("question_id")
            item = table["question_id"]
        out.append(
            pd.DataFrame(
                {
                    "item": item.to_numpy(),
                    "who": model.name(scope, lang),
                    "mean": table["mean"].to_numpy(),
                    "ci_low": table["ci_low"].to_numpy(),
                    "ci_high": table["ci_high"].to_numpy(),
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def critical_points(model: Model, sel: Selection, n: int = 3) -> pd.DataFrame:
    """The weakest and strongest questions of the survey for the partner in the period, with
    the gap to the country: ``kind (weakest/strongest), question_id, text, mean, national,
    gap``. Only shown questions are ranked."""
    sel = model.check(sel)
    own = _pick(
        model.stats("question", sel.partner, sel.survey, sel.qualification), period=sel.period
    )
    nat = _pick(model.stats("question", NATIONAL, sel.survey, sel.qualification), period=sel.period)
    both = (
        own[["question_id", "mean"]]
        .merge(
            nat[["question_id", "mean"]].rename(columns={"mean": "national"}),
            on="question_id",
            how="left",
        )
        .dropna(subset=["mean"])
    )
    both["gap"] = both["mean"] - both["national"]
    both = both.merge(model.bank[["question_id", "text"]], on="question_id")
    ranked = both.sort_values(["mean", "question_id"])
    weakest = ranked.head(n).assign(kind="weakest")
    strongest = ranked.tail(min(n, max(len(ranked) - n, 0))).iloc[::-1].assign(kind="strongest")
    return pd.concat([weakest, strongest], ignore_index=True)[
        ["kind", "question_id", "text", "mean", "national", "gap"]
    ]


def headline(model: Model, partner: str = NETWORK) -> dict[str, object]:
    """The headline figures of ``partner``'s default selection as plain values (for reports
    and ``kit run``)."""
    sel = model.check(Selection(partner=partner))
    k = kpis(model, sel)
    crit = critical_points(model, sel, n=1)
    return {
        **k,
        "partner": sel.partner,
        "survey": sel.survey,
        "weakest": crit.loc[crit["kind"] == "weakest", "question_id"].tolist(),
        "strongest": crit.loc[crit["kind"] == "strongest", "question_id"].tolist(),
        "synthetic": model.synthetic,
    }


def options(model: Model, lang: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """The slicers' choices as (label, value) pairs, in ``lang``."""
    names = qualifications.names(lang)
    return {
        "partner": [(model.name(p, lang), p) for p in (model.present or partners.ids())],
        "period": [(p, p) for p in model.periods],
        "survey": [(t(f"survey.{s}", lang), s) for s in SURVEYS],
        "theme": [(t("dashboard.all_themes", lang), ALL)]
        + [(t(f"theme.{th}", lang), th) for th in THEMES],
        "qualification": [(t("dashboard.all_qualifications", lang), ALL)]
        + [(str(names.get(q, q)), q) for q in model.qualifications],
    }


def _scopes(model: Model, sel: Selection) -> list[str]:
    found = [sel.partner] if sel.partner == NETWORK else [sel.partner, NETWORK]
    return [*found, NATIONAL] if model.national else found
