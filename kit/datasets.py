"""The data sets on offer, each labelled real or synthetic wherever it is shown.

==============  ==========  =========================================================================
name            kind        content
==============  ==========  =========================================================================
``reference``   real        Vipunen: confirmed student-feedback counts 2020-21 (154 providers) and
                            target student-years 2018–2020
``demo``        synthetic   the six partners, 2019-20…2024-25: feedback, response counts, scorecard
                            inputs (built by ``kit demo-data``)
``national``    synthetic   the same for all 154 real providers (``kit demo-data --scale national``)
a path          own         a file or folder of your own: answers files (``kit import arvo`` writes
                            them), Vipunen-style aggregates, confirmed response counts, scorecard
                            inputs; labelled with its source (the downloads it was imported from)
==============  ==========  =========================================================================

:func:`load` returns a :class:`Dataset`. Its ``feedback`` and ``response`` tables are the
unprotected internal forms: show feedback through :func:`kit.feedback.summary`, which applies the
privacy rule, and participation through :func:`kit.response.summary`. Displaying a ``Dataset`` itself shows
only its label and size.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit import feedback, files, key_figures, loader, paths, response, synth
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
    key_figures: pd.DataFrame
    providers: pd.DataFrame  # y_tunnus, provider_name
    imported: bool = False  # own data imported from Arvo downloads (``source`` names them)

    def label(self, lang: str | None = None) -> str:
        """What this data is, in one line: shown with every table and chart made from it."""
        if self.synthetic:  # what made it (a command) is not the reader's concern
            return t("data.synthetic_label", lang)
        if self.name == "reference":
            return t("data.real_label", lang, source=t("data.reference_source", lang))
        source = t("data.own_arvo", lang, files=self.source) if self.imported else self.source
        return t("data.own_label", lang, source=source)

    def periods(self) -> list[str]:
        """The funding periods with any feedback or response data."""
        found = set(self.feedback["period"]) | set(self.response["period"])
        return sorted(found)

    def describe(self, lang: str | None = None) -> str:
        """Label and size, without any figure about respondents."""
        parts = [self.label(lang), tn("summary.providers", len(self.providers), lang)]
        ps = self.periods()
        if len(ps) == 1:
            parts.append(t("summary.period", lang, period=ps[0]))
        elif ps:
            parts.append(t("summary.periods", lang, first=ps[0], last=ps[-1], count=len(ps)))
        return " · ".join(parts)

    def feedback_summary(self, by=(), select=None, **options) -> pd.DataFrame:
        """:func:`kit.feedback.summary` of this data set's feedback."""
        from kit import feedback as feedback_module

        return feedback_module.summary(self.feedback, by, select, **options)

    def response_summary(
        self, by=("y_tunnus", "period", "survey"), select=None, **options
    ) -> pd.DataFrame:
        """:func:`kit.response.summary` of this data set: participation, as published."""
        return response.summary(self.response, by, select, **options)

    def __repr__(self) -> str:
        return f"<Dataset {self.name}: {self.describe()}>"

    def _repr_html_(self) -> str:
        css = "kit-synthetic" if self.synthetic else "kit-real"
        return (
            f'<div class="{css}"><b>{html.escape(self.label())}</b><br>'
            f"{html.escape(self.describe())}</div>"
        )


def folder(name: str) -> Path:
    """Where data set ``name`` lives."""
    check(name)
    return {
        "demo": paths.demo_dir(),
        "national": paths.national_dir(),
        "reference": paths.reference_dir(),
    }[name]


def check(name: object) -> str:
    """Return ``name`` if it is a data set or the path of a file or folder of one; otherwise
    raise a message listing them."""
    if name in NAMES:
        return str(name)
    if isinstance(name, (str, Path)) and str(name).strip() and _path(name) is not None:
        return str(name)
    raise KitInputError("unknown_dataset", parameter="dataset", value=name, valid=", ".join(NAMES))


def _path(name: object) -> Path | None:
    """``name`` as an existing path: as given (relative to the working folder), else relative
    to the repository."""
    for candidate in (Path(str(name)).expanduser(), paths.ROOT / str(name)):
        if candidate.exists():
            return candidate
    return None


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
                synth.build(
                    folder(name),
                    scale="partners" if name == "demo" else "national",
                    progress=progress,
                )
    return folder(name)


_cache: dict[str, tuple[tuple, Dataset]] = {}


def as_dataset(dataset: Dataset | str | Path | None = "demo") -> Dataset:
    """``dataset`` loaded: a :class:`Dataset` as it is, else the data set a name or path names
    (:func:`load`; None is the demo). What every workshop's ``build`` takes."""
    if isinstance(dataset, Dataset):
        return dataset
    return load(check(dataset if dataset is not None else "demo"))


