"""The one loader that notebooks, the library and ``kit validate`` share.

:func:`read` reads a file (:mod:`kit.readers`), works out its kind from its columns unless told
(:func:`kit.schemas.detect`), checks it (:func:`kit.validation.validate`) and returns a
:class:`Loaded` with typed columns. :func:`load_feedback` and :func:`load_response` go on to the
internal forms of :mod:`kit.feedback` and :mod:`kit.response`.

Every problem is a :class:`~kit.errors.KitInputError` naming the file, row and column. Reading
never changes or deletes a file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit import paths, questions, schemas, snapshots, validation
from kit.errors import KitInputError
from kit.i18n import t, tn
from kit.readers import RawTable, read_grid, to_frame

_PROVIDER_COLUMNS = (
    "koulutuksen_jarjestajan_y_tunnus",
    "koulutustoimija",
    "ytunnus",
    "y_tunnus",
    "koodi_koulutuksen_jarjestaja",
)
_PERIOD_COLUMNS = ("tilastokausi", "rahoituskausi")


@dataclass(frozen=True)
class Loaded:
    """A checked file: its kind, typed columns and how it was read."""

    path: Path
    kind: str
    frame: pd.DataFrame
    fmt: dict = field(default_factory=dict)
    #: an Arvo download's details (kind ``arvo``): see :class:`kit.arvo.Download`
    download: object | None = None

    @property
    def synthetic(self) -> bool:
        """Whether the file belongs to a synthetic data set (its folder says so)."""
        return marked_synthetic(self.path.parent, self.path.parent.parent)

    def describe(self, lang: str | None = None) -> str:
        """One line: kind, rows, providers and periods where the file has them."""
        if self.download is not None:
            return _describe_download(self.download, lang)
        parts = [t(f"kind.{self.kind}", lang), tn("summary.rows", len(self.frame), lang)]
        if self.synthetic:
            parts.insert(0, t("summary.synthetic", lang))
        frame = self.frame
        for col in _PROVIDER_COLUMNS:
            if col in frame:
                parts.append(tn("summary.providers", frame[col].nunique(), lang))
                break
        found = [frame[c] for c in _PERIOD_COLUMNS if c in frame]
        if self.kind == "answers":
            from kit import periods

            parts.append(tn("summary.respondents", frame["vastaajatunnus"].nunique(), lang))
            found = [periods.of_dates(pd.to_datetime(frame["vastausaika"]))]
        spec = schemas.kinds().get(self.kind)
        if spec is not None and spec.summary is not None:
            parts.append(spec.summary(frame, lang))
        if spec is not None and spec.years:
            years = sorted(frame[spec.years].dropna().astype(int).unique())
            parts.append(t("summary.years", lang, first=years[0], last=years[-1]))
        if found:
            values = sorted(found[0].dropna().unique())
            if len(values) == 1:
                parts.append(t("summary.period", lang, period=values[0]))
            else:
                parts.append(
                    t("summary.periods", lang, first=values[0], last=values[-1], count=len(values))
                )
        parts.append(describe_format(self.fmt, lang))
        return " · ".join(parts)


def marked_synthetic(*folders: Path) -> bool:
    """Whether the first of ``folders`` with a ``manifest.json`` says its data is synthetic
    (an unreadable manifest says not)."""
    for folder in folders:
        manifest = folder / "manifest.json"
        if manifest.exists():
            try:
                return bool(json.loads(manifest.read_text(encoding="utf-8")).get("synthetic"))
            except (OSError, ValueError):
                return False
    return False


def _describe_download(d, lang: str | None) -> str:
    """One line about an Arvo download: layout, language, survey, respondents, periods."""
    parts = [
        t("kind.arvo", lang) + f" ({t(f'arvo.layout.{d.layout}', lang)}, "
        f"{t('arvo.headers', lang, lang=t(f'arvo.lang_{d.lang}', lang))})",
        t(f"kysely.{d.kysely}", lang),
        tn("summary.respondents", d.respondents, lang),
        t("arvo.answers", lang, answered=d.answered, skipped=len(d.answers) - d.answered),
    ]
    ps = d.periods()
    parts.append(
        t("summary.period", lang, period=ps[0])
        if len(ps) == 1
        else t("summary.periods", lang, first=ps[0], last=ps[-1], count=len(ps))
    )
    if "tyopaikkajakson_kesto" in d.answers:
        parts.append(t("arvo.duration", lang))
    if d.left_out:
        parts.append(t("arvo.left_out", lang, columns=", ".join(d.left_out)))
    if d.skipped:
        shown = ", ".join(f"'{s[:40]}'" for s in d.skipped[:3]) + (
            " …" if len(d.skipped) > 3 else ""
        )
        parts.append(t("arvo.skipped", lang, count=len(d.skipped), columns=shown))
    parts.append(describe_format(d.fmt, lang))
    return " · ".join(parts)


def describe_format(fmt: dict, lang: str | None = None) -> str:
    """How a file was read, in words: ``CSV (puolipiste, cp1252)`` or ``Excel, välilehti 'A'``."""
    if fmt.get("type") == "xlsx":
        text = t("fmt.xlsx", lang, sheet=fmt.get("sheet", ""))
        if fmt.get("ignored"):
            text += " " + t("fmt.ignored", lang, count=fmt["ignored"])
        return text
    if fmt.get("type") in ("px", "jsonstat", "json"):
        return t(
            f"fmt.{fmt['type']}",
            lang,
            table=fmt.get("table", ""),
            encoding=fmt.get("encoding", "utf-8"),
        )
    if fmt.get("type") == "csv":
        return t(
            "fmt.csv", lang, delimiter=t(f"fmt.{fmt['delimiter']}", lang), encoding=fmt["encoding"]
        )
    return ""


#: a table file at least this large is checked once and kept checked in the cache folder
#: (:func:`kit.snapshots.kept`), keyed by its contents: a year of answers takes a second to
#: read and check and its kept copy a hundredth of that, and a run's kernels, the apps and the
#: notebooks all read the same files
KEEP_BYTES = 200_000


def read(path: str | Path, kind: str | None = None) -> Loaded:
    """Read and check one file; ``kind`` skips detection (see :func:`kit.schemas.kinds`).

    A large table file that was read and checked before, unchanged, with the same reference
    registers and the same kit, is served as it was checked then (:data:`KEEP_BYTES`); a file
    that fails its check is never kept, so it fails the same way every time."""
    path = Path(path)
    try:
        key = _content_key(path, kind)
    except OSError:
        key = None
    if key is None:
        return _read(path, kind)
    # one kept reading per file, named by its folder's and its own name (a newer reading
    # replaces it) and found again by its bytes: the same file in a copied work folder is
    # not checked again, and the demo's and the country's feedback_counts.csv both stay kept
    where = path.resolve()
    name = "read-" + hashlib.sha256(f"{where.parent.name}/{where.name}".encode()).hexdigest()[:12]
    try:
        loaded = snapshots.kept(name, [], lambda: _read(path, kind), key=key)
    except OSError:  # no cache folder to keep it in (a read-only work folder)
        return _read(path, kind)
    return dataclasses.replace(loaded, path=path)


def _content_key(path: Path, kind: str | None) -> tuple | None:
    """What a kept reading of ``path`` depends on: the file's bytes, the kind asked for and
    the registers its codes are checked against (``data/*.csv``); ``None`` for a file not
    worth keeping (small, a statistics file, not a file)."""
    if not path.is_file() or path.suffix.lower() in STAT_SUFFIXES:
        return None
    if path.stat().st_size < KEEP_BYTES:
        return None
    digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    registers = snapshots.stamp(sorted(paths.data_dir().glob("*.csv")))
    return (digest, kind, repr(registers))


def _read(path: Path, kind: str | None) -> Loaded:
    """:func:`read` without the kept copy."""
    shown = paths.relative(path)
    known = schemas.kinds()
    if kind is not None and kind not in (*known, schemas.ARVO):
        raise KitInputError(
            "unknown_kind_option", value=kind, kinds=", ".join([*known, schemas.ARVO])
        )
    if path.exists() and path.is_file() and path.suffix.lower() in STAT_SUFFIXES:
        return _read_stat(path, shown, kind)
    try:
        grid = read_grid(path)
    except KitInputError as exc:
        raise exc.with_file(shown) from None
    framed: RawTable | KitInputError | None = None  # the grid as a table, made once

    def as_table() -> RawTable | KitInputError:
        nonlocal framed
        if framed is None:
            try:
                framed = to_frame(grid)
            except KitInputError as exc:
                framed = exc
        return framed

    if kind in (None, schemas.ARVO):
        from kit import arvo

        if (
            kind == schemas.ARVO
            or arvo.is_download(grid)
            or (not _detectable(as_table()) and arvo.looks_like(grid))
        ):
            d = arvo.from_grid(grid, shown)
            return Loaded(path=path, kind=schemas.ARVO, frame=d.answers, fmt=d.fmt, download=d)
    raw = as_table()
    if isinstance(raw, KitInputError):
        raise raw.with_file(shown) from None
    spec = known[kind] if kind else schemas.detect(list(raw.frame.columns), shown)
    frame = validation.validate(spec, raw.frame, raw.headers, shown, lookups_for(spec))
    return Loaded(path=path, kind=spec.name, frame=frame, fmt=raw.fmt)


#: statistics files read by :mod:`kit.statfiles` (PC-Axis; JSON-stat or Vipunen API JSON)
STAT_SUFFIXES = (".px", ".json")


def _read_stat(path: Path, shown: str, kind: str | None) -> Loaded:
    """A PC-Axis or JSON file: a labour-market cube, or Vipunen API records of any kind whose
    columns they carry (for example ``supply``)."""
    from kit import statfiles

    if path.suffix.lower() == ".px":
        shape, raw = "cube", statfiles.read_px(path, shown)
    else:
        shape, raw = statfiles.read_json(path, shown)
    known = schemas.kinds()
    if shape == "cube":  # the one kind a statistics cube reads into
        spec = next(k for k in known.values() if k.cube)
        if kind not in (None, spec.name):
            raise KitInputError("wrong_kind", file=shown, kind=spec.name, expected=kind)
    else:
        spec = known[kind] if kind else schemas.detect(list(raw.frame.columns), shown)
    frame = validation.validate(spec, raw.frame, raw.headers, shown, lookups_for(spec))
    return Loaded(path=path, kind=spec.name, frame=frame, fmt=raw.fmt)


def _detectable(raw: RawTable | KitInputError) -> bool:
    """Whether a kind of :func:`kit.schemas.kinds` fits the header of a grid made a table
    (not when it could not be made one)."""
    if isinstance(raw, KitInputError):
        return False
    have = set(raw.frame.columns)
    return any(set(k.required) <= have for k in schemas.kinds().values())


def lookups_for(spec: schemas.Kind, given: Mapping[str, object] | None = None) -> dict | None:
    """What ``spec`` checks its codes against: the core's lookups (:data:`kit.schemas.LOOKUPS`:
    the question bank's ids, the occupation and qualification codes), those registered with
    :func:`kit.parts.add_lookup`, and ``given`` (which wins: a facilitator's own file)."""
    from kit.parts import REGISTERED, resolve

    wanted = set(spec.choices.values()) | set(spec.needs)
    if not wanted:
        return None
    out: dict = dict(given or {})
    wanted -= set(out)
    if wanted & {"question_ids", "question_kysely"}:
        out.update(questions.lookups())
    for name in sorted(wanted & set(REGISTERED.lookups)):
        out[name] = resolve(REGISTERED.lookups[name])()
    if "occupation_codes" in wanted:
        from kit import occupations

        out["occupation_codes"] = (*occupations.codes(), *schemas.OCCUPATION_EXTRA)
    if "qualification_codes" in wanted:
        from kit import qualifications

        out["qualification_codes"] = (*qualifications.cost_groups().index, *qualifications.codes())
    return out


def check_files(
    files: Iterable[str | Path], kind: str | None = None
) -> list[tuple[Path, Loaded | KitInputError]]:
    """Check each file, collecting a :class:`Loaded` or the error instead of stopping."""
    results: list[tuple[Path, Loaded | KitInputError]] = []
    for file in files:
        try:
            results.append((Path(file), read(file, kind)))
        except KitInputError as exc:
            results.append((Path(file), exc))
    return results


def to_feedback(loaded: Loaded) -> tuple[pd.DataFrame, int]:
    """The tidy feedback form of an ``answers`` or ``feedback_counts`` file, and the number of
    rows that were already suppressed at the source (and so left out)."""
    from kit import feedback

    if loaded.kind == "answers":
        return feedback.from_answers(loaded.frame), 0
    if loaded.kind == "feedback_counts":
        return feedback.from_aggregate(loaded.frame)
    raise KitInputError(
        "wrong_kind",
        file=paths.relative(loaded.path),
        kind=loaded.kind,
        expected="answers, feedback_counts",
    )


def load_feedback(files: Iterable[str | Path]) -> pd.DataFrame:
    """Feedback from any mix of answer exports and aggregates, as one tidy table."""
    from kit import feedback

    return feedback.combine(to_feedback(read(f))[0] for f in files)


def load_response(files: Iterable[str | Path]) -> pd.DataFrame:
    """Targeted and answered counts from confirmed-counts files, in the long form."""
    from kit import response

    parts = []
    for file in files:
        loaded = read(file)
        if loaded.kind != "response_counts":
            raise KitInputError(
                "wrong_kind",
                file=paths.relative(loaded.path),
                kind=loaded.kind,
                expected="response_counts",
            )
        parts.append(response.from_counts(loaded.frame))
    long = pd.concat(parts, ignore_index=True)
    dup = long.duplicated(response.KEYS, keep="first")
    if dup.any():
        row = long[dup].iloc[0]
        raise KitInputError(
            "duplicate_across_files", key=f"{row.y_tunnus}, {row.period}, {row.survey}"
        )
    return long
