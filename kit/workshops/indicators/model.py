"""Workshop 3's model: everything the report, the scorecard app and the exports show, as plain
data cut once from one data set (every figure already protected, see :mod:`.values`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kit import datasets, funnel, loader, numbers, partners, paths, response, snapshots
from kit.funnel import Overdispersion
from kit.i18n import check_lang, t
from kit.workshops.indicators import indicator_registry, scorecard, usability, values
from kit.workshops.indicators.checkins import CheckinStore
from kit.workshops.indicators.synthetic import demo_store


@dataclass
class Model:
    """One data set's indicator values, with the registry and the check-in store."""

    data: datasets.Dataset
    registry: indicator_registry.IndicatorRegistry
    values: pd.DataFrame
    store: CheckinStore | None
    label: str
    synthetic: bool
    lang: str = "fi"
    _cards: dict = field(default_factory=dict, repr=False)

    def table(self, scope: str, *, every_period: bool = False) -> pd.DataFrame:
        """The values of ``scope`` for people to read: indicator, period, value, 95 %
        interval, n, status, change and whether it is real; the latest period of each
        indicator unless ``every_period``."""
        lang = self.lang
        v = self.values[self.values["scope"] == partners.check(scope)]
        if not every_period:
            v = v.sort_values("period").groupby("indicator", sort=False).tail(1)
            v = (
                v.set_index("indicator")
                .loc[[i for i in self.registry.ids() if i in set(v["indicator"])]]
                .reset_index()
            )
        reg = self.registry.frame.set_index("id")
        rows = []
        for _, r in v.iterrows():
            unit = reg.at[r["indicator"], "unit"]
            rows.append(
                {
                    t("ind.col.id", lang): r["indicator"],
                    t("ind.col.name", lang): reg.at[r["indicator"], f"name_{lang}"],
                    t("scorecard.col.period", lang): r["period"],
                    t("scorecard.col.value", lang): scorecard.formatted(r["value"], unit, lang),
                    t("scorecard.col.interval", lang): ""
                    if not np.isfinite(r["low"])
                    else f"{scorecard.formatted(r['low'], unit, lang)} – "
                    f"{scorecard.formatted(r['high'], unit, lang)}",
                    t("scorecard.col.n", lang): r["label"],
                    t("scorecard.col.status", lang): t(f"scorecard.status.{r['status']}", lang),
                    t("scorecard.col.change", lang): ""
                    if not np.isfinite(r["delta"])
                    else scorecard.change_text(r["delta"], unit, lang),
                    t("scorecard.col.real", lang): ""
                    if not np.isfinite(r["p_value"])
                    else t("scorecard.yes" if r["significant"] else "scorecard.no", lang),
                }
            )
        return pd.DataFrame(rows)

    def trend(self, indicator: str, scope: str) -> pd.DataFrame:
        """``period, mean, ci_low, ci_high, who`` of one indicator for ``scope`` and the
        network, for :func:`kit.charts.trend` (hidden values missing)."""
        out = []
        for s in dict.fromkeys([scope, partners.NETWORK]):
            v = self.values[(self.values["indicator"] == indicator) & (self.values["scope"] == s)]
            out.append(
                pd.DataFrame(
                    {
                        "period": v["period"],
                        "mean": v["value"].where(v["shown"]),
                        "ci_low": v["low"].where(v["shown"]),
                        "ci_high": v["high"].where(v["shown"]),
                        "who": partners.display_name(s, self.lang),
                    }
                )
            )
        return pd.concat(out, ignore_index=True)

    def refresh_targets(self) -> None:
        """Re-judge every status against the targets now in the store (after an edit)."""
        self.values = values.apply_targets(self.values, self.registry, targets_of(self.store))

    def card(self, scope: str) -> pd.DataFrame:
        """The scorecard of ``scope`` (:func:`.scorecard.card`), with the store's targets."""
        return scorecard.card(self.values, self.registry, self.store, scope, self.lang)

    def card_html(self, scope: str) -> str:
        return scorecard.html(
            self.card(scope), self.registry, scope, self.label, self.synthetic, self.lang
        )

    def usability(self, scope: str) -> pd.DataFrame:
        """The usability table of ``scope`` for people to read."""
        return display_usability(
            usability.table(self.values, self.registry, scope), self.registry, self.lang
        )

    def spc(self, indicator: str, scope: str) -> values.Signals:
        """The monthly XmR chart of a mean indicator for ``scope`` (:func:`.values.spc_for`)."""
        return values.spc_for(self.data, self.registry, indicator, scope, self.lang)

    def spc_lines(self, signals: values.Signals, indicator: str) -> dict:
        """The mean, limits and default target of a chart, for :func:`.charts.control`."""
        chart = signals.chart
        target = self.registry.row(indicator)["target"]
        return {
            "mean": chart.mean,
            "lower": chart.lower,
            "upper": chart.upper,
            "target": None if pd.isna(target) else float(target),
        }

    def spc_names(self) -> dict:
        """The control chart's legend in the model's language."""
        return {
            k: t(f"spc.legend.{k}", self.lang)
            for k in ("common", "improvement", "concern", "mean", "limits", "target")
        }

    def euros(
        self,
        scope: str,
        survey: str = "tutkinnon_suorittaneet",
        step: float = 0.05,
        funding_total: float | None = None,
    ) -> str:
        """One sentence: what ``step`` more response rate would have brought (an illustration),
        or why it cannot be said."""
        from kit import funding

        periods_ = sorted(self.values.loc[self.values["scope"] == scope, "period"].unique())
        period = next((p for p in reversed(periods_) if "-" in p), None)
        got = (
            None
            if period is None
            else values.rate_euros(
                self.data,
                scope,
                survey,
                period,
                step=step,
                funding_total=funding_total or funding.FUNDING_2026,
            )
        )
        if got is None:
            return t("ind.euros_none", self.lang)
        return t(
            "ind.euros",
            self.lang,
            step=t("scorecard.points", self.lang, value=numbers.number(step * 100, 0, self.lang)),
            survey=t(f"survey.{survey}", self.lang),
            period=period,
            points=numbers.number(got["points"], 0, self.lang),
            euros=numbers.number(got["euros"], 0, self.lang),
            weight=numbers.percent(got["weight"], 2, self.lang),
            funding=numbers.number(got["funding"] / 1e9, 2, self.lang),
        )

    def funnel(
        self, survey: str = "aloittaneet", scope: str = partners.NETWORK
    ) -> tuple[pd.DataFrame, pd.DataFrame, Overdispersion, float]:
        """The funnel of ``survey``'s response rates over the real 2020-21 counts of all
        providers: ``(table, limit lines, overdispersion, pooled rate)``; the table has one
        row per provider plus ``scope``'s partners and the network summed (rows
        ``y_tunnus`` = the partner id and ``network``)."""
        long = reference_counts()
        rows = long[(long["survey"] == survey) & (long["targeted"] > 0)]
        rows = rows.groupby("y_tunnus", as_index=False)[["targeted", "answered"]].sum()
        table, od = funnel.overdispersed(rows)
        theta = funnel.pooled(rows["answered"], rows["targeted"])
        extra = []
        for p in dict.fromkeys([*([] if scope == partners.NETWORK else [scope]), partners.NETWORK]):
            mine = rows[rows["y_tunnus"].isin(partners.y_tunnukset(p))]
            if len(mine):
                extra.append(
                    {
                        "y_tunnus": p,
                        "targeted": mine["targeted"].sum(),
                        "answered": mine["answered"].sum(),
                    }
                )
        marked = funnel.limits(pd.DataFrame(extra), target=theta) if extra else pd.DataFrame()
        both = pd.concat([table, marked], ignore_index=True)
        reach = (
            max(
                float(rows["targeted"].max()),
                float(marked["targeted"].max()) if len(marked) else 0.0,
            )
            * 1.2
        )
        lines = funnel.curve(theta, reach)
        od_lines = funnel.curve(theta, reach, tau2=od.tau2)
        lines["od_lower998"], lines["od_upper998"] = od_lines["lower998"], od_lines["upper998"]
        return both, lines, od, theta

    def racer(self) -> pd.DataFrame:
        """The room's RACER ratings (:func:`.usability.racer_summary`) for people to read:
        indicator, criterion, median Karvi level and ratings, hidden where protected."""
        from kit.workshops.indicators.checkins import KARVI

        lang = self.lang
        table = usability.racer_summary(
            self.store.ratings() if self.store else pd.DataFrame(), lang
        )
        order = {i: n for n, i in enumerate(self.registry.ids())}
        table = table.sort_values("indicator", key=lambda s: s.map(order), kind="stable")
        level = table["median"].map(
            lambda v: (
                ""
                if pd.isna(v)
                else f"{numbers.number(v, 1, lang)} "
                f"({t(f'karvi.{KARVI[int(np.floor(v + 0.5))]}', lang)})"
            )
        )
        return pd.DataFrame(
            {
                t("ind.col.name", lang): table["indicator"].map(
                    lambda i: self.registry.name(i, lang)
                ),
                t("ind.col.criterion", lang): table["criterion"].map(
                    lambda c: t(f"racer.{c}", lang)
                ),
                t("ind.col.median_level", lang): level,
                t("scorecard.col.n", lang): table["respondents_label"],
            }
        )

    def store_label(self) -> str:
        """What the check-in store holds (synthetic demo entries, or a workshop's)."""
        return self.store.label(self.lang) if self.store is not None else ""

    def funnel_figures(self, od: Overdispersion) -> dict:
        """φ, τ² and k of a funnel, formatted for the sentence ``ws3.funnel_result``."""
        return {
            "phi": numbers.number(od.phi, 1, self.lang),
            "tau2": numbers.number(od.tau2, 4, self.lang),
            "k": od.k,
        }


