"""Workshop 5's model: the forum's picture, cut once from one set of files, for the report,
the forum app and the tests.

:func:`build` reads a data set's folder (``dataset="demo"``: the synthetic files of
:mod:`.synthetic`): every StatFin ``tyonv/12ti`` file in it (PC-Axis or JSON-stat 2; months
that two files share are taken from the later file by name), every Vipunen supply file
(API JSON, CSV or xlsx) and its ``occupation_map.csv`` (default: the kit's draft map). The
:class:`Model`'s methods take the region and the partner (``network``: all six): the
tightness heatmap, the quadrant that names candidates, the trends with their uncertainty,
the supply table, and the signals the forum rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit import loader, numbers, occupations, partners, paths, snapshots
from kit.errors import KitInputError
from kit.i18n import check_lang, has, t
from kit.workshops.anticipation import bridge as bridges
from kit.workshops.anticipation import signals, supply, synthetic

CANDIDATE, REVIEW = "candidate", "review"
QUADRANTS = (CANDIDATE, "supplied", REVIEW, "small", "uncertain")
TOP = 6


def classify(low: float, high: float, supply: float, median: float) -> str:
    """The quadrant of one occupation: the demand trend's 95 % interval (``low`` … ``high``)
    and the supply against the median supply. Growing demand (the interval above zero) with
    supply at or below the median is a ``candidate``; shrinking demand (below zero) with supply
    above it is to ``review``; ``supplied`` and ``small`` are the other two; an interval that
    reaches zero is ``uncertain``."""
    if low > 0:
        return "supplied" if supply > median else CANDIDATE
    if high < 0:
        return REVIEW if supply > median else "small"
    return "uncertain"


@dataclass
class Model:
    """One data set's demand signals, supply and bridge."""

    months: pd.DataFrame  # :func:`.signals.monthly`
    signals: pd.DataFrame  # :func:`.signals.summary`
    supply: pd.DataFrame  # :func:`.supply.tidy`
    bridge: pd.DataFrame
    sources: list[str]
    synthetic: bool
    lang: str = "fi"
    _memo: dict = field(default_factory=dict, repr=False)

    # --- labels and regions --------------------------------------------------------------
    @property
    def label(self) -> str:
        """Where the figures come from, and whether they are synthetic."""
        key = "ws5.label_synthetic" if self.synthetic else "ws5.label_real"
        return t(key, self.lang, files=", ".join(self.sources))

    @property
    def chart_label(self) -> str:
        """The label printed under charts: the sources without the file names."""
        key = "ws5.chart_synthetic" if self.synthetic else "ws5.chart_real"
        return t(key, self.lang)

    def bridge_label(self) -> str:
        """What the qualification–occupation map is (the network's judgement)."""
        return bridges.label(self.bridge, self.lang)

    def regions(self) -> dict[str, str]:
        """Region code → name in the model's language (the catalogue's ``region.<code>``:
        the ELY areas' official Swedish and English names), else as the file names it; the
        whole country first."""
        return {
            c: t(f"region.{c}", self.lang) if has(f"region.{c}") else name
            for c, name in self._file_regions().items()
        }

    def _file_regions(self) -> dict[str, str]:
        """Region code → name as the file writes it (StatFin's Finnish), the country first."""
        names = self.signals.drop_duplicates("region").set_index("region")["region_name"]
        order = sorted(names.index, key=lambda c: (c != "SSS", c))
        return {c: str(names[c]) for c in order}

    def region(self, value: object) -> str:
        """The region code of ``value`` (a code or a name, any case); raises a one-line error
        listing the regions."""
        text = str(value or "").strip()
        folded = text.casefold()
        known = [*self.regions().items(), *self._file_regions().items()]
        for code, name in known:
            if folded in (code.casefold(), name.casefold()):
                return code
        matches = list(dict.fromkeys(c for c, n in known if n.casefold().startswith(folded)))
        if folded and len(matches) == 1:
            return matches[0]
        raise KitInputError(
            "unknown_value",
            parameter="region",
            value=text or "–",
            valid=", ".join(self.regions().values()),
        )

    def region_name(self, region: str) -> str:
        return self.regions().get(region, region)

    def name(self, occupation: str) -> str:
        """An occupation's name in the model's language (the file's label where the
        classification lacks it)."""
        label = self.signals.loc[self.signals["occupation"] == occupation, "occupation_name"]
        fallback = str(label.iloc[0]) if len(label) else None
        if fallback and fallback.startswith(occupation + " "):
            fallback = fallback[len(occupation) + 1 :]
        return occupations.name(occupation, self.lang, fallback)

    def occupations_of(self, partner: str) -> list[str]:
        """The occupations the partner's qualifications lead to (all the map's for the
        network), in the map's order."""
        offered = set(self.supply_table(partner, raw=True)["qualification"])
        rows = (
            self.bridge
            if partner == partners.NETWORK
            else self.bridge[self.bridge["qualification"].isin(offered)]
        )
        return list(dict.fromkeys(rows["occupation"]))

    # --- the picture ---------------------------------------------------------------------
    def heatmap_data(self, partner: str = partners.NETWORK) -> pd.DataFrame:
        """Tightness (last three months) per occupation × region, long form, with names."""
        occs = self.occupations_of(partner)
        rows = self.signals[self.signals["occupation"].isin(occs)].copy()
        rows["name"] = rows["occupation"].map(self.name)
        return rows[["region", "region_name", "occupation", "name", "tightness"]]

    def quadrant(self, region: str, partner: str = partners.NETWORK) -> pd.DataFrame:
        """Per occupation in ``region``: the demand trend with its interval, the partner's
        supply (new students spread by the map's weights) and the quadrant: ``candidate``
        (demand growing, supply below the median: new offer or productisation, e.g. short
        packages of units), ``review`` (demand shrinking, supply above the median),
        ``supplied``, ``small`` or ``uncertain`` (the interval crosses zero)."""
        key = ("quadrant", region, partner)
        if key in self._memo:
            return self._memo[key]
        occs = self.occupations_of(partner)
        rows = self.signals[
            (self.signals["region"] == region) & self.signals["occupation"].isin(occs)
        ].copy()
        spread = supply.by_occupation(self.supply, self.bridge, self._providers(partner))
        rows["supply"] = rows["occupation"].map(spread).fillna(0.0)
        median = float(rows["supply"].median()) if len(rows) else 0.0
        rows["quadrant"] = [
            classify(r.trend_low, r.trend_high, r.supply, median) if r.months >= 6 else "uncertain"
            for r in rows.itertuples()
        ]
        rows["name"] = rows["occupation"].map(self.name)
        quals = bridges.qualifications_of(self.bridge)
        rows["qualifications"] = rows["occupation"].map(
            lambda o: ", ".join(self._qualification_name(q) for q in quals.get(o, []))
        )
        rows["median"] = median
        out = rows.sort_values(["quadrant", "trend"], ascending=[True, False]).reset_index(
            drop=True
        )
        self._memo[key] = out
        return out

    def candidates(self, region: str, partner: str = partners.NETWORK) -> pd.DataFrame:
        """The named quadrants, for people to read: growing demand with little supply first
        (strongest trend first), then shrinking demand with large supply."""
        lang = self.lang
        q = self.quadrant(region, partner)
        q = q[q["quadrant"].isin([CANDIDATE, REVIEW])].copy()
        q["order"] = (q["quadrant"] == REVIEW).astype(int)
        q = q.sort_values(["order", "trend"], ascending=[True, False])
        return pd.DataFrame(
            {
                t("ws5.col.finding", lang): q["quadrant"].map(lambda v: t(f"ws5.kind.{v}", lang)),
                t("ws5.col.occupation", lang): q["occupation"] + " " + q["name"],
                t("ws5.col.tightness", lang): q["tightness"].map(
                    lambda v: numbers.number(v, 2, lang)
                ),
                t("ws5.col.trend", lang): [self._interval(r) for r in q.itertuples()],
                t("ws5.col.supply", lang): q["supply"].map(lambda v: numbers.number(v, 0, lang)),
                t("ws5.col.qualifications", lang): q["qualifications"],
                t("ws5.col.action", lang): q["quadrant"].map(lambda v: t(f"ws5.action.{v}", lang)),
            }
        ).reset_index(drop=True)

    def candidate_words(self, region: str, partner: str = partners.NETWORK) -> dict:
        """The quadrant's findings in words: names of the candidates and of those to review."""
        q = self.quadrant(region, partner)
        found = {}
        for kind in (CANDIDATE, REVIEW):
            rows = q[q["quadrant"] == kind].sort_values("trend", ascending=kind == REVIEW)
            names = [f"{r.name} ({r.occupation})" for r in rows.head(TOP).itertuples()]
            found[kind] = ", ".join(names) or t("ws5.none", self.lang)
        return {
            "region": self.region_name(region),
            "candidates": found[CANDIDATE],
            "review": found[REVIEW],
        }

    def _interval(self, r) -> str:
        lang = self.lang
        if pd.isna(r.trend):
            return "–"
        return (
            f"{numbers.number(r.trend, 2, lang, sign=True)} "
            f"({numbers.number(r.trend_low, 2, lang)} … {numbers.number(r.trend_high, 2, lang)})"
        )

    def trends(self, region: str, partner: str = partners.NETWORK, top: int = 4) -> pd.DataFrame:
        """Monthly series with fitted trends and 95 % bands for the strongest movers in
        ``region`` (the named quadrants first)."""
        q = self.quadrant(region, partner)
        named = q[q["quadrant"].isin([CANDIDATE, REVIEW])]
        rest = (
            q.drop(named.index)
            .assign(size=lambda f: f["trend"].abs())
            .sort_values("size", ascending=False)
        )
        chosen = [
            *named.sort_values("trend", key=abs, ascending=False)["occupation"],
            *rest["occupation"],
        ][:top]
        return signals.series(self.months, region, chosen)

    def names(self) -> dict[str, str]:
        """Occupation code → "code name" for charts."""
        return {o: f"{o} {self.name(o)}" for o in self.signals["occupation"].unique()}

    # --- supply --------------------------------------------------------------------------
    def _providers(self, partner: str) -> list[str]:
        return partners.y_tunnukset(partners.check(partner))

    def _qualification_name(self, code: str) -> str:
        from kit import qualifications

        if code in qualifications.codes():
            return qualifications.name(code, self.lang)
        names = self.supply.loc[self.supply["qualification"] == code, "qualification_name"]
        return str(names.iloc[0]) if len(names) and names.iloc[0] else code

    def supply_table(self, partner: str = partners.NETWORK, raw: bool = False) -> pd.DataFrame:
        """The partner's supply per qualification in the latest year (:func:`.supply.table`);
        ``raw`` gives the figures, otherwise a table for people to read."""
        key = ("supply", partner)
        if key not in self._memo:
            self._memo[key] = supply.table(self.supply, self._providers(partner), self.lang)
        table = self._memo[key]
        if raw:
            return table
        lang = self.lang
        return pd.DataFrame(
            {
                t("ws5.col.qualification", lang): table["qualification"] + " " + table["name"],
                t("ws5.col.new", lang): table["new"].map(lambda v: numbers.integer(v, lang)),
                t("ws5.col.students", lang): table["students"].map(
                    lambda v: numbers.integer(v, lang)
                ),
                t("ws5.col.completers", lang): table["completers"].map(
                    lambda v: numbers.integer(v, lang)
                ),
                t("ws5.col.share", lang): table["share"].map(lambda v: numbers.percent(v, 1, lang)),
                t("ws5.col.share_change", lang): table["share_change"].map(
                    lambda v: numbers.number(100 * v, 1, lang, sign=True) if pd.notna(v) else "–"
                ),
                t("ws5.col.growth", lang): table["growth"].map(
                    lambda v: numbers.percent(v, 0, lang, sign=True)
                ),
            }
        )

    def supply_year(self) -> int:
        return int(self.supply["year"].max())

    def bridge_table(self, partner: str = partners.NETWORK) -> pd.DataFrame:
        """The map for people to read: qualification, occupation, weight, note, source."""
        lang = self.lang
        rows = self.bridge[self.bridge["occupation"].isin(self.occupations_of(partner))]
        return pd.DataFrame(
            {
                t("ws5.col.qualification", lang): rows["qualification"].map(
                    lambda q: f"{q} {self._qualification_name(q)}"
                ),
                t("ws5.col.occupation", lang): rows["occupation"].map(
                    lambda o: f"{o} {self.name(o)}"
                ),
                t("ws5.col.weight", lang): rows["weight"].map(lambda v: numbers.number(v, 2, lang)),
                t("ws5.col.notes", lang): rows["note"].fillna(""),
                t("ws5.col.source", lang): rows["source"].map(lambda v: t(f"ws5.source.{v}", lang)),
            }
        ).reset_index(drop=True)

    def quadrant_style(self) -> dict:
        """The quadrant chart's colours, legend names and axis labels in the model's
        language."""
        from kit import palette

        lang = self.lang
        colours = {
            CANDIDATE: palette.GOOD,
            REVIEW: palette.BAD,
            "supplied": "#4f7cac",
            "small": "#c9a227",
            "uncertain": "#b0b0b0",
        }
        return {
            "palette": colours,
            "hue_labels": {q: t(f"ws5.kind.{q}", lang) for q in QUADRANTS},
            "xlabel": t("ws5.axis.trend", lang),
            "ylabel": t("ws5.axis.supply", lang),
        }

    # --- the forum -----------------------------------------------------------------------
    def forum_signals(self) -> dict:
        """What the forum app shows and rates, as plain data: per region the map's
        occupations with their field (major group), name and signal, and the names of
        regions, qualifications and fields."""
        out: dict = {
            "regions": self.regions(),
            "signals": {},
            "names": self.names(),
            "qualifications": {
                q: self._qualification_name(q) for q in dict.fromkeys(self.bridge["qualification"])
            },
            "label": self.label,
            "synthetic": self.synthetic,
        }
        occs = self.occupations_of(partners.NETWORK)
        for region in self.regions():
            rows = self.signals[
                (self.signals["region"] == region) & self.signals["occupation"].isin(occs)
            ]
            out["signals"][region] = [
                {
                    "occupation": r.occupation,
                    "field": occupations.major(r.occupation),
                    "tightness": None if pd.isna(r.tightness) else round(float(r.tightness), 2),
                    "trend": None if pd.isna(r.trend) else round(float(r.trend), 3),
                    "direction": r.direction,
                }
                for r in rows.sort_values("occupation").itertuples()
            ]
        return out