def load(name: str | Path = "demo", *, build: bool = True) -> Dataset:
    """Load data set ``name`` (see :data:`NAMES`) or the files at a path; a missing synthetic
    one is built first unless ``build`` is false."""
    check(name)
    if name not in NAMES:
        where = _path(name)
        assert where is not None  # check() refused a name that is neither
        return _load_path(where)
    where = ensure(name) if build else folder(name)
    stamp = _stamp(where)
    key = (str(where), stamp)
    if name not in _cache or _cache[name][0] != key:
        _cache[name] = (
            key,
            _load_reference() if name == "reference" else _load_synthetic(name, where),
        )
    return _cache[name][1]


def monthly(data: Dataset) -> pd.DataFrame:
    """The data set's feedback in the tidy form by calendar month (``period`` = ``2024-09``),
    from its answer files (``answers/`` of a synthetic set, the answer files of one's own);
    empty where it has none. Built once and kept in the cache folder until the files change.
    Unprotected, like :attr:`Dataset.feedback`: show it through :func:`kit.feedback.summary`."""
    where = data.folder / "answers" if (data.folder / "answers").is_dir() else data.folder
    found = [where] if where.is_file() else sorted(where.glob("*.csv"))
    if not found:
        return feedback.empty()
    stamp = hashlib.sha1(
        repr([(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in found]).encode()
    ).hexdigest()[:16]
    key = f"monthly:{stamp}"
    if key in _cache:
        return _cache[key][1]
    store = paths.cache_dir() / f"monthly-{stamp}.parquet"
    if store.exists():
        table = pd.read_parquet(store)
    else:
        parts = []
        for f in found:
            loaded = loader.read(f)
            if loaded.kind == "answers":
                parts.append(feedback.from_answers(loaded.frame, months=True))
        table = feedback.combine(parts)
        try:
            with files.atomic(store) as tmp:
                table.to_parquet(tmp, index=False)
        except (OSError, KitInputError):
            pass
    _cache[key] = ((), table)
    return table


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
    ind = key_figures.from_file(loader.read(where / "key_figures.csv").frame)
    providers = resp.drop_duplicates("y_tunnus")[["y_tunnus", "provider_name"]]
    return Dataset(
        name=name,
        synthetic=bool(info.get("synthetic", True)),
        source=info.get("generator", "kit demo-data"),
        folder=where,
        feedback=tidy,
        response=resp,
        key_figures=ind,
        providers=providers.sort_values("y_tunnus").reset_index(drop=True),
    )


TABLE_FILES = (".csv", ".xlsx", ".xlsm", ".parquet")


def _load_path(where: Path) -> Dataset:
    """A data set of one's own files: every table file at ``where`` (a file, or a folder
    searched without its hidden parts) by its kind. Answer files and aggregates make the
    feedback, confirmed counts the response, key figures the key figures. A raw Arvo
    download is refused with how to import it; a folder with a synthetic manifest stays
    labelled synthetic."""
    found = (
        [where]
        if where.is_file()
        else sorted(
            f
            for f in where.rglob("*")
            if f.is_file()
            and f.suffix.lower() in TABLE_FILES
            and not any(part.startswith(".") for part in f.relative_to(where).parts)
        )
    )
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in found)
    key = f"path:{where.resolve()}"
    if key in _cache and _cache[key][0] == stamp:
        return _cache[key][1]
    tidy, resp, ind, sources = [], [], [], []
    imported = False
    seen_answers: dict[tuple[str, str], str] = {}
    seen_cells: dict[tuple[str, str, str], tuple[str, str]] = {}
    for f in found:
        loaded = _read_own(f)
        if loaded.kind == "answers":
            _once(loaded.frame, f, seen_answers)
        if loaded.kind in ("answers", "feedback_counts"):
            part = loader.to_feedback(loaded)[0]
            _once_cells(part, f, loaded.kind, seen_cells)
            tidy.append(part)
            if loaded.kind == "answers" and loaded.frame["lahde"].notna().any():
                sources += sorted(loaded.frame["lahde"].dropna().unique())
                imported = True
            else:
                sources.append(f.name)
        elif loaded.kind == "response_counts":
            resp.append(response.from_counts(loaded.frame))
        elif loaded.kind == "key_figures":
            ind.append(key_figures.from_file(loaded.frame))
    if not tidy and not resp:
        raise KitInputError("dataset_no_feedback", file=paths.relative(where))
    fb = feedback.combine(tidy)
    rs = pd.concat(resp, ignore_index=True) if resp else response.empty()
    providers = _provider_names(sorted(set(fb["y_tunnus"]) | set(rs["y_tunnus"])), rs)
    synthetic = _manifest_synthetic(where)
    shown = sorted(dict.fromkeys(sources))
    data = Dataset(
        name=paths.relative(where),
        synthetic=synthetic,
        source=_listed(shown) if not synthetic else "kit demo-data",
        folder=where,
        imported=imported,
        feedback=fb,
        response=rs,
        key_figures=pd.concat(ind, ignore_index=True) if ind else pd.DataFrame(),
        providers=providers,
    )
    _cache[key] = (stamp, data)
    return data