#: the values :func:`build` computed, by data set, registry and language (kept per process)
_computed: dict[tuple, pd.DataFrame] = {}


def build(
    dataset: datasets.Dataset | str | Path | None = "demo",
    *,
    store: CheckinStore | None = None,
    registry: indicator_registry.IndicatorRegistry | None = None,
    lang: str | None = None,
) -> Model:
    """The model of ``dataset`` (a loaded data set, a name or a path; default: the demo) with ``store`` (default: the demo's synthetic
    check-ins beside synthetic data, the workshop's store beside one's own)."""
    data = datasets.as_dataset(dataset)
    registry = registry or indicator_registry.load()
    lang = check_lang(lang)
    if store is None:  # the demo's synthetic entries beside synthetic data, else the workshop's
        store = store_for("demo" if data.synthetic else "", registry)
    # the indicators' values are kept for the life of the process (a warm kernel's next
    # report cuts its own from them); the store's targets are applied afresh each time
    key = (data.name, id(data.feedback), id(data.response), id(registry.frame), lang)
    computed = snapshots.remember(
        _computed, key, lambda: values.compute(data, registry, lang=lang), limit=2
    )
    found = values.apply_targets(computed, registry, targets_of(store))
    return Model(
        data=data,
        registry=registry,
        values=found,
        store=store,
        label=data.label(lang),
        synthetic=data.synthetic,
        lang=lang,
    )