def folder(dataset: object = "demo") -> Path:
    """The folder of ``dataset``: ``demo`` (built on first use) or a path; a data set's
    folder (as ``kit run --dataset`` names it) keeps this workshop's files in its
    ``anticipation/`` subfolder, as the demo does."""
    from kit import datasets

    if str(dataset) in ("national", "reference"):
        dataset = datasets.folder(str(dataset))
    if str(dataset) == "demo":
        return synthetic.prepare()
    where = Path(str(dataset)).expanduser()
    if not where.exists():
        raise KitInputError("file_not_found", file=str(where), parameter="dataset")
    if (where / synthetic.FOLDER).is_dir():
        return where / synthetic.FOLDER
    return where


def _files(where: Path) -> list[Path]:
    if where.is_file():
        return [where]
    found = [
        p
        for p in sorted(where.rglob("*"))
        if p.is_file()
        and p.suffix.lower() in (".px", ".json", ".csv", ".xlsx")
        and p.name not in ("manifest.json",)
        and not p.name.startswith(".")
    ]
    return found


_models: dict = {}


def build(dataset: object = "demo", *, lang: str = "fi", bridge: str | Path | None = None) -> Model:
    """The workshop's model of ``dataset`` (a folder, default the demo) in ``lang``, with the
    map ``bridge`` (default: the folder's ``occupation_map.csv``, else the kit's draft).
    Built once per inputs and kept for the kernel."""
    lang = check_lang(lang)
    where = folder(dataset)
    found = _files(where)
    map_file = (
        Path(bridge)
        if bridge
        else next((p for p in found if p.name == bridges.NAME), bridges.default_path())
    )
    key = (
        str(where),
        lang,
        str(map_file),
        tuple((str(p), p.stat().st_mtime_ns) for p in [*found, map_file] if p.exists()),
    )
    # kept on disk too (as the dashboard's and the work periods' models are): each app
    # kernel, nbval's and a run's report kernels load it rather than reading the cubes again
    core = snapshots.remember(
        _cores,
        (key[0], key[2], key[3]),
        lambda: snapshots.kept(
            "anticipation-core", [*found, map_file], lambda: _core(found, map_file)
        ),
        limit=1,
    )
    return snapshots.remember(_models, key, lambda: Model(**core, lang=lang))