def _once(answers: pd.DataFrame, f: Path, seen: dict[tuple[str, str], str]) -> None:
    """Refuse an answer that another file of the folder already holds: counted twice, a group
    of 3 would read as 6, and its figures would be shown."""
    keys = list(zip(answers["vastaajatunnus"], answers["kysymysid"]))
    for key in keys:
        if key in seen:
            raise KitInputError(
                "dataset_answers_twice",
                file=paths.relative(f),
                value=key[0],
                question=key[1],
                first=seen[key],
                second=f.name,
            )
    seen.update(dict.fromkeys(keys, f.name))


def _once_cells(
    tidy: pd.DataFrame, f: Path, kind: str, seen: dict[tuple[str, str, str], tuple[str, str]]
) -> None:
    """Refuse a provider × period × survey that an aggregate covers and another file too (an
    answers file and an aggregate of the same answers, for example). Answer files may share
    one: their answers are checked one by one (:func:`_once`)."""
    cells = set(zip(tidy["y_tunnus"], tidy["period"], tidy["survey"]))
    for cell in sorted(cells):
        if cell in seen and seen[cell][0] != f.name and "feedback_counts" in (kind, seen[cell][1]):
            raise KitInputError(
                "dataset_feedback_twice",
                file=paths.relative(f),
                provider=cell[0],
                period=cell[1],
                survey=cell[2],
                first=seen[cell][0],
                second=f.name,
            )
    seen.update(dict.fromkeys(cells, (f.name, kind)))


def _read_own(f: Path) -> loader.Loaded:
    if f.suffix.lower() == ".parquet":
        from kit import readers

        frame = pd.read_parquet(f).astype("str").replace({"<NA>": "", "nan": "", "None": ""})
        raw = readers.RawTable(
            path=f,
            frame=frame.rename(columns=readers.normalise_header),
            headers={readers.normalise_header(c): c for c in frame.columns},
            fmt={"type": "parquet"},
        )
        from kit import schemas, validation

        spec = schemas.detect(list(raw.frame.columns), paths.relative(f))
        typed = validation.validate(
            spec, raw.frame, raw.headers, paths.relative(f), loader.lookups_for(spec)
        )
        return loader.Loaded(path=f, kind=spec.name, frame=typed, fmt=raw.fmt)
    loaded = loader.read(f)
    if loaded.kind == "arvo":
        raise KitInputError("dataset_raw_arvo", file=paths.relative(f))
    return loaded


def _listed(names: list[str], most: int = 3) -> str:
    return ", ".join(names[:most]) + (f" … (+{len(names) - most})" if len(names) > most else "")


def _manifest_synthetic(where: Path) -> bool:
    return loader.marked_synthetic(where if where.is_dir() else where.parent, where.parent)


def _provider_names(ytunnukset: list[str], resp: pd.DataFrame) -> pd.DataFrame:
    """Each provider's name: from the response file, the partner registry, or the reference
    data; else its Y-tunnus."""
    from kit import partners

    names = dict(zip(resp.get("y_tunnus", []), resp.get("provider_name", [])))
    reg = partners.registry()
    names.update({y: n for y, n in zip(reg["y_tunnus"], reg["legal_name"]) if y not in names})
    try:
        ref = load("reference").providers
        for y, n in zip(ref["y_tunnus"], ref["provider_name"]):
            names.setdefault(y, n)
    except KitInputError:
        pass
    return pd.DataFrame(
        {"y_tunnus": ytunnukset, "provider_name": [str(names.get(y) or y) for y in ytunnukset]}
    )


def _load_reference() -> Dataset:
    where = paths.reference_dir()
    counts = loader.read(where / synth.REAL_COUNTS).frame
    resp = response.from_counts(counts)
    years = loader.read(where / synth.REAL_STUDENT_YEARS).frame
    providers = response.providers(counts)
    ind = pd.DataFrame(
        {
            "y_tunnus": years["ytunnus"].to_numpy(),
            "year": years["vuosi"].to_numpy(),
            "target_student_years": years["tavoitteelliset_opiskelijavuodet"].to_numpy(),
        }
    )
    return Dataset(
        name="reference",
        synthetic=False,
        source="reference",
        folder=where,
        feedback=feedback.empty(),
        response=resp,
        key_figures=ind,
        providers=providers.sort_values("y_tunnus").reset_index(drop=True),
    )


def available(lang: str | None = None) -> pd.DataFrame:
    """A table of the data sets: name, real or synthetic, whether built, what, and where (the
    folder, in JupyterLab: a page Voilà serves to a room names no folder of the server)."""
    from kit.markup import in_voila

    rows = []
    for name in NAMES:
        row = {
            t("data.col_name", lang): name,
            t("data.col_kind", lang): t(
                "data.synthetic" if name != "reference" else "data.real", lang
            ),
            t("data.col_ready", lang): t("data.yes" if is_built(name) else "data.no", lang),
            t("data.col_content", lang): t(f"data.content_{name}", lang),
        }
        if not in_voila():
            row[t("data.col_folder", lang)] = paths.relative(folder(name))
        rows.append(row)
    return pd.DataFrame(rows)
