"""The data sets on offer, each labelled real or synthetic wherever it is shown.

==============  ==========  =========================================================================
name            kind        content
==============  ==========  =========================================================================
``reference``   real        Vipunen: confirmed student-feedback counts 2020-21 (154 providers) and
                            target student-years 2018–2020
``demo``        synthetic   the six partners, 2019-20…2024-25: feedback, response counts, scorecard
                            inputs (built by ``kit demo-data``)
``national``    synthetic   the same for all 154 real providers (``kit demo-data --scale national``)
==============  ==========  =========================================================================

:func:`load` returns a :class:`Dataset`. Its ``feedback`` and ``response`` tables are the
unprotected internal forms: show feedback through :func:`kit.feedback.summary`, which applies the
privacy rule, and participation through :func:`kit.response.summary`. Displaying a ``Dataset`` itself shows
only its label and size.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit import feedback, files, indicators, loader, paths, response, synth
from kit.errors import KitInputError
from kit.i18n import t, tn

NAMES = ("demo", "national", "reference")


@dataclass(frozen=True)
class Dataset:
    """One data set: its tables and where they come from."""

    name: str
    synthetic: bool
    source: str
    folder: Path
    feedback: pd.DataFrame
    response: pd.DataFrame
    indicators: pd.DataFrame
    providers: pd.DataFrame  # y_tunnus, provider_name

    def label(self, lang: str | None = None) -> str:
        """What this data is, in one line: shown with every table and chart made from it."""
        if not self.synthetic:
            return t("data.real_label", lang, source=t("data.reference_source", lang))
        return t("data.synthetic_label", lang, source=self.source)

    def periods(self) -> list[str]:
        """The funding periods with any feedback or response data."""
        found = set(self.feedback["period"]) | set(self.response["period"])
        return sorted(found)

    def describe(self, lang: str | None = None) -> str:
        """Label and size, without any figure about respondents."""
        parts = [self.label(lang), tn("summary.providers", len(self.providers), lang)]
        if self.periods():
            ps = self.periods()
            parts.append(t("summary.periods", lang, first=ps[0], last=ps[-1], count=len(ps)))
        return " · ".join(parts)

    def feedback_summary(self, by=(), select=None, **options) -> pd.DataFrame:
        """:func:`kit.feedback.summary` of this data set's feedback."""
        from kit import feedback as feedback_module

        return feedback_module.summary(self.feedback, by, select, **options)

    def response_summary(self, by=("y_tunnus", "period", "survey"), select=None,
                         **options) -> pd.DataFrame:
        """:func:`kit.response.summary` of this data set: participation, as published."""
        return response.summary(self.response, by, select, **options)

    def __repr__(self) -> str:
        return f"<Dataset {self.name}: {self.describe()}>"

    def _repr_html_(self) -> str:
        css = "kit-synthetic" if self.synthetic else "kit-real"
        return f'<div class="{css}"><b>{html.escape(self.label())}</b><br>' \
               f"{html.escape(self.describe())}</div>"


def folder(name: str) -> Path:
    """Where data set ``name`` lives."""
    check(name)
    return {"demo": paths.demo_dir(), "national": paths.national_dir(),
            "reference": paths.reference_dir()}[name]


def check(name: object) -> str:
    """Return ``name`` if it is a data set; otherwise raise a message listing them."""
    if name not in NAMES:
        raise KitInputError("unknown_dataset", value=name, valid=", ".join(NAMES))
    return str(name)


def is_built(name: str) -> bool:
    """Whether the files of ``name`` are there and up to date (the reference data always is).

    A synthetic data set made by another version of the generator counts as missing.
    """
    if name == "reference":
        return True
    manifest = folder(name) / "manifest.json"
    if not manifest.exists():
        return False
    try:
        info = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("fingerprint") == synth.fingerprint() and info.get("seed") == synth.SEED


def ensure(name: str, progress=None) -> Path:
    """Build a synthetic data set if it is missing, and return its folder."""
    if not is_built(name):
        with files.locked(f"build-{name}"):
            if not is_built(name):  # someone else may have built it while we waited
                synth.build(folder(name), scale="partners" if name == "demo" else "national",
                            progress=progress)
    return folder(name)


_cache: dict[str, tuple[tuple, Dataset]] = {}


def load(name: str = "demo", *, build: bool = True) -> Dataset:
    """Load data set ``name``; a missing synthetic one is built first unless ``build`` is false."""
    check(name)
    where = ensure(name) if build else folder(name)
    stamp = _stamp(where)
    key = (str(where), stamp)
    if name not in _cache or _cache[name][0] != key:
        _cache[name] = (key, _load_reference() if name == "reference"
                        else _load_synthetic(name, where))
    return _cache[name][1]


#: the provider key of the merged national comparison (:func:`benchmark`)
NATIONAL = "national"
_BENCHMARK = "benchmark:national"  # its key in the cache (not a data set name)