def store_for(
    name: str | None, registry: indicator_registry.IndicatorRegistry | None = None
) -> CheckinStore:
    """The check-in store a notebook's ``store`` parameter names: ``"demo"`` (synthetic
    entries), ``""`` (the workshop's own: :func:`.checkins.default_store`) or a path."""
    if name == "demo":
        return demo_store()
    ids = (registry or indicator_registry.load()).ids()
    return CheckinStore(name or None, indicators=ids)


def targets_of(store: CheckinStore | None) -> dict[tuple[str, str], float]:
    """The targets set on the scorecard: (indicator, scope) → the latest target."""
    if store is None:
        return {}
    hist = store.history()
    hist = hist[hist["kind"] == "target"]
    latest = hist.groupby(["indicator", "scope"]).tail(1)
    return {
        (i, s): float(v) for i, s, v in zip(latest["indicator"], latest["scope"], latest["target"])
    }


_reference: list[pd.DataFrame] = []


def reference_counts() -> pd.DataFrame:
    """The real confirmed counts of 2020-21 (Vipunen, 154 providers), in the long form."""
    if not _reference:
        path = paths.reference_dir() / "opiskelijapalaute_vahvistetut_2020_2021.csv"
        _reference.append(response.from_counts(loader.read(path).frame))
    return _reference[0]


