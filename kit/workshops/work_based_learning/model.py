"""Workshop 4's model: everything the report, the voting app and the exports show, as plain
data cut once from one data set (every result figure through :func:`kit.feedback.summary`).

:func:`build` reads the data set, the phases (:mod:`.phases`), the material register
(:mod:`.materials`) and the work-period list (:mod:`.work_periods`), and returns a :class:`Model`
whose methods take the partner: the critical points (:mod:`.critical`), the process chart,
feedback and money (:mod:`.money`), the stages where feedback is lost, the material review list and
the action table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kit import datasets, feedback, funding, loader, numbers, partners, paths, questions, snapshots
from kit.errors import KitInputError
from kit.i18n import check_lang, t
from kit.surveys import WORKLIFE_SURVEYS
from kit.threshold import threshold
from kit.workshops.work_based_learning import critical, materials, money, synthetic, work_periods
from kit.workshops.work_based_learning import phases as phase_data


@dataclass
class Model:
    """One data set's work-based learning figures, with the process, register and list."""

    data: datasets.Dataset
    tidy: pd.DataFrame  # the data set's feedback, with work-period days where answers carry them
    national: pd.DataFrame | None
    process: phase_data.Process
    register: pd.DataFrame
    register_demo: bool
    periods: pd.DataFrame  # the assessed work-period list (:func:`.work_periods.assess`)
    periods_file: str
    periods_synthetic: bool
    today: dt.date
    lang: str = "fi"
    partner: str = partners.NETWORK
    _memo: dict = field(default_factory=dict, repr=False)

    # --- labels -------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """The feedback data's label."""
        return self.data.label(self.lang)

    @property
    def synthetic(self) -> bool:
        return self.data.synthetic

    def periods_label(self) -> str:
        """What the work-period list is."""
        key = "wbl.periods_synthetic" if self.periods_synthetic else "wbl.periods_own"
        return t(key, self.lang, file=self.periods_file)

    def register_label(self) -> str:
        """What the material register is: the bundled demo, or a provider's own."""
        return t("wbl.register_demo" if self.register_demo else "wbl.register_own", self.lang)

    def mapping_label(self) -> str:
        """Whose judgement the question-to-phase mapping is."""
        return t("wbl.mapping_own" if self.process.own() else "wbl.mapping_kit", self.lang)

    # --- the process and where it hurts -------------------------------------------------------
    def questions(self, partner: str) -> pd.DataFrame:
        """:func:`.critical.questions_table` for ``partner`` (computed once)."""
        key = ("questions", partners.check(partner))
        if key not in self._memo:
            self._memo[key] = critical.questions_table(
                self.tidy,
                self.process,
                partner,
                self.national,
                kept=self._memo.setdefault("references", {}),
            )
        return self._memo[key]

    def phases(self, partner: str) -> pd.DataFrame:
        """:func:`.critical.phases` for ``partner``."""
        return critical.phases(self.questions(partner), self.process)

    def process_table(self) -> pd.DataFrame:
        """The phases for people to read: name, actors, legal anchor, questions."""
        lang = self.lang
        f = self.process.frame
        return pd.DataFrame(
            {
                t("wbl.col.phase", lang): f["id"] + " " + f[f"name_{lang}"],
                t("wbl.col.actors", lang): f["actor_list"].map(
                    lambda acts: ", ".join(t(f"wbl.actor.{a}", lang) for a in acts)
                ),
                t("wbl.col.law", lang): [
                    law if isinstance(law, str) and ok else t("wbl.law_unverified", lang)
                    for law, ok in zip(f["law"], f["law_verified"])
                ],
                t("wbl.col.questions", lang): f["question_list"].map(", ".join),
            }
        )

    def chart_data(self, partner: str) -> pd.DataFrame:
        """For :func:`.charts.swimlane`: ``phase, name, actor, score, critical, rank``."""
        ranked = self.phases(partner).set_index("phase")
        acts = self.process.actors()
        acts["name"] = acts["phase"].map(self.process.names(self.lang))
        acts["score"] = acts["phase"].map(ranked["score"])
        acts["critical"] = acts["phase"].map(ranked["critical"]).astype(bool)
        acts["rank"] = acts["phase"].map(ranked["rank"])
        return acts

    def actor_names(self) -> dict[str, str]:
        """The lanes' names in the model's language."""
        return {a: t(f"wbl.actor.{a}", self.lang) for a in phase_data.ACTORS}

    def save_chart(self, ax, partner: str, folder: str | Path | None = None) -> list[str]:
        """Write the process chart as ``process_<partner>.png`` and ``.svg``; returns the
        paths as shown."""
        from kit import files

        where = Path(folder) if folder else paths.reports_dir() / "work_based_learning"
        written = []
        for fmt in ("png", "svg"):
            target = where / f"process_{partner}.{fmt}"
            with files.atomic(target) as tmp:
                ax.figure.savefig(tmp, format=fmt, dpi=110, bbox_inches="tight")
            written.append(paths.relative(target))
        return written

    def critical_table(self, partner: str) -> pd.DataFrame:
        """The phases' questions for people to read, in process order."""
        lang = self.lang
        table = self.questions(partner)
        texts = questions.texts(lang)
        names = self.process.names(lang)

        def num(v, d=2, sign=False):
            return numbers.number(v, d, lang, sign=sign)

        return pd.DataFrame(
            {
                t("wbl.col.phase", lang): table["phase"].map(names),
                t("wbl.col.question", lang): table["question_id"]
                + " "
                + table["question_id"].map(lambda q: _short(texts.get(q, q))),
                t("wbl.col.survey", lang): table["kysely"].map(lambda k: t(f"kysely.{k}", lang)),
                t("wbl.col.period", lang): table["period"],
                t("wbl.col.n", lang): table["respondents_label"],
                t("wbl.col.mean", lang): table["mean"].map(num),
                t("wbl.col.interval", lang): [
                    "" if pd.isna(a) else f"{num(a)} – {num(b)}"
                    for a, b in zip(table["ci_low"], table["ci_high"])
                ],
                t("wbl.col.low", lang): table["low_share"].map(
                    lambda v: numbers.percent(v, 0, lang)
                ),
                t("wbl.col.trend", lang): [
                    "" if pd.isna(d) else num(d, 2, True) + (" *" if r is True else "")
                    for d, r in zip(table["trend"], table["trend_real"])
                ],
                t("wbl.col.gap_network", lang): table["gap_network"].map(lambda v: num(v, 2, True)),
                t("wbl.col.gap_national", lang): table["gap_national"].map(
                    lambda v: num(v, 2, True)
                ),
                t("wbl.col.priority", lang): table["priority"].map(lambda v: num(v, 1)),
            }
        )

    def ranking(self, partner: str) -> str:
        """The partner's critical points in words (Markdown)."""
        lang = self.lang
        ranked = self.phases(partner)
        crit = ranked[ranked["critical"]].sort_values("rank")
        if crit.empty:
            return t("wbl.ranking_none", lang, evidence=critical.EVIDENCE)
        texts = questions.texts(lang)
        lines = [
            t("wbl.ranking_head", lang, who=partners.display_name(partner, lang), count=len(crit))
        ]
        for _, r in crit.iterrows():
            lines.append(
                t(
                    "wbl.ranking_line",
                    lang,
                    rank=int(r["rank"]),
                    phase=self.process.name(r["phase"], lang),
                    score=numbers.number(r["score"], 2, lang),
                    question=_short(texts.get(r["weakest"], r["weakest"]), 80),
                    mean=numbers.number(r["weakest_mean"], 2, lang),
                    low=numbers.percent(r["low_share"], 0, lang),
                    gap=numbers.number(r["gap_national"], 2, lang, sign=True),
                )
            )
        best = ranked.dropna(subset=["score"]).sort_values("score").tail(1)
        if len(best):
            lines.append(
                t(
                    "wbl.ranking_best",
                    lang,
                    phase=self.process.name(best["phase"].iloc[0], lang),
                    score=numbers.number(best["score"].iloc[0], 2, lang),
                )
            )
        return "\n".join(lines)

    # --- feedback and money -------------------------------------------------------------------
    def my_periods(self, partner: str) -> pd.DataFrame:
        """The assessed work-period list of ``partner``'s providers."""
        return self.periods[self.periods["koulutustoimija"].isin(partners.y_tunnukset(partner))]

    def money(self, partner: str, funding_total: float = funding.FUNDING_2026) -> pd.DataFrame:
        """Per working-life survey of the latest period: response share, correction factor,
        duration-weighted points, corrected points, the share of all providers' points and
        what +5 percentage points of response share or +0.1 on the mean would be worth (an
        illustration): ``survey, period, share, share_basis, factor, points, corrected, mean,
        national_share, euros_share, euros_mean, pool``."""
        pts = money.survey_points(self.tidy, partner)
        shown = pts.dropna(subset=["points"])
        if shown.empty:
            return pd.DataFrame()
        period = str(shown["period"].max())
        rs = work_periods.response_share(self.my_periods(partner))
        rs = rs[rs["period"] == period]
        total_days = rs["target_days"].sum()
        days_share = rs["answered_days"].sum() / total_days if total_days else np.nan
        national = self._national_points()
        resp = self.data.response
        mine = resp[
            resp["y_tunnus"].isin(partners.y_tunnukset(partner)) & (resp["period"] == period)
        ]
        rows = []
        for survey in WORKLIFE_SURVEYS:
            row = pts[(pts["survey"] == survey) & (pts["period"] == period)]
            if row.empty or pd.isna(row["points"].iloc[0]):
                continue
            r = row.iloc[0]
            counts = mine[mine["survey"] == survey]
            head_share = (
                counts["answered"].sum() / counts["targeted"].sum()
                if counts["targeted"].sum()
                else np.nan
            )
            if survey == "tyopaikkaohjaajakysely" and np.isfinite(days_share):
                share, basis = days_share, "days"
            else:
                share, basis = head_share, "heads"
            factor = (
                float(funding.correction_factor(share, period))
                if survey == "tyopaikkaohjaajakysely" and np.isfinite(share)
                else 1.0
            )
            corrected = float(r["points"]) * factor
            total = national.get((period, survey), np.nan)
            whatif = (
                money.what_if(
                    share,
                    corrected,
                    float(r["mean"]),
                    period,
                    survey,
                    total,
                    funding_total=funding_total,
                )
                if np.isfinite(share)
                else None
            )
            rows.append(
                {
                    "survey": survey,
                    "period": period,
                    "share": share,
                    "share_basis": basis,
                    "factor": factor,
                    "points": float(r["points"]),
                    "corrected": corrected,
                    "mean": float(r["mean"]),
                    "national_share": corrected / total if total else np.nan,
                    "euros_share": whatif["euros"].iloc[0] if whatif is not None else np.nan,
                    "euros_mean": whatif["euros"].iloc[1] if whatif is not None else np.nan,
                    "pool": funding.WEIGHTS_2026[survey] * funding_total,
                }
            )
        return pd.DataFrame(rows)

    def money_words(self, funding_total: float = funding.FUNDING_2026) -> dict:
        """The illustration's parameters in words: the funding total and the two pools."""
        lang = self.lang
        pools = [
            numbers.number(funding.WEIGHTS_2026[s] * funding_total / 1e6, 1, lang) + " M€"
            for s in WORKLIFE_SURVEYS
        ]
        return {"funding": numbers.number(funding_total / 1e9, 2, lang), "pools": " / ".join(pools)}

    def _national_points(self) -> dict:
        """All providers' points per (period, survey): the denominator of a share."""
        if "national" not in self._memo:
            out = {}
            if self.data.synthetic:
                days = self.tidy.dropna(subset=["days_1"]) if "days_1" in self.tidy else None
                if days is not None and len(days):
                    tep = days[days["survey"].isin(WORKLIFE_SURVEYS)]
                    answers = tep[feedback.COUNTS].to_numpy().sum()
                    per = float(tep[feedback.DAYS].to_numpy(float).sum() / answers)
                    table = money.national_points(datasets.load("national"), per)
                    out = {
                        (p, s): v
                        for p, s, v in zip(table["period"], table["survey"], table["points"])
                    }
            self._memo["national"] = out
        return self._memo["national"]

    def money_table(
        self, partner: str, funding_total: float = funding.FUNDING_2026
    ) -> pd.DataFrame:
        """:meth:`money` for people to read."""
        lang = self.lang
        m = self.money(partner, funding_total)
        if m.empty:
            return pd.DataFrame({t("wbl.col.survey", lang): [t("wbl.money_none", lang)]})
        return pd.DataFrame(
            {
                t("wbl.col.survey", lang): m["survey"].map(lambda s: t(f"survey.{s}", lang)),
                t("wbl.col.period", lang): m["period"],
                t("wbl.col.share", lang): [
                    numbers.percent(v, 1, lang) + " " + t(f"wbl.basis.{b}", lang)
                    for v, b in zip(m["share"], m["share_basis"])
                ],
                t("wbl.col.factor", lang): m["factor"].map(lambda v: numbers.number(v, 4, lang)),
                t("wbl.col.points", lang): m["points"].map(lambda v: numbers.number(v, 0, lang)),
                t("wbl.col.corrected", lang): m["corrected"].map(
                    lambda v: numbers.number(v, 0, lang)
                ),
                t("wbl.col.national_share", lang): m["national_share"].map(
                    lambda v: numbers.percent(v, 3, lang)
                ),
                t("wbl.col.euros_share", lang): m["euros_share"].map(
                    lambda v: numbers.number(v, 0, lang, sign=True) + " €"
                ),
                t("wbl.col.euros_mean", lang): m["euros_mean"].map(
                    lambda v: numbers.number(v, 0, lang, sign=True) + " €"
                ),
                t("wbl.col.pool", lang): m["pool"].map(
                    lambda v: numbers.number(v / 1e6, 2, lang) + " M€"
                ),
            }
        )

    # --- where feedback is lost ---------------------------------------------------------------
    def feedback_stages(self, partner: str) -> pd.DataFrame:
        """:func:`.work_periods.feedback_stages` of ``partner``'s jaksot, with each stage's share of the
        first and its name: ``stage, name, jaksot, days, share``."""
        table = work_periods.feedback_stages(self.my_periods(partner))
        first = table["jaksot"].iloc[0] or np.nan
        table["share"] = table["jaksot"] / first
        table["name"] = table["stage"].map(lambda s: t(f"wbl.stage.{s}", self.lang))
        return table

    def stages_table(self, partner: str) -> pd.DataFrame:
        """:meth:`feedback_stages` for people to read: stage, jaksot, days, share of the ended."""
        lang = self.lang
        f = self.feedback_stages(partner)
        return pd.DataFrame(
            {
                t("wbl.col.stage", lang): f["name"],
                t("wbl.col.jaksot", lang): f["jaksot"].map(lambda v: numbers.integer(v, lang)),
                t("wbl.col.days", lang): f["days"].map(lambda v: numbers.number(v, 0, lang)),
                t("wbl.col.share", lang): f["share"].map(lambda v: numbers.percent(v, 0, lang)),
            }
        )

    def to_fix(self, partner: str) -> pd.DataFrame:
        """The jaksot to fix, for people to read (reason and how to fix it).

        A partner's own report lists its jaksot with their identifiers (``yksiloiva-tunniste``,
        ``hoks-id``), which only that partner can act on. The network's report is read by every
        partner, so it holds no student-level identifier: it counts the jaksot to fix per
        reason instead."""
        lang = self.lang
        table = work_periods.to_fix(self.my_periods(partner))
        if partner == partners.NETWORK:
            counts = table.groupby("reason", sort=False).size()
            return pd.DataFrame(
                {
                    t("wbl.col.reason", lang): [t(f"wbl.reason.{r}", lang) for r in counts.index],
                    t("wbl.col.jaksot", lang): [numbers.integer(n, lang) for n in counts],
                    t("wbl.col.fix", lang): [t(f"wbl.fix.{r}", lang) for r in counts.index],
                }
            )
        return pd.DataFrame(
            {
                "yksiloiva-tunniste": table["yksiloiva_tunniste"],
                "hoks-id": table["hoks_id"],
                t("wbl.col.end", lang): table["loppu"].fillna("–"),
                t("wbl.col.reason", lang): table["reason"].map(
                    lambda r: t(f"wbl.reason.{r}", lang)
                ),
                t("wbl.col.fix", lang): table["reason"].map(lambda r: t(f"wbl.fix.{r}", lang)),
            }
        )

    def lost_summary(self, partner: str) -> dict:
        """Counts of the jaksot lost, by reason, and the days they held."""
        fixes = work_periods.to_fix(self.my_periods(partner))
        return {
            "lost": len(fixes),
            "days": float(fixes["kesto"].fillna(0).sum()),
            "reasons": fixes["reason"].value_counts().to_dict(),
        }

    def lost_words(self, partner: str) -> dict:
        """:meth:`lost_summary` in words."""
        lost = self.lost_summary(partner)
        return {
            "lost": numbers.integer(lost["lost"], self.lang),
            "days": numbers.number(lost["days"], 0, self.lang),
        }

    # --- guidance material --------------------------------------------------------------------
    def material_gaps(self) -> pd.DataFrame:
        """Phase × audience: the state of its material, for people to read."""
        lang = self.lang
        g = materials.gaps(self.register, self.process, self.today)
        return pd.DataFrame(
            {
                t("wbl.col.phase", lang): g["phase"].map(self.process.names(lang)),
                t("wbl.col.audience", lang): g["audience"].map(lambda a: t(f"wbl.actor.{a}", lang)),
                t("wbl.col.state", lang): g["state"].map(lambda s: t(f"wbl.state.{s}", lang)),
                t("wbl.col.materials", lang): g["materials"],
            }
        )

    def review_list(self) -> pd.DataFrame:
        """:func:`.materials.review_list` for people to read."""
        lang = self.lang
        r = materials.review_list(self.register, self.process, self.today)
        out = pd.DataFrame(
            {
                t("wbl.col.phase", lang): r["phase"].map(self.process.names(lang)),
                t("wbl.col.audience", lang): r["audience"].map(lambda a: t(f"wbl.actor.{a}", lang)),
                t("wbl.col.state", lang): r["state"].map(lambda s: t(f"wbl.state.{s}", lang)),
                t("wbl.col.why", lang): r["why"]
                .fillna("")
                .map(
                    lambda w: ", ".join(
                        t(f"wbl.why.{x.strip()}", lang) for x in w.split(",") if x.strip()
                    )
                ),
            }
        )
        for c in ("id", "title", "owner", "location", "version", "last_review", "next_review"):
            out[t(f"wbl.col.{c}", lang)] = r[c].astype("object").where(r[c].notna(), "")
        return out

    # --- actions ------------------------------------------------------------------------------
    def actions(self, partner: str, weeks: int = 12) -> pd.DataFrame:
        """The action table: one row per critical phase (and per phase whose material is
        missing or out of date): ``phase, action, owner, date`` (owner: the phase's material
        owner where the register names one; date: ``weeks`` from today), for people to fill
        in and export."""
        lang = self.lang
        ranked = self.phases(partner)
        gaps = materials.gaps(self.register, self.process, self.today)
        owners = self.register.dropna(subset=["owner"]).groupby("phase")["owner"].first()
        due = (self.today + dt.timedelta(weeks=weeks)).isoformat()
        rows = []
        for _, r in ranked[ranked["critical"]].sort_values("rank").iterrows():
            rows.append(
                {
                    "phase": r["phase"],
                    "action": t("wbl.action.critical", lang, question=r["weakest"]),
                    "owner": owners.get(r["phase"], ""),
                    "date": due,
                }
            )
        for _, g in gaps[gaps["state"].isin(["missing", "out_of_date"])].iterrows():
            rows.append(
                {
                    "phase": g["phase"],
                    "action": t(
                        f"wbl.action.{g['state']}",
                        lang,
                        audience=t(f"wbl.actor.{g['audience']}", lang),
                    ),
                    "owner": owners.get(g["phase"], ""),
                    "date": due,
                }
            )
        table = pd.DataFrame(rows, columns=["phase", "action", "owner", "date"])
        order = {p: i for i, p in enumerate(self.process.ids())}
        table = table.sort_values("phase", key=lambda s: s.map(order), kind="stable")
        return pd.DataFrame(
            {
                t("wbl.col.phase", lang): table["phase"].map(self.process.names(lang)),
                t("wbl.col.action", lang): table["action"],
                t("wbl.col.owner", lang): table["owner"],
                t("wbl.col.date", lang): table["date"],
            }
        ).reset_index(drop=True)

    def export(self, partner: str) -> list[str]:
        """Write the review list and the action table as xlsx (``review_list.xlsx``,
        ``actions_<partner>.xlsx``; an edited copy is kept); returns the paths as shown."""
        return [
            materials.export(self.review_list(), "review_list"),
            materials.export(self.actions(partner), f"actions_{partner}"),
        ]