def benchmark() -> Dataset:
    """The national comparison: the synthetic national data with all 154 providers merged.

    Its only provider is :data:`NATIONAL`, so its tables compare a partner with the whole
    country by period, survey, qualification and question. Respondents of the merged cells are
    the largest per-question sums, which can only undercount people, so the privacy rule stays
    on the safe side. Built from ``data/national`` (made on first use) and stored in
    ``data/.cache`` (:func:`kit.paths.cache_dir`) until the national data changes.
    """
    where = ensure("national")
    stamp = _stamp(where)
    if _BENCHMARK in _cache and _cache[_BENCHMARK][0] == (str(where), stamp):
        return _cache[_BENCHMARK][1]
    info = json.loads((where / "manifest.json").read_text(encoding="utf-8"))
    store = paths.cache_dir() / f"benchmark-{info.get('fingerprint', 'x')}-" \
        f"{info.get('seed')}.parquet"
    if store.exists():
        merged = pd.read_parquet(store)
    else:
        full = load("national")
        parts = []
        for name, frame, keys, values in (
                ("feedback", full.feedback, feedback.KEYS, feedback.COUNTS),
                ("response", full.response, response.KEYS, ["targeted", "answered"])):
            summed = frame.assign(y_tunnus=NATIONAL).groupby(keys, as_index=False, sort=True)[
                values].sum()
            parts.append(summed.assign(table=name))
        merged = pd.concat(parts, ignore_index=True)
        try:
            with files.atomic(store) as tmp:
                merged.to_parquet(tmp, index=False)
        except (OSError, KitInputError):
            pass  # a read-only data folder just means no cache
    fb = merged[merged["table"] == "feedback"][feedback.KEYS + feedback.COUNTS]
    fb = fb.astype({c: "int64" for c in feedback.COUNTS}).reset_index(drop=True)
    resp = merged[merged["table"] == "response"][response.KEYS + ["targeted", "answered"]]
    resp = resp.astype({"targeted": "Int64", "answered": "Int64"}).assign(
        provider_name=t("overview.national"))[response.COLUMNS].reset_index(drop=True)
    data = Dataset(name=NATIONAL, synthetic=True, source=info.get("generator", "kit demo-data"),
                   folder=where, feedback=fb, response=resp, indicators=pd.DataFrame(),
                   providers=pd.DataFrame({"y_tunnus": [NATIONAL],
                                           "provider_name": [t("overview.national")]}))
    _cache[_BENCHMARK] = ((str(where), stamp), data)
    return data


def _stamp(where: Path) -> tuple:
    files = sorted(where.glob("*.csv")) + sorted(where.glob("manifest.json"))
    return tuple((f.name, f.stat().st_mtime_ns) for f in files)


def _load_synthetic(name: str, where: Path) -> Dataset:
    manifest = where / "manifest.json"
    if not manifest.exists():
        raise KitInputError("dataset_missing", file=paths.relative(where), name=name)
    info = json.loads(manifest.read_text(encoding="utf-8"))
    resp = loader.load_response([where / "response_counts.csv"])
    tidy = loader.load_feedback([where / "feedback_counts.csv"])
    ind = indicators.from_file(loader.read(where / "indicators.csv").frame)
    providers = resp.drop_duplicates("y_tunnus")[["y_tunnus", "provider_name"]]
    return Dataset(
        name=name,
        synthetic=bool(info.get("synthetic", True)),
        source=info.get("generator", "kit demo-data"),
        folder=where,
        feedback=tidy,
        response=resp,
        indicators=ind,
        providers=providers.sort_values("y_tunnus").reset_index(drop=True),
    )


def _load_reference() -> Dataset:
    where = paths.reference_dir()
    counts = loader.read(where / synth.REAL_COUNTS).frame
    resp = response.from_counts(counts)
    years = loader.read(where / synth.REAL_STUDENT_YEARS).frame
    providers = response.providers(counts)
    ind = pd.DataFrame({
        "y_tunnus": years["ytunnus"].to_numpy(),
        "year": years["vuosi"].to_numpy(),
        "target_student_years": years["tavoitteelliset_opiskelijavuodet"].to_numpy(),
    })
    return Dataset(
        name="reference",
        synthetic=False,
        source="reference",
        folder=where,
        feedback=feedback.empty(),
        response=resp,
        indicators=ind,
        providers=providers.sort_values("y_tunnus").reset_index(drop=True),
    )


def available(lang: str | None = None) -> pd.DataFrame:
    """A table of the data sets: name, real or synthetic, whether built, what, where."""
    rows = []
    for name in NAMES:
        rows.append({
            t("data.col_name", lang): name,
            t("data.col_kind", lang): t("data.synthetic" if name != "reference" else "data.real", lang),
            t("data.col_ready", lang): t("data.yes" if is_built(name) else "data.no", lang),
            t("data.col_content", lang): t(f"data.content_{name}", lang),
            t("data.col_folder", lang): paths.relative(folder(name)),
        })
    return pd.DataFrame(rows)