def reference_label(lang: str | None = None) -> str:
    """The label of the real reference counts (Vipunen), shown under the funnel."""
    return t("data.real_label", lang, source=t("data.reference_source", lang))


def display_usability(
    table: pd.DataFrame, registry: indicator_registry.IndicatorRegistry, lang: str | None = None
) -> pd.DataFrame:
    """The usability table with headings in ``lang`` and flags as words."""
    lang = check_lang(lang)
    reg = registry.frame.set_index("id")

    def flag(v: object) -> str:
        return (
            ""
            if v is None or (isinstance(v, float) and np.isnan(v))
            else t("scorecard.yes" if v else "scorecard.no", lang)
        )

    def gaming(keys: str) -> str:
        return "; ".join(t(f"ind.gaming.{k}", lang) for k in keys.split()) if keys else ""

    return pd.DataFrame(
        {
            t("ind.col.name", lang): table["indicator"].map(lambda i: reg.at[i, f"name_{lang}"]),
            t("use.coverage", lang): table["coverage"].map(lambda v: numbers.percent(v, 0, lang)),
            t("use.lag", lang): table["lag_months"],
            t("use.half_width", lang): [
                scorecard.formatted(h, reg.at[i, "unit"], lang)
                for h, i in zip(table["half_width"], table["indicator"])
            ],
            t("use.precise", lang): table["precise"].map(flag),
            t("use.i2", lang): table["i2"].map(lambda v: numbers.percent(v, 0, lang)),
            t("use.reliability", lang): table["reliability"].map(
                lambda v: numbers.number(v, 2, lang)
            ),
            t("use.reliable", lang): table["reliable"].map(flag),
            t("use.stability", lang): table["stability"].map(lambda v: numbers.number(v, 2, lang)),
            t("use.gaming", lang): table["gaming"].map(gaming),
        }
    )


def export_tables(data: datasets.Dataset, partner: str | None = None) -> dict[str, pd.DataFrame]:
    """Workshop 3's part of the Power BI star schema: the fact ``indicator_value`` (one row per
    indicator, scope and period, protected) and the dimensions ``indicator`` and
    ``perspective``."""
    m = build(data, lang="fi")
    v = m.values
    if partner:
        v = v[
            v["scope"].isin(
                [partner, partners.NETWORK] if partner != partners.NETWORK else [partners.NETWORK]
            )
        ]
    fact = pd.DataFrame(
        {
            "indicator": v["indicator"],
            "scope": v["scope"],
            "period": v["period"],
            "value": v["value"].where(v["shown"]),
            "ci_low": v["low"].where(v["shown"]),
            "ci_high": v["high"].where(v["shown"]),
            "respondents_label": v["label"],
            "suppressed": ~v["shown"].astype(bool),
            "target": v["target"],
            "status": v["status"],
            "change": v["delta"],
            "p_value": v["p_value"],
        }
    ).reset_index(drop=True)
    reg = m.registry.frame
    indicator = reg[
        [
            "id",
            "perspective",
            "name_fi",
            "name_sv",
            "name_en",
            "unit",
            "source",
            "direction",
            "lag_months",
            "cycle",
            "funding_component",
            "funding_weight",
            "eqavet",
            "target",
            "tolerance",
        ]
    ].rename(columns={"id": "indicator"})
    perspective = m.registry.perspectives.rename(columns={"id": "perspective"})
    return {
        "indicator_value": fact,
        "indicator": indicator.reset_index(drop=True),
        "perspective": perspective.reset_index(drop=True),
    }


def headline(model: Model, partner: str) -> dict:
    """What ``kit run`` keeps: per indicator the latest value and status of ``partner``."""
    c = model.card(partner)
    return {
        "partner": partner,
        "synthetic": model.synthetic,
        "indicators": {
            r["indicator"]: {
                "value": None if not np.isfinite(r["value"]) else round(float(r["value"]), 4),
                "status": r["status"],
            }
            for _, r in c.iterrows()
        },
    }