_cores: dict = {}


def _supply_like(path: Path) -> bool:
    """Whether a table's header names Vipunen's qualification code (so it is meant as
    supply, and its problems are this workshop's)."""
    from kit.readers import read_grid, to_frame

    try:
        columns = set(to_frame(read_grid(path)).frame.columns)
    except KitInputError:
        return False
    return any(c.replace("_", "") == "kooditutkinto" for c in columns)


def _core(found: list[Path], map_file: Path) -> dict:
    """What every language's model shares: the read files, the signals and the supply."""
    where = found[0].parent if found else map_file.parent
    cubes, supplies, shown, synthetic_flags = [], [], [], []
    for p in found:
        if p == map_file:
            continue
        try:
            loaded = loader.read(p)
        except KitInputError as exc:
            if (
                p.suffix.lower() in (".csv", ".xlsx")
                and exc.reason in ("unknown_kind", "missing_column", "missing_columns")
                and not _supply_like(p)
            ):
                continue  # another workshop's table in the same folder
            raise
        if loaded.kind == "labour_market":
            cubes.append(loaded.frame)
        elif loaded.kind == "supply":
            supplies.append(loaded.frame)
        else:
            continue
        shown.append(Path(p).name)  # the file's name: a server's folders are no one's concern
        synthetic_flags.append(loaded.synthetic)
    if not cubes:
        raise KitInputError("ws5_no_cube", file=paths.relative(where))
    if not supplies:
        raise KitInputError("ws5_no_supply", file=paths.relative(where))
    cube = pd.concat(cubes, ignore_index=True).drop_duplicates(
        ["alue", "ammatti", "kuukausi", "tiedot"], keep="last"
    )
    months = signals.monthly(cube)
    return {
        "months": months,
        "signals": signals.summary(months),
        "supply": supply.tidy(pd.concat(supplies, ignore_index=True)),
        "bridge": bridges.load(map_file),
        "sources": shown,
        "synthetic": any(synthetic_flags),
    }


def headline(model: Model, partner: str = partners.NETWORK, *, region: str = "SSS") -> dict:
    """The figures ``kit run`` keeps, for ``region`` (a code or a name; default the whole
    country)."""
    region = model.region(region)
    q = model.quadrant(region, partner)
    return {
        "partner": partner,
        "region": region,
        "label": model.label,
        "latest": str(model.signals["latest"].max().date()),
        "candidates": list(q.loc[q["quadrant"] == CANDIDATE, "occupation"]),
        "review": list(q.loc[q["quadrant"] == REVIEW, "occupation"]),
        "supply_year": model.supply_year(),
        "students": int(model.supply_table(partner, raw=True)["students"].sum()),
    }