def _short(text: str, width: int = 60) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def with_days(data: datasets.Dataset) -> pd.DataFrame:
    """The data set's feedback in the tidy form with the work-period days
    (:data:`kit.feedback.DAYS`) of its working-life answers, read from its answer files: the
    same counts as :attr:`~kit.datasets.Dataset.feedback` (so the same privacy decision),
    days missing where no answer file carries them. Unprotected, like the feedback."""
    import hashlib

    from kit import files

    where = data.folder / "answers" if (data.folder / "answers").is_dir() else data.folder
    found = [where] if where.is_file() else sorted(where.glob("*.csv"))
    stamp = hashlib.sha1(
        repr([(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in found]).encode()
    ).hexdigest()[:16]
    store = paths.cache_dir() / f"wbl-days-{stamp}.parquet"
    if store.exists():
        kept = pd.read_parquet(store)
        parts = [kept] if len(kept) else []
    else:
        parts = []
        for f in found:
            loaded = loader.read(f)
            if (
                loaded.kind == "answers"
                and loaded.frame["kyselypohja_tarkenne"].isin(WORKLIFE_SURVEYS).any()
            ):
                part = feedback.from_answers(loaded.frame)
                if all(d in part for d in feedback.DAYS):
                    parts.append(part[feedback.KEYS + feedback.DAYS])
        table = (
            pd.concat(parts, ignore_index=True)
            if parts
            else pd.DataFrame(columns=feedback.KEYS + feedback.DAYS)
        )
        try:
            with files.atomic(store) as tmp:
                table.to_parquet(tmp, index=False)
        except (OSError, KitInputError):
            pass  # a read-only data folder just means no cache
    tidy = data.feedback
    if not parts:
        return tidy
    days = (
        pd.concat(parts, ignore_index=True).groupby(feedback.KEYS, as_index=False).sum(min_count=1)
    )
    return tidy.merge(days, on=feedback.KEYS, how="left")


_models: dict = {}


def build(
    dataset: datasets.Dataset | str | Path | None = "demo",
    *,
    lang: str = "fi",
    phases: str | Path | None = None,
    register: str | Path | None = None,
    work_periods: str | Path | None = None,
    today: dt.date | None = None,
) -> Model:
    """The workshop's model of ``dataset`` (a loaded data set, a name or a path; default the
    demo) in ``lang``: the phases
    (``phases``, default ``data/wbl_phases.csv``), the material register (``register``,
    default the bundled demo) and the work-period list (``work_periods``, default the demo's
    synthetic list). Built once per inputs and kept for the kernel."""
    lang = check_lang(lang)
    today = today or dt.date.today()
    if (dataset is None or isinstance(dataset, str) and dataset == "demo") and not (
        phases or register or work_periods
    ):
        return snapshots.remember(_models, ("demo", lang, today), lambda: _demo(lang, today))
    data = datasets.as_dataset(dataset)
    if work_periods is None:
        synthetic.prepare()
    where = Path(work_periods) if work_periods else synthetic.work_periods_path()
    sources = [where, *(Path(p) for p in (phases, register) if p)]
    key = (
        data.name,
        str(data.folder),
        lang,
        str(phases),
        str(register),
        str(where),
        today,
        tuple(p.stat().st_mtime_ns for p in sources if p.exists()),
    )
    return snapshots.remember(
        _models, key, lambda: _build(data, lang, phases, register, where, today)
    )


def _demo(lang: str, today: dt.date) -> Model:
    """The plain demo's model, kept between processes (:func:`kit.snapshots.kept`, keyed by
    the demo and national files, the bundled phases and register, the day, the kit's code and
    the threshold): the first kernel of a run cuts it, every later one loads it."""
    for name in ("demo", "national"):
        datasets.ensure(name)
    synthetic.prepare()
    sources = sorted(
        p
        for folder in (paths.demo_dir(), paths.work_dir() / "national")
        for p in folder.glob("*")
        if p.suffix in (".csv", ".json")
    )
    sources += [paths.data_dir() / "wbl_phases.csv", paths.data_dir() / materials.BUNDLED]

    def make() -> Model:
        return _build(datasets.load("demo"), lang, None, None, synthetic.work_periods_path(), today)

    name = f"wbl-demo-{lang}-k{threshold()}"
    return snapshots.kept(name, sources, make, key=(today.isoformat(),))


def _build(
    data: datasets.Dataset,
    lang: str,
    phases: str | Path | None,
    register: str | Path | None,
    where: Path,
    today: dt.date,
) -> Model:
    process = phase_data.load(phases)
    shown = paths.relative(where)
    loaded = loader.read(where, kind="work_periods")
    work_periods.read(where)  # the interruptions' spelling, checked with their rows
    assessed = work_periods.assess(loaded.frame, today, shown)
    national = datasets.load("national").feedback if data.synthetic else None
    model = Model(
        data=data,
        tidy=with_days(data),
        national=national,
        process=process,
        register=materials.load(register, process),
        register_demo=materials.is_demo(register),
        periods=assessed,
        periods_file=shown,
        periods_synthetic=loaded.synthetic,
        today=today,
        lang=lang,
    )
    return model


def headline(model: Model, partner: str) -> dict:
    """The figures ``kit run`` keeps."""
    ranked = model.phases(partner)
    m = model.money(partner)
    f = model.feedback_stages(partner)
    return {
        "partner": partner,
        "label": model.label,
        "critical": list(ranked.loc[ranked["critical"]].sort_values("rank")["phase"]),
        "jaksot": int(f["jaksot"].iloc[0]),
        "answered": int(f["jaksot"].iloc[-1]),
        "lost": model.lost_summary(partner)["lost"],
        "factor": float(m["factor"].iloc[0]) if len(m) else None,
        "materials_to_review": int(
            len(materials.review_list(model.register, model.process, model.today))
        ),
    }
